import { Prisma } from "../db/generated/client";
import { addDays, addMonths, type CalendarDate, firstOfMonth } from "../gtm/calendar-date";
import type { PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { type RollupState } from "./pipeline-rollup";
import { IS_OPEN, isAtRiskSql, isHighChurnSql, isOverdueSql, pipelineFromSql, pipelineWhereSql } from "./pipeline-sql";
import type { PipelineSource } from "./pipeline-source";

/** The summary's statement and the search total's, from the rollup when it answers (pipeline-rollup.ts), else live. */

/** The filtered pipeline's figures as SummaryGroupRecord rows (pipeline-records.ts). */
export function summarySql(query: PipelineQuery, scope: PipelineScope, state: RollupState, source: PipelineSource): Prisma.Sql {
  return groupsSql(query, summarySourceSql(query, scope, state, source));
}

/**
 * One pass over `source`, grouped four ways at once. Close dates are grouped as they are and
 * added up per month by the caller: a month key per row (to_char) cost more than all the sums.
 */
function groupsSql(query: PipelineQuery, source: Prisma.Sql): Prisma.Sql {
  const atRisk = isAtRiskSql(query.asOf, "column");
  const overdue = isOverdueSql(query.asOf);
  return Prisma.sql`
      SELECT CASE GROUPING(o.stage, o.sales_owner, o.close_date) WHEN 7 THEN 'total' WHEN 3 THEN 'stage' WHEN 5 THEN 'owner' ELSE 'day' END AS grouped_by,
             COALESCE(o.stage::text, o.sales_owner, to_char(o.close_date, 'YYYY-MM-DD')) AS key,
             SUM(o.n) AS count, SUM(o.amount)::text AS amount,
             SUM(o.amount) FILTER (WHERE ${IS_OPEN})::text AS open, SUM(o.n) FILTER (WHERE ${IS_OPEN}) AS open_count,
             SUM(o.amount) FILTER (WHERE ${atRisk})::text AS at_risk, SUM(o.n) FILTER (WHERE ${atRisk}) AS at_risk_count,
             SUM(o.amount) FILTER (WHERE ${overdue})::text AS overdue, SUM(o.n) FILTER (WHERE ${overdue}) AS overdue_count
      FROM (${source}) o
      GROUP BY GROUPING SETS ((), (o.stage), (o.sales_owner), (o.close_date))`;
}

/**
 * Whether the rollup can stand for `query`'s set: it is current, the query reads the current
 * tables (never a past day), and the filters only cut whole groups.
 */
function rollupAnswers(query: PipelineQuery, state: RollupState, source: PipelineSource): state is RollupState & { asOf: CalendarDate } {
  return source.current && state.fresh && state.asOf !== null && !query.q && !query.minAmount && !query.maxAmount;
}

/**
 * Months in which `query` splits deals by close date at a day the rollup's buckets do not keep
 * apart. Every close-date comparison splits at a day d (`>= d` or `< d`; `<= closeTo` is
 * `< closeTo + 1`), and a split is exact on the buckets when d starts a month or is the
 * rollup's as-of day: month presets and the default as-of never read live.
 */
function liveMonths(query: PipelineQuery, rollupAsOf: CalendarDate): CalendarDate[] {
  const splits = [query.closeFrom, query.closeTo && addDays(query.closeTo, 1), query.asOf];
  const cutting = splits.filter((day): day is CalendarDate => day !== undefined && day !== rollupAsOf && day !== firstOfMonth(day));
  return [...new Set(cutting.map(firstOfMonth))];
}

function inMonthsSql(months: CalendarDate[]): Prisma.Sql {
  if (months.length === 0) return Prisma.sql`FALSE`;
  return Prisma.join(
    months.map((month) => Prisma.sql`(o.close_date >= ${month}::date AND o.close_date < ${addMonths(month, 1)}::date)`),
    " OR ",
  );
}

/**
 * The filtered pipeline as rows of (sales_owner, stage, close_date, high_churn, n, amount),
 * where a row stands for `n` opportunities: one row per opportunity when read live, one per
 * rollup group otherwise. The summary aggregates over it (churn source "column").
 */
function summarySourceSql(query: PipelineQuery, scope: PipelineScope, state: RollupState, source: PipelineSource): Prisma.Sql {
  const live = (condition: Prisma.Sql) => Prisma.sql`
    SELECT o.sales_owner, o.stage, o.close_date, ${isHighChurnSql("subquery", source)} AS high_churn, 1 AS n, o.amount
    FROM ${pipelineFromSql(source)} WHERE ${pipelineWhereSql(query, scope, "subquery", source)} AND (${condition})`;
  if (!rollupAnswers(query, state, source)) return live(Prisma.sql`TRUE`);
  const months = liveMonths(query, state.asOf);
  const grouped = Prisma.sql`
    SELECT o.sales_owner, o.stage, o.close_date, o.high_churn, o.opportunity_count AS n, o.amount
    FROM pipeline_rollup o WHERE ${pipelineWhereSql(query, scope, "column")} AND NOT (${inMonthsSql(months)})`;
  return months.length === 0 ? grouped : Prisma.sql`${grouped} UNION ALL ${live(inMonthsSql(months))}`;
}

/** How many opportunities `query` selects: a sum over rollup groups when the rollup answers, else a live count. */
export function countSql(query: PipelineQuery, scope: PipelineScope, state: RollupState, source: PipelineSource): Prisma.Sql {
  if (!rollupAnswers(query, state, source)) {
    return Prisma.sql`SELECT COUNT(*) AS total FROM ${pipelineFromSql(source)} WHERE ${pipelineWhereSql(query, scope, "subquery", source)}`;
  }
  return Prisma.sql`SELECT COALESCE(SUM(o.n), 0) AS total FROM (${summarySourceSql(query, scope, state, source)}) o`;
}
