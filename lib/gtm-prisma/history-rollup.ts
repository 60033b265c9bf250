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
 * Close dates are bucketed by month, and also kept by day (history_rollup_days) in the months
 * that the days reading the rollup fall in, so that a day's summary, which splits its own month
 * at it, reads no versions either.
 *
 * Where they come from: the pipeline rollup's rebuild (after every import, and when the day
 * changes) writes the latest instant's from its own groups (pipeline-rollup.ts, cheap; by month
 * only); the server's upkeep builds any other instant's from the versions (fillHistoryRollups),
 * most recent first, in the background.
 */

/**
 * The instant whose rollup stands for history at `instant`, or NULL when that rollup is
 * missing or no longer valid. Uncorrelated: PostgreSQL evaluates it once per statement.
 */
export function historyRollupAtSql(instant: Date | Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT s.at FROM history_rollup_state s WHERE s.at = ${latestInstantBeforeSql(instant)} AND ${isValid("s")})`;
}

/** The latest change instant before `instant` (NULL when history starts after it: nothing was in force). */
export function latestInstantBeforeSql(instant: Date | Prisma.Sql): Prisma.Sql {
  const at = instant instanceof Date ? Prisma.sql`${instant.toISOString()}::timestamptz` : instant;
  return Prisma.sql`(SELECT max(i.at) FROM history_instants i WHERE i.at < ${at})`;
}

/** Whether the rollup of instant `at` (SQL) keeps `month` by close day too (history_rollup_days). */
export function historyRollupHasDaysSql(at: Prisma.Sql, month: string | Prisma.Sql): Prisma.Sql {
  const first = typeof month === "string" ? Prisma.sql`${month}::date` : month;
  return Prisma.sql`EXISTS (SELECT 1 FROM history_rollup_state s WHERE s.at = ${at} AND s.days_from <= ${first} AND s.days_to > ${first})`;
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
    Prisma.sql`DELETE FROM history_rollup_days h WHERE h.at = ${at} AND NOT EXISTS (SELECT 1 FROM history_rollup_state s WHERE s.at = h.at)`,
  ];
}

/** Serializes the writers of history rollups (the pipeline rollup's rebuild, fillHistoryRollups); readers never wait. */
export const LOCK_HISTORY_ROLLUP = Prisma.sql`LOCK TABLE history_rollup_state IN SHARE ROW EXCLUSIVE MODE`;

/**
 * The change instants to build a rollup for, latest first, as text (exact to the microsecond):
 * those without a valid one, and those whose rollup keeps no days (written from the pipeline
 * rollup) or, for the latest, no longer keeps today's month.
 */
const TO_BUILD_SQL = `
  SELECT i.at::text AS at
  FROM (SELECT at, max(version) OVER (ORDER BY at) AS latest_writer, lead(at) OVER (ORDER BY at) AS next_at FROM history_instants) i
  LEFT JOIN history_rollup_state s ON s.at = i.at
  WHERE s.at IS NULL OR s.pipeline_version < i.latest_writer OR s.days_from IS NULL
     OR (i.next_at IS NULL AND s.days_to <= (now() + interval '1 day')::date)
  ORDER BY i.at DESC`;

/**
 * Builds every rollup due (TO_BUILD_SQL) from the versions, latest instant first, each in a
 * transaction of its own (an interrupted fill keeps what it built). Returns how many it built.
 */
export async function fillHistoryRollups(db: Pick<Database, "driver">): Promise<number> {
  const toBuild = await db.driver.withConnection((connection) => connection.query<{ at: string }>(TO_BUILD_SQL));
  let built = 0;
  for (const { at } of toBuild) {
    await db.driver.withConnection((connection) =>
      connection.transaction(async (tx) => {
        if (await buildFromVersions(tx, at)) built++;
      }),
    );
  }
  return built;
}

const run = (tx: SqlConnection, statement: Prisma.Sql) => tx.query(statement.text, statement.values);

/** The rollup of instant `at` from the versions in force just after it, unless another writer built it meanwhile. One statement, so one snapshot. */
async function buildFromVersions(tx: SqlConnection, at: string): Promise<boolean> {
  const instant = Prisma.sql`${at}::timestamptz`;
  await run(tx, LOCK_HISTORY_ROLLUP);
  const [due] = await run(
    tx,
    Prisma.sql`SELECT 1 FROM (${Prisma.raw(TO_BUILD_SQL)}) b WHERE b.at::timestamptz = ${instant}`,
  );
  if (!due) return false;
  await run(tx, Prisma.sql`DELETE FROM history_rollup_state WHERE at = ${instant}`);
  for (const statement of clearInvalidHistoryRollupSql(instant)) await run(tx, statement);
  // In force just after `at`: valid_from <= at < valid_to (timestamptz counts microseconds).
  const justAfter = Prisma.sql`(${instant} + interval '1 microsecond')`;
  const customers = { customers: customersAtSql(justAfter) };
  // The days that read this rollup end after `at` and no later than the next instant (or today):
  // their months, a day's margin each side for the time zone, are kept by close day too.
  const span = Prisma.sql`SELECT date_trunc('month', ${instant} - interval '1 day')::date AS days_from,
      (date_trunc('month', COALESCE((SELECT min(i.at) FROM history_instants i WHERE i.at > ${instant}), now()) + interval '1 day') + interval '1 month')::date AS days_to`;
  await run(
    tx,
    Prisma.sql`WITH span AS (${span}),
      deals AS MATERIALIZED (
        SELECT o.sales_owner, o.stage, o.close_date, ${isHighChurnSql("subquery", customers)} AS high_churn, o.amount
        FROM ${opportunitiesAtSql(justAfter)} o),
      rolled AS (
        INSERT INTO history_rollup (at, sales_owner, stage, close_date, high_churn, opportunity_count, amount)
        SELECT ${instant}, d.sales_owner, d.stage, date_trunc('month', d.close_date)::date, d.high_churn, count(*), sum(d.amount)
        FROM deals d GROUP BY 1, 2, 3, 4, 5),
      by_day AS (
        INSERT INTO history_rollup_days (at, close_date, sales_owner, stage, high_churn, opportunity_count, amount)
        SELECT ${instant}, d.close_date, d.sales_owner, d.stage, d.high_churn, count(*), sum(d.amount)
        FROM deals d CROSS JOIN span WHERE d.close_date >= span.days_from AND d.close_date < span.days_to GROUP BY 1, 2, 3, 4, 5)
      INSERT INTO history_rollup_state (at, pipeline_version, days_from, days_to)
      SELECT ${instant}, v.version, span.days_from, span.days_to FROM pipeline_version v CROSS JOIN span`,
  );
  return true;
}
