import "server-only";
import { keepPipelineRollupCurrent } from "../gtm-prisma/pipeline-rollup";
import { exportCursorDriver } from "../gtm-prisma/export-cursor";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { today } from "../today";
import { type Database, openDatabase } from "./open-database";

// One database per process, kept on globalThis so dev-mode reloads reuse it
// (PGlite must never be opened twice on one data directory).
const globalForDb = globalThis as unknown as { pipelineRiskDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  globalForDb.pipelineRiskDb ??= openDatabase().catch((error: unknown) => {
    globalForDb.pipelineRiskDb = undefined;
    throw error;
  });
  return globalForDb.pipelineRiskDb;
}

/** The only way server code gets a repository: bound to what the viewer may see. */
export async function getOpportunityRepository(scope: PipelineScope): Promise<OpportunityRepository> {
  const db = await getDatabase();
  keepPipelineRollupCurrent(db, today());
  return new PrismaOpportunityRepository(db.prisma, scope, { exportCursor: exportCursorDriver(db) });
}
