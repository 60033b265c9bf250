import "server-only";
import { type ApiTokenInfo, createApiToken, listApiTokens, revokeApiToken } from "../auth/api-tokens";
import { recentExports } from "../auth/export-audit";
import { listUsers } from "../auth/users";
import { recentImportRuns } from "../import/recent-import-runs";
import { scopeOfUser, type Viewer } from "../auth/viewer";
import { getDatabase } from "./request-context";

/** What the admin page lists: every user with what they see, the latest exports and the latest imports. */
export async function loadAdminOverview() {
  const { prisma } = await getDatabase();
  const [users, exports, imports] = await Promise.all([
    listUsers(prisma),
    recentExports(prisma),
    recentImportRuns(prisma),
  ]);
  return {
    users: await Promise.all(users.map(async (user) => ({ ...user, scope: await scopeOfUser(prisma, user) }))),
    exports,
    imports,
  };
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
