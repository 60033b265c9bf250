import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/client";

const TOKEN_PREFIX = "prk_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Makes a token for a user; the plain token is returned once and only its hash is kept. */
export async function createApiToken(
  prisma: PrismaClient,
  userId: string,
  name: string,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const record = await prisma.apiToken.create({
    data: {
      id: randomUUID(),
      userId,
      name: name.trim().slice(0, 100) || "API token",
      tokenHash: hashToken(token),
      prefix: token.slice(0, 12),
    },
  });
  return { token, info: record };
}

export async function listApiTokens(prisma: PrismaClient, userId: string): Promise<ApiTokenInfo[]> {
  return prisma.apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the user's own tokens; returns false when there is no such live token. */
export async function revokeApiToken(prisma: PrismaClient, userId: string, tokenId: string): Promise<boolean> {
  const { count } = await prisma.apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

/** The user id a live token belongs to, or null; records when it was last used. */
export async function userIdForToken(prisma: PrismaClient, token: string): Promise<string | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const record = await prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, userId: true, revokedAt: true },
  });
  if (!record || record.revokedAt) return null;
  await prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
  return record.userId;
}
