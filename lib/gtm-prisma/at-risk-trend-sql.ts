import { Prisma } from "../db/generated/client";
import { addDays, addMonths, type CalendarDate, firstOfMonth } from "../gtm/calendar-date";
import { stalledSince } from "../gtm/deal-age";
import { endOfDay, startOfDay } from "../gtm/history-time";
import type { PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { historyRollupAtSql, historyRollupHasDaysSql, latestInstantBeforeSql } from "./history-rollup";
import { IS_OPEN, isAtRiskSql, isOverdueSql, pipelineWhereSql } from "./pipeline-sql";

/**
 * Revenue at risk at the end of each of several days, in one pass over history: every version
 * is matched with the days it was in force at the end of (with its customer as they were then),
 * and counts on a day when it is in the view and at risk on that day (THE at-risk rule,
 * isAtRiskSql, with the day as its asOf). Equal, day by day, to the summary's at-risk figure
 * for asOf = that day; a test proves it.
 */
export function atRiskTrendSql(
  query: PipelineQuery,
  scope: PipelineScope,
  days: readonly CalendarDate[],
  timeZone: string,
): Prisma.Sql {
  // Each day with the instant it ends and, for `stalledDays`, the instant a stage must have begun before (deal-age.ts).
  const stalled = (day: CalendarDate) => (query.stalledDays === undefined ? day : stalledSince(day, query.stalledDays));
  const values = Prisma.join(
    days.map(
      (day) =>
        Prisma.sql`(${day}::date, ${endOfDay(day, timeZone).toISOString()}::timestamptz, ${startOfDay(stalled(day), timeZone).toISOString()}::timestamptz)`,
    ),
  );
  const inForce = (alias: string) =>
    Prisma.raw(`${alias}.valid_from < d.ends AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= d.ends)`);
  // The view's filters with its risk filter evaluated on each day, like the summary of that day.
  const day = Prisma.sql`d.day`;
  const where = Prisma.sql`${pipelineWhereSql({ ...query, risk: undefined, stalledDays: undefined }, scope, "joined")}
    AND ${query.risk === "overdue" ? isOverdueSql(day) : Prisma.sql`TRUE`} AND ${query.stalledDays === undefined ? Prisma.sql`TRUE` : Prisma.sql`o.stage_since < d.stage_began_before`}`;
  return Prisma.sql`WITH d(day, ends, stage_began_before) AS (VALUES ${values})
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, COALESCE(SUM(o.amount), 0)::text AS at_risk, COUNT(o.opp_id) AS at_risk_count
    FROM d
    LEFT JOIN (opportunity_versions o JOIN customer_versions c ON c.customer_id = o.customer_id)
      ON ${inForce("o")} AND ${inForce("c")} AND ${where} AND ${isAtRiskSql(day, "joined")}
    GROUP BY d.day ORDER BY d.day`;
}

/**
 * The same figures from the history rollups (history-rollup.ts), or null when the view's filters
 * cut inside their groups (amount, text, deal age, a close window inside a month; an overdue view,
 * whose trend the versions give). A day's at-risk deals are its rollup's open high-churn groups
 * in the months after its own and, in its own month, its groups by close day from the day on.
 * The statement answers (a row per day) only when every day's rollup stands and keeps its month
 * by day, or history had not started by its end (nothing at risk); otherwise no rows.
 */
export function atRiskTrendFromRollupsSql(
  query: PipelineQuery,
  scope: PipelineScope,
  days: readonly CalendarDate[],
  timeZone: string,
): Prisma.Sql | null {
  const closeWindowInsideMonth =
    (query.closeFrom !== undefined && query.closeFrom !== firstOfMonth(query.closeFrom)) ||
    (query.closeTo !== undefined && addDays(query.closeTo, 1) !== firstOfMonth(addDays(query.closeTo, 1)));
  if (
    query.q ||
    query.minAmount ||
    query.maxAmount ||
    query.pushedMin !== undefined ||
    query.stalledDays !== undefined ||
    query.risk === "overdue" ||
    closeWindowInsideMonth
  )
    return null;
  const values = Prisma.join(
    days.map(
      (day) =>
        Prisma.sql`(${day}::date, ${endOfDay(day, timeZone).toISOString()}::timestamptz, ${firstOfMonth(day)}::date, ${addMonths(firstOfMonth(day), 1)}::date)`,
    ),
  );
  const atRisk = Prisma.sql`o.high_churn AND ${IS_OPEN} AND ${pipelineWhereSql({ ...query, risk: undefined }, scope, "column")}`;
  return Prisma.sql`WITH d(day, ends, month, next_month) AS (VALUES ${values}),
    k AS MATERIALIZED (
      SELECT d.day, d.month, d.next_month, ${historyRollupAtSql(Prisma.sql`d.ends`)} AS at, ${latestInstantBeforeSql(Prisma.sql`d.ends`)} IS NULL AS before_history
      FROM d)
    SELECT to_char(k.day, 'YYYY-MM-DD') AS day, COALESCE(r.amount, 0)::text AS at_risk, COALESCE(r.n, 0) AS at_risk_count
    FROM k CROSS JOIN LATERAL (SELECT SUM(g.amount) AS amount, SUM(g.n) AS n FROM (
      SELECT o.amount, o.opportunity_count AS n FROM history_rollup o WHERE o.at = k.at AND o.close_date >= k.next_month AND ${atRisk}
      UNION ALL
      SELECT o.amount, o.opportunity_count FROM history_rollup_days o
      WHERE o.at = k.at AND o.close_date >= k.day AND o.close_date < k.next_month AND ${atRisk}) g) r
    WHERE (SELECT bool_and(k2.before_history OR (k2.at IS NOT NULL AND ${historyRollupHasDaysSql(Prisma.sql`k2.at`, Prisma.sql`k2.month`)})) FROM k k2)
    ORDER BY k.day`;
}
