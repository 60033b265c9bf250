import type { Database } from "../db/open-database";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { refreshPipelineRollup } from "../gtm-prisma/pipeline-rollup";
import type { CalendarDate } from "../gtm/calendar-date";
import { generateDemoData } from "./generate-demo-data";

/** Inserts the demo pipeline and its two sales teams in one transaction; existing ids are left as they are, so it is idempotent. */
export function seedDemoData(db: Database, today: CalendarDate): Promise<{ customers: number; opportunities: number }> {
  const { customers, opportunities, teams } = generateDemoData({ today });
  return db.prisma.$transaction(
    async (tx) => {
      const inserted = await insertPipeline(tx, customers, opportunities, { skipDuplicates: true });
      await tx.salesTeamMember.createMany({ data: teams, skipDuplicates: true });
      await refreshPipelineRollup((statement) => tx.$executeRaw(statement), today);
      return inserted;
    },
    { timeout: 120_000 },
  );
}
