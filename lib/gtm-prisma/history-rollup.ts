import { Prisma } from "../db/generated/client";
import type { Database } from "../db/open-database";
import type { SqlConnection } from "../db/sql-driver";
import { customersAtSql, opportunitiesAtSql } from "./history-sql";
import { isHighChurnSql } from "./pipeline-sql";

/**
 * The history rollup (migration 20261201090000_history_rollup): the pipeline just after each
 * change instant, per (sales owner, stage, close month, high churn), so that a past day's
 * summary adds up tens of thousands of groups instead of reading every version in force.
 *
 * History changes only at the instants writers give, so the pipeline at the end of a day is the
 * one just after the latest change instant before it: every day between two imports reads the
 * same rollup. A rollup records the pipeline version it was built from, in the snapshot of the
 * rows it aggregated, and stands for history only while no statement with a later version wrote
 * at its instant or before it (history_instants keeps, per instant, the version of its latest
 * writer). Exact without locks: a write dated after it is a new instant, which has a rollup of
 * its own or none yet (then the day is read live).
 *
 * Where they come from: the pipeline rollup's rebuild (after every import, and when the day
 * changes) writes the latest instant's from its own groups (pipeline-rollup.ts, cheap); the
 * server's upkeep builds any other instant's from the versions (fillHistoryRollups), most
 * recent first, in the background.
 */

/**
 * The instant whose rollup stands for history at `instant`, or NULL when that rollup is
 * missing or no longer valid. Uncorrelated: PostgreSQL evaluates it once per statement.
 */
export function historyRollupAtSql(instant: Date): Prisma.Sql {
  return Prisma.sql`(SELECT s.at FROM history_rollup_state s
    WHERE s.at = (SELECT max(i.at) FROM history_instants i WHERE i.at < ${instant.toISOString()}::timestamptz)
      AND ${isValid("s")})`;
}

/** Whether the rollup state row `alias` is still valid: no later writer dated at or before its instant. */
const isValid = (alias: string) =>
  Prisma.raw(`${alias}.pipeline_version >= (SELECT max(i.version) FROM history_instants i WHERE i.at <= ${alias}.at)`);

/** The latest change instant: the one the current tables stand for. */
export const LATEST_INSTANT = Prisma.sql`(SELECT max(i.at) FROM history_instants i)`;

/** Removes the rollup of instant `at` (SQL) unless a valid one stands, so that it can be built again. Two statements. */
export function clearInvalidHistoryRollupSql(at: Prisma.Sql): Prisma.Sql[] {
  return [
    Prisma.sql`DELETE FROM history_rollup_state s WHERE s.at = ${at} AND NOT (${isValid("s")})`,
    Prisma.sql`DELETE FROM history_rollup h WHERE h.at = ${at} AND NOT EXISTS (SELECT 1 FROM history_rollup_state s WHERE s.at = h.at)`,
  ];
}

/** Serializes the writers of history rollups (the pipeline rollup's rebuild, fillHistoryRollups); readers never wait. */
export const LOCK_HISTORY_ROLLUP = Prisma.sql`LOCK TABLE history_rollup_state IN SHARE ROW EXCLUSIVE MODE`;

/** The change instants without a valid rollup, latest first, as text (exact to the microsecond). */
const MISSING_SQL = `
  SELECT i.at::text AS at
  FROM (SELECT at, max(version) OVER (ORDER BY at) AS latest_writer FROM history_instants) i
  LEFT JOIN history_rollup_state s ON s.at = i.at
  WHERE s.at IS NULL OR s.pipeline_version < i.latest_writer
  ORDER BY i.at DESC`;

/**
 * Builds every missing rollup from the versions, latest instant first, each in a transaction of
 * its own (an interrupted fill keeps what it built). Returns how many it built.
 */
export async function fillHistoryRollups(db: Pick<Database, "driver">): Promise<number> {
  const missing = await db.driver.withConnection((connection) => connection.query<{ at: string }>(MISSING_SQL));
  let built = 0;
  for (const { at } of missing) {
    await db.driver.withConnection((connection) =>
      connection.transaction(async (tx) => {
        if (await buildFromVersions(tx, at)) built++;
      }),
    );
  }
  return built;
}

const run = (tx: SqlConnection, statement: Prisma.Sql) => tx.query(statement.text, statement.values);

/** The rollup of instant `at` from the versions in force just after it, unless a valid one exists. One statement, so one snapshot. */
async function buildFromVersions(tx: SqlConnection, at: string): Promise<boolean> {
  const instant = Prisma.sql`${at}::timestamptz`;
  await run(tx, LOCK_HISTORY_ROLLUP);
  for (const statement of clearInvalidHistoryRollupSql(instant)) await run(tx, statement);
  const [standing] = await run(tx, Prisma.sql`SELECT 1 FROM history_rollup_state WHERE at = ${instant}`);
  if (standing) return false;
  // In force just after `at`: valid_from <= at < valid_to (timestamptz counts microseconds).
  const justAfter = Prisma.sql`(${instant} + interval '1 microsecond')`;
  const source = {
    opportunities: opportunitiesAtSql(justAfter),
    customers: customersAtSql(justAfter),
    current: false,
    instant: null,
  };
  await run(
    tx,
    Prisma.sql`WITH rolled AS (
        INSERT INTO history_rollup (at, sales_owner, stage, close_date, high_churn, opportunity_count, amount)
        SELECT ${instant}, o.sales_owner, o.stage, date_trunc('month', o.close_date)::date, ${isHighChurnSql("subquery", source)},
               count(*), sum(o.amount)
        FROM ${source.opportunities} o GROUP BY 1, 2, 3, 4, 5)
      INSERT INTO history_rollup_state (at, pipeline_version) SELECT ${instant}, v.version FROM pipeline_version v`,
  );
  return true;
}
