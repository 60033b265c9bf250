import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/client";

export async function recordExport(
  prisma: PrismaClient,
  entry: { userId: string; format: string; filters: string; rowCount: number },
): Promise<void> {
  await prisma.exportAudit.create({ data: { id: randomUUID(), ...entry } });
}

export async function recentExports(prisma: PrismaClient, limit = 100) {
  return prisma.exportAudit.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      format: true,
      filters: true,
      rowCount: true,
      createdAt: true,
      user: { select: { email: true } },
    },
  });
}
