import { ALL_OWNERS } from "../lib/gtm/pipeline-scope";
import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { seedDemoData } from "../lib/demo/seed-demo-data";
import { PrismaOpportunityRepository } from "../lib/gtm-prisma/prisma-opportunity-repository";
import { parsePipelineQuery } from "../lib/gtm/pipeline-query";
import type { PipelineSummary } from "../lib/gtm/pipeline-summary";
import { today } from "../lib/today";

/**
 * The repository's answer for the same demo data the e2e server was seeded with
 * (same generator, same seed, same day), computed on a private in-memory database,
 * since the server's embedded database cannot be opened by a second process.
 */
export async function demoSummary(search = ""): Promise<PipelineSummary> {
  const db = await openDatabase("memory:");
  try {
    await migrate(db.driver);
    await seedDemoData(db, today());
    const { query } = parsePipelineQuery(new URLSearchParams(search), today());
    return await new PrismaOpportunityRepository(db.prisma, ALL_OWNERS).summarize(query);
  } finally {
    await db.close();
  }
}
