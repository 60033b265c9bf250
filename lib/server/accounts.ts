import "server-only";
import { type ApiTokenInfo, createApiToken, listApiTokens, revokeApiToken } from "../auth/api-tokens";
import { recentExports } from "../auth/export-audit";
import { listUsers } from "../auth/users";
import { scopeOfUser, type Viewer } from "../auth/viewer";
import { getDatabase } from "./request-context";

/** What the admin page lists: every user with what they see, and the latest exports. */
export async function loadAdminOverview() {
  const { prisma } = await getDatabase();
  const [users, exports] = await Promise.all([listUsers(prisma), recentExports(prisma)]);
  return { users: await Promise.all(users.map(async (user) => ({ ...user, scope: await scopeOfUser(prisma, user) }))), exports };
}

export async function listOwnApiTokens(viewer: Viewer): Promise<ApiTokenInfo[]> {
  return listApiTokens((await getDatabase()).prisma, viewer.userId);
}

export async function createOwnApiToken(viewer: Viewer, name: string): Promise<string> {
  return (await createApiToken((await getDatabase()).prisma, viewer.userId, name)).token;
}

export async function revokeOwnApiToken(viewer: Viewer, tokenId: string): Promise<boolean> {
  return revokeApiToken((await getDatabase()).prisma, viewer.userId, tokenId);
}
