import { createPGlite } from "../lib/db/create-pglite";
import { migrate } from "../lib/db/migrate";
import { type Database, pgliteDatabase } from "../lib/db/open-database";
import { pgliteDriver } from "../lib/db/sql-driver";
import { seedDemoData } from "../lib/demo/seed-demo-data";
import { PrismaOpportunityRepository } from "../lib/gtm-prisma/prisma-opportunity-repository";
import { ALL_OWNERS } from "../lib/gtm/pipeline-scope";
import { parsePipelineQuery } from "../lib/gtm/pipeline-query";
import type { PipelineSummary } from "../lib/gtm/pipeline-summary";
import { today } from "../lib/today";

// Seeding half a year of weekly history takes many seconds on a busy machine: it is done once
// per worker process, and every question gets its own copy of the result (a dumped data directory).
let seededDump: Promise<File | Blob> | undefined;

function demoDump(): Promise<File | Blob> {
  seededDump ??= (async () => {
    const pglite = await createPGlite();
    try {
      await migrate(pgliteDriver(pglite));
      await seedDemoData({ driver: pgliteDriver(pglite) }, today());
      return await pglite.dumpDataDir("none");
    } finally {
      await pglite.close();
    }
  })();
  return seededDump;
}

/**
 * Runs `read` on a private in-memory database holding the same demo data the e2e server was
 * seeded with (same generator, same seed, same day), since the server's embedded database
 * cannot be opened by a second process.
 */
export async function withDemoDatabase<T>(read: (db: Database) => Promise<T>): Promise<T> {
  const db = pgliteDatabase(await createPGlite(undefined, { loadDataDir: await demoDump() }));
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

/** The repository's answer for the demo data (see withDemoDatabase). */
export function demoSummary(search = ""): Promise<PipelineSummary> {
  return withDemoDatabase((db) => {
    const { query } = parsePipelineQuery(new URLSearchParams(search), today());
    return new PrismaOpportunityRepository(db.prisma, ALL_OWNERS).summarize(query);
  });
}
