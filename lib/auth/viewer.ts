import type { PrismaClient } from "../db/generated/client";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { userIdForToken } from "./api-tokens";
import type { Auth } from "./create-auth";
import { isUserRole, scopeForRole, type UserRole } from "./scope";

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

/** The sales owners a manager's id manages (teams file): the one lookup that turns a user into a scope. */
export async function teamOf(prisma: PrismaClient, managerId: string): Promise<string[]> {
  const members = await prisma.salesTeamMember.findMany({
    where: { manager: managerId },
    select: { salesOwner: true },
  });
  return members.map((member) => member.salesOwner);
}

export async function scopeOfUser(
  prisma: PrismaClient,
  user: { role: UserRole; ownerId: string | null },
): Promise<PipelineScope> {
  const team = user.role === "manager" && user.ownerId ? await teamOf(prisma, user.ownerId) : [];
  return scopeForRole(user.role, user.ownerId, team);
}

interface ViewerUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  ownerId: string | null;
}

async function viewerOf(prisma: PrismaClient, user: ViewerUser, via: Viewer["via"]): Promise<Viewer> {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    ownerId: user.ownerId,
    scope: await scopeOfUser(prisma, user),
    via,
  };
}

async function viewerForUser(prisma: PrismaClient, userId: string, via: Viewer["via"]): Promise<Viewer | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, ownerId: true },
  });
  return user ? viewerOf(prisma, user, via) : null;
}

/**
 * The signed-in person of a page or server action: the session cookie only (an API token opens no page).
 * The session's user is the user row itself (read with the session, `role` and `ownerId` included),
 * so it is not looked up again.
 */
export async function sessionViewer(prisma: PrismaClient, auth: Auth, headers: Headers): Promise<Viewer | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const { id, email, name, role, ownerId } = session.user;
  if (!isUserRole(role)) return null;
  return viewerOf(prisma, { id, email, name, role, ownerId: ownerId ?? null }, "session");
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The caller of the read-only JSON API and exports: an `Authorization: Bearer` API token if one
 * is sent (and then only that), else the session cookie. Any other scheme (a basic-auth proxy's
 * `Basic ...`) is not ours and falls through to the cookie. Null when neither is valid.
 */
export async function apiViewer(prisma: PrismaClient, auth: Auth, headers: Headers): Promise<Viewer | null> {
  const authorization = headers.get("authorization")?.trim();
  if (authorization && /^Bearer(\s|$)/i.test(authorization)) {
    const match = BEARER.exec(authorization);
    const userId = match ? await userIdForToken(prisma, match[1]) : null;
    return userId ? viewerForUser(prisma, userId, "token") : null;
  }
  return sessionViewer(prisma, auth, headers);
}
