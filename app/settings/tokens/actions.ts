"use server";

import { revalidatePath } from "next/cache";
import { createOwnApiToken, revokeOwnApiToken } from "@/lib/server/accounts";
import { requireViewer } from "@/lib/server/request-context";

export interface CreateTokenState {
  token?: string;
  error?: string;
}

/** Server actions: Next checks the Origin header against the host, so another site cannot post these. */
export async function createTokenAction(_state: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const viewer = await requireViewer("/settings/tokens");
  const name = String(form.get("name") ?? "").trim();
  if (name === "") return { error: "Give the token a name, such as the script that will use it." };
  const token = await createOwnApiToken(viewer, name);
  revalidatePath("/settings/tokens");
  return { token };
}

export async function revokeTokenAction(form: FormData): Promise<void> {
  const viewer = await requireViewer("/settings/tokens");
  await revokeOwnApiToken(viewer, String(form.get("id")));
  revalidatePath("/settings/tokens");
}
