import { Prisma } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import { stalledSince } from "../gtm/deal-age";
import { endOfDay, startOfDay } from "../gtm/history-time";
import type { PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { isAtRiskSql, isOverdueSql, pipelineWhereSql } from "./pipeline-sql";

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
