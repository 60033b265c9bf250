import type { Database } from "../db/open-database";
import type { SqlConnection } from "../db/sql-driver";
import { refreshPipelineRollup } from "../gtm-prisma/pipeline-rollup";
import type { CalendarDate } from "../gtm/calendar-date";
import type { Quota } from "../gtm/forecast";
import { configuredTimeZone } from "../today";
import { generateDemoHistory } from "./demo-history";
import { generateDemoQuotas } from "./demo-quotas";
import { generateDemoData } from "./generate-demo-data";
import { writeDemoHistory } from "./write-demo-history";

export interface DemoSeedResult {
  /** False when the database already held data and was left alone. */
  seeded: boolean;
  customers: number;
  opportunities: number;
  /** Weekly snapshots of history written, the last one today. */
  weeks: number;
}

/**
 * Fills an empty database with the demo pipeline (generateDemoData's, as of `today`), the half
 * year of weekly history that led to it (each week an import run), its teams and their quotas,
 * and rebuilds the summary rollup, all in one transaction. A database that holds any pipeline
 * data or history is left alone: history dated in the past cannot go in after changes already
 * recorded. So it is idempotent.
 */
export function seedDemoData(
  db: Pick<Database, "driver">,
  today: CalendarDate,
  timeZone = configuredTimeZone(),
): Promise<DemoSeedResult> {
  return db.driver.withConnection((connection) =>
    connection.transaction(async (tx) => {
      if (!(await isEmpty(tx))) return { seeded: false, customers: 0, opportunities: 0, weeks: 0 };
      const data = generateDemoData({ today });
      const history = generateDemoHistory(data, today);
      await writeDemoHistory(tx, history, timeZone);
      await insertQuotas(
        tx,
        generateDemoQuotas(
          data.opportunities,
          data.teams.map((member) => member.salesOwner),
          today,
        ),
      );
      await refreshPipelineRollup((statement) => tx.query(statement.text, statement.values), today);
      return {
        seeded: true,
        customers: data.customers.length,
        opportunities: data.opportunities.length,
        weeks: history.weeks.length,
      };
    }),
  );
}

async function isEmpty(tx: SqlConnection): Promise<boolean> {
  const [{ empty }] = await tx.query<{ empty: boolean }>(
    `SELECT NOT (EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM opportunities) OR EXISTS (SELECT 1 FROM opportunity_versions)
                 OR EXISTS (SELECT 1 FROM customer_versions) OR EXISTS (SELECT 1 FROM import_runs)) AS empty`,
  );
  return empty;
}

async function insertQuotas(tx: SqlConnection, quotas: Quota[]): Promise<void> {
  await tx.query(
    `INSERT INTO quotas (sales_owner, period, amount) SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[]) ON CONFLICT DO NOTHING`,
    [
      quotas.map((quota) => quota.salesOwner),
      quotas.map((quota) => quota.period),
      quotas.map((quota) => quota.amount.toFixed(2)),
    ],
  );
}
