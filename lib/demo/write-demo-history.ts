import type { SqlConnection } from "../db/sql-driver";
import { type CrmEntity, ENTITY_SPECS } from "../import/crm-entities";
import { clearStagingTables, createStagingTables, stageValidRows } from "../import/staging-tables";
import { writeStagedImport } from "../import/write-staged-import";
import type { DemoHistory } from "./demo-history";

const withAllColumns = (entity: CrmEntity) => ({
  entity,
  optionalColumns: ENTITY_SPECS[entity].columns.filter((c) => c.optional).map((c) => c.name),
});

/**
 * Writes each week of the demo history as the import would a dated snapshot of the CRM: the
 * week's rows staged (valid by construction, so no file and no validation), then the import's
 * own write path, under an import run with source "demo seed". Run inside the caller's transaction.
 */
export async function writeDemoHistory(tx: SqlConnection, history: DemoHistory, timeZone: string): Promise<void> {
  await createStagingTables(tx);
  for (let week = 0; week < history.weeks.length; week++) {
    if (week > 0) await clearStagingTables(tx);
    await stageValidRows(
      tx,
      "customers",
      history.customersAt(week).map((c) => ({ customer_id: c.customerId, name: c.name, churn_risk: c.churnRisk })),
    );
    await stageValidRows(
      tx,
      "opportunities",
      history.dealsAt(week).map((d) => ({
        opp_id: d.oppId,
        customer_id: d.customerId,
        stage: d.stage,
        close_date: d.closeDate,
        amount: d.amount.toFixed(2),
        sales_owner: d.salesOwner,
        name: d.name,
        created_date: d.createdDate,
        forecast_category: d.forecastCategory,
        probability: d.probability === null ? null : String(d.probability),
      })),
    );
    // Teams are not versioned: the first week brings them, with their display names.
    if (week === 0) {
      await stageValidRows(
        tx,
        "teams",
        history.teams.map((t) => ({
          sales_owner: t.salesOwner,
          manager: t.manager,
          owner_name: t.ownerName,
          manager_name: t.managerName,
        })),
      );
    }
    const entities = [
      withAllColumns("customers"),
      withAllColumns("opportunities"),
      ...(week === 0 ? [withAllColumns("teams")] : []),
    ];
    const written = await writeStagedImport(tx, {
      entities,
      snapshot: true,
      effectiveDate: history.weeks[week],
      timeZone,
      source: "demo seed",
      files: `demo data, week ${week + 1} of ${history.weeks.length}`,
    });
    if (written.outcome === "refused")
      throw new Error(`The demo history's week of ${history.weeks[week]} was refused: ${written.refusal}`);
  }
}
