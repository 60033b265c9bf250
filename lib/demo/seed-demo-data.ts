import type { Database } from "../db/open-database";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { refreshPipelineRollup } from "../gtm-prisma/pipeline-rollup";
import type { CalendarDate } from "../gtm/calendar-date";
import { demoManagerName, demoOwnerName, generateDemoDealDetails } from "./demo-deal-details";
import { generateDemoQuotas } from "./demo-quotas";
import { generateDemoData } from "./generate-demo-data";

/**
 * Inserts the demo pipeline, its deals' names, created dates and forecast fields, its two
 * sales teams and their quotas in one transaction; existing ids (and quotas) are left as
 * they are, so it is idempotent.
 */
export function seedDemoData(db: Database, today: CalendarDate): Promise<{ customers: number; opportunities: number }> {
  const { customers, opportunities, teams } = generateDemoData({ today });
  const details = generateDemoDealDetails(opportunities, customers, today);
  const quotas = generateDemoQuotas(opportunities, teams.map((member) => member.salesOwner), today);
  return db.prisma.$transaction(
    async (tx) => {
      const existing = new Set(
        (await tx.opportunity.findMany({ where: { oppId: { in: opportunities.map((o) => o.oppId) } }, select: { oppId: true } })).map((o) => o.oppId),
      );
      const inserted = await insertPipeline(tx, customers, opportunities, { skipDuplicates: true });
      const added = details.filter((detail) => !existing.has(detail.oppId));
      await tx.$executeRaw`
        UPDATE opportunities o SET name = d.name, created_date = d.created_date, forecast_category = d.category::forecast_category, probability = d.probability
        FROM unnest(${added.map((d) => d.oppId)}::text[], ${added.map((d) => d.name)}::text[], ${added.map((d) => d.createdDate)}::date[],
                    ${added.map((d) => d.forecastCategory)}::text[], ${added.map((d) => d.probability)}::int[]) AS d(opp_id, name, created_date, category, probability)
        WHERE o.opp_id = d.opp_id`;
      const named = teams.map((member) => ({ ...member, ownerName: demoOwnerName(member.salesOwner), managerName: demoManagerName(member.manager) }));
      await tx.salesTeamMember.createMany({ data: named, skipDuplicates: true });
      await tx.quota.createMany({ data: quotas.map((quota) => ({ ...quota, amount: quota.amount.toFixed(2) })), skipDuplicates: true });
      await refreshPipelineRollup((statement) => tx.$executeRaw(statement), today);
      return inserted;
    },
    { timeout: 120_000 },
  );
}
