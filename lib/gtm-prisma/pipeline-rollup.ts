import { Prisma, type PrismaClient } from "../db/generated/client";
import type { Database } from "../db/open-database";
import { addMonths, type CalendarDate, firstOfMonth } from "../gtm/calendar-date";
import {
  clearInvalidHistoryRollupSql,
  fillHistoryRollups,
  LATEST_INSTANT,
  LOCK_HISTORY_ROLLUP,
} from "./history-rollup";
import { isHighChurnSql } from "./pipeline-sql";

/**
 * The summary rollup (migration 20261125010000_pipeline_rollup): the pipeline pre-aggregated
 * per (sales owner, stage, close-date bucket, high churn), about 70k rows for 1M
 * opportunities. The bucket of a deal is the first day of its close month, except that a
 * deal due on or after the rollup's `as_of` in the month of `as_of` is bucketed on `as_of`.
 * So for every date d that is `as_of` or lies outside a bucket's month, `close_date < d`
 * has the same answer for the bucket as for each of its deals: the filters and the at-risk
 * and overdue rules of pipeline-sql.ts apply to rollup rows unchanged. The months where a
 * query compares with any other date are read live from opportunities instead
 * (pipeline-summary-sql.ts).
 *
 * Current or not, by versions (migration 20261201000000_rollup_version): every statement that
 * writes opportunities or customers bumps `pipeline_version` in its own transaction, a rebuild
 * records the version it read in the same snapshot as the rows it aggregated, and the rollup
 * stands for the pipeline only while the two are equal. A write that commits during a rebuild
 * leaves them different, so it is never lost. Until refreshPipelineRollup runs again (the
 * import, the seed, and the server when the day changes) readers use the live query.
 */

export interface RollupState {
  /** The day the rollup was built for; null before the first build. */
  asOf: CalendarDate | null;
  /** Whether it was built from the pipeline as it is now (no write committed since). */
  fresh: boolean;
}

/** Whether the rollup is current, in the snapshot of the statement it is part of. */
export const ROLLUP_IS_CURRENT = Prisma.sql`(SELECT COALESCE(s.pipeline_version = v.version, false) FROM pipeline_rollup_state s CROSS JOIN pipeline_version v)`;

/** The day the rollup was built for, in the snapshot of the statement it is part of. */
export const ROLLUP_AS_OF = Prisma.sql`(SELECT s.as_of FROM pipeline_rollup_state s)`;

/** Runs one statement inside the caller's transaction (a Prisma transaction or a driver connection). */
export type ExecuteSql = (statement: Prisma.Sql) => Promise<unknown>;

/** Rebuilds the rollup for `asOf`. Run it in the transaction that wrote the pipeline, so readers never see it half-built. */
export async function refreshPipelineRollup(execute: ExecuteSql, asOf: CalendarDate): Promise<void> {
  // Self-conflicting but open to readers: two refreshes take turns, the dashboard keeps reading.
  await execute(Prisma.sql`LOCK TABLE pipeline_rollup IN SHARE ROW EXCLUSIVE MODE`);
  await execute(Prisma.sql`DELETE FROM pipeline_rollup`);
  const nextMonth = addMonths(firstOfMonth(asOf), 1);
  // One statement, so the version it records is the one of the rows it read (one snapshot,
  // whatever the caller's isolation level).
  await execute(Prisma.sql`
    WITH rebuilt AS (
      INSERT INTO pipeline_rollup (sales_owner, stage, close_date, high_churn, opportunity_count, amount)
      SELECT o.sales_owner, o.stage,
             CASE WHEN o.close_date >= ${asOf}::date AND o.close_date < ${nextMonth}::date THEN ${asOf}::date
                  ELSE date_trunc('month', o.close_date)::date END,
             ${isHighChurnSql("joined")}, count(*), sum(o.amount)
      FROM opportunities o JOIN customers c ON c.customer_id = o.customer_id
      GROUP BY 1, 2, 3, 4
    )
    UPDATE pipeline_rollup_state SET as_of = ${asOf}::date, pipeline_version = (SELECT v.version FROM pipeline_version v)`);
  await recordAsHistoryRollup(execute);
}

