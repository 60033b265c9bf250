import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewer } from "@/lib/server/request-context";
import { safeReturnPath } from "@/lib/auth/safe-return-path";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in · Pipeline Risk" };

export default async function SignInPage(props: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeReturnPath((await props.searchParams).next);
  if (await getViewer()) redirect(next);
  return (
    <div className="card sign-in">
      <h1>Sign in</h1>
      <p className="muted">Use the email and password your administrator gave you.</p>
      <SignInForm next={next} />
    </div>
  );
}
