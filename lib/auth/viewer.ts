import type { PrismaClient } from "../db/generated/client";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { userIdForToken } from "./api-tokens";
import type { Auth } from "./create-auth";
import { scopeForRole, type UserRole } from "./scope";

/** Who is asking, and what they may see. */
export interface Viewer {
  userId: string;
  email: string;
  name: string;
  role: UserRole;
  ownerId: string | null;
  scope: PipelineScope;
  via: "session" | "token";
}

async function viewerForUser(prisma: PrismaClient, userId: string, via: Viewer["via"]): Promise<Viewer | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true, ownerId: true } });
  if (!user) return null;
  const team =
    user.role === "manager" && user.ownerId
      ? (await prisma.salesTeamMember.findMany({ where: { manager: user.ownerId }, select: { salesOwner: true } })).map((member) => member.salesOwner)
      : [];
  return { userId: user.id, email: user.email, name: user.name, role: user.role, ownerId: user.ownerId, scope: scopeForRole(user.role, user.ownerId, team), via };
}

/**
 * The viewer of a request: an `Authorization: Bearer` API token if one is sent
 * (and then only that), else the session cookie. Null when neither is valid.
 */
export async function resolveViewer(prisma: PrismaClient, auth: Auth, headers: Headers): Promise<Viewer | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const userId = match ? await userIdForToken(prisma, match[1]) : null;
    return userId ? viewerForUser(prisma, userId, "token") : null;
  }
  const session = await auth.api.getSession({ headers });
  return session ? viewerForUser(prisma, session.user.id, "session") : null;
}