/**
 * The current pipeline is history just after its latest change instant: its groups, summed per
 * close month, are that instant's history rollup (history-rollup.ts), unless a valid one stands.
 * Written only while the rollup is current in the statement's snapshot, with the version it was
 * built from, so a write that committed since the rebuild leaves it out.
 */
async function recordAsHistoryRollup(execute: ExecuteSql): Promise<void> {
  await execute(LOCK_HISTORY_ROLLUP);
  for (const statement of clearInvalidHistoryRollupSql(LATEST_INSTANT)) await execute(statement);
  await execute(Prisma.sql`
    WITH latest AS (
      SELECT l.at FROM (SELECT ${LATEST_INSTANT} AS at) l
      WHERE l.at IS NOT NULL AND ${ROLLUP_IS_CURRENT} AND NOT EXISTS (SELECT 1 FROM history_rollup_state s WHERE s.at = l.at)
    ), rolled AS (
      INSERT INTO history_rollup (at, sales_owner, stage, close_date, high_churn, opportunity_count, amount)
      SELECT latest.at, r.sales_owner, r.stage, date_trunc('month', r.close_date)::date, r.high_churn, sum(r.opportunity_count), sum(r.amount)
      FROM pipeline_rollup r CROSS JOIN latest GROUP BY 1, 2, 3, 4, 5
    )
    INSERT INTO history_rollup_state (at, pipeline_version) SELECT latest.at, s.pipeline_version FROM latest CROSS JOIN pipeline_rollup_state s`);
}

/** Rebuilds the rollup in a transaction of its own (after an import has committed, or when the day changes). */
export function rebuildPipelineRollup(db: Pick<Database, "driver">, asOf: CalendarDate): Promise<void> {
  return db.driver.withConnection(async (connection) => {
    await connection.transaction((tx) =>
      refreshPipelineRollup((statement) => tx.query(statement.text, statement.values), asOf),
    );
    // Each rebuild leaves the previous groups dead; without this the table bloats and its scans
    // (every summary) slow down until autovacuum comes by (BENCHMARKS.md, "Measurements behind the code").
    await connection.exec("VACUUM (ANALYZE) pipeline_rollup");
  });
}

const UPKEEP_INTERVAL_MS = 60_000;
const upkeep = { checkedAt: -Infinity, running: false };

/**
 * Called on the server's reads: at most once a minute, rebuilds the rollup in the background
 * when it is stale or was built for another day, then builds the history rollups that are
 * missing. Readers never wait for it (until then they read live, exactly, just slower); the
 * promise is for tests.
 */
export function keepPipelineRollupCurrent(
  db: Pick<Database, "driver" | "prisma">,
  today: CalendarDate,
  now = Date.now(),
): Promise<void> | undefined {
  if (upkeep.running || now - upkeep.checkedAt < UPKEEP_INTERVAL_MS) return undefined;
  upkeep.checkedAt = now;
  upkeep.running = true;
  return (async () => {
    const state = await readRollupState(db.prisma);
    if (!state.fresh || state.asOf !== today) await rebuildPipelineRollup(db, today);
    await fillHistoryRollups(db);
  })()
    .catch((error: unknown) =>
      console.error(
        `[rollup] rebuild failed, summaries stay live: ${error instanceof Error ? error.message : String(error)}`,
      ),
    )
    .finally(() => (upkeep.running = false));
}

export async function readRollupState(prisma: PrismaClient): Promise<RollupState> {
  const [state] = await prisma.$queryRaw<{ as_of: string | null; fresh: boolean }[]>`
    SELECT to_char(${ROLLUP_AS_OF}, 'YYYY-MM-DD') AS as_of, ${ROLLUP_IS_CURRENT} AS fresh`;
  return { asOf: (state?.as_of ?? null) as CalendarDate | null, fresh: state?.fresh ?? false };
}
