import { Prisma, type PrismaClient } from "../db/generated/client";
import { addDays, addMonths, type CalendarDate, firstOfMonth } from "../gtm/calendar-date";
import type { PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineScope } from "../gtm/pipeline-scope";
import type { SummaryGroupRecord } from "./pipeline-records";
import { historyRollupAtSql, historyRollupHasDaysSql } from "./history-rollup";
import { ROLLUP_AS_OF, ROLLUP_IS_CURRENT } from "./pipeline-rollup";
import {
  customerMatchesSearchSql,
  IS_LOST,
  IS_OPEN,
  IS_WON,
  isAtRiskSql,
  isHighChurnSql,
  isOverdueSql,
  pipelineFromSql,
  pipelineWhereSql,
  searchSql,
} from "./pipeline-sql";
import type { PipelineSource } from "./pipeline-source";

/**
 * The summary's statements and the search total's. Each figure comes from ONE statement, so from
 * one snapshot: a write that commits meanwhile is wholly in a summary or wholly out of it. The
 * rollup's statement checks that the rollup is current in its own snapshot, once, before it
 * runs (a one-time filter), and answers nothing at all when it is not; the live statement, which
 * reads no rollup, answers then. The live alternative is a statement of its own rather than a
 * branch of the rollup's: in one statement its cost estimate made PostgreSQL JIT-compile every
 * summary from the rollup (hundreds of ms).
 */

/** The filtered pipeline's figures, grouped four ways (SummaryGroupRecord, pipeline-records.ts). */
export function readSummaryGroups(
  prisma: Pick<PrismaClient, "$queryRaw">,
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
): Promise<SummaryGroupRecord[]> {
  return readGroups<SummaryGroupRecord>(prisma, query, scope, source, timeZone, groupsSql);
}

/** The open part of the filtered pipeline in total and per owner (the fields of SummaryGroupRecord it has). */
export type OpenGroupRecord = Pick<SummaryGroupRecord, "grouped_by" | "key" | "open" | "open_count">;

/**
 * The open pipeline in total and, `perOwner`, per owner too, and nothing else: what changed needs
 * only these of its end day (its summary the total alone, its per-rep rows each owner's), and where
 * no rollup answers (a search, an amount range) the four ways of readSummaryGroups, each with ten
 * sums, were most of a live read (a broad search at 1M deals: ~600 -> ~300 ms). Without the
 * grouping by owner, a broad search's end read live: 445 -> 390 ms (BENCHMARKS.md, session 18).
 */
export function readOpenPipeline(
  prisma: Pick<PrismaClient, "$queryRaw">,
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
  perOwner: boolean,
): Promise<OpenGroupRecord[]> {
  return readGroups<OpenGroupRecord>(prisma, query, scope, source, timeZone, (_, rows) =>
    perOwner ? openByOwnerSql(rows) : openTotalSql(rows),
  );
}

/**
 * `grouped` over the source's rows (rollup groups and live rows): from the rollup when it can
 * answer and does in the statement's snapshot, else live. `grouped` always has a total's row.
 */
async function readGroups<T>(
  prisma: Pick<PrismaClient, "$queryRaw">,
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
  grouped: (query: PipelineQuery, rows: Prisma.Sql) => Prisma.Sql,
): Promise<T[]> {
  if (groupsCanAnswer(query)) {
    const rollup = rollupParts(query, scope, source, timeZone);
    const groups = await prisma.$queryRaw<T[]>(
      rollup.whileItAnswers(grouped(query, Prisma.join(rollup.parts, " UNION ALL "))),
    );
    // A total's row is always there: none means that the rollup did not answer.
    if (groups.length > 0) return groups;
  }
  return prisma.$queryRaw<T[]>(grouped(query, liveSourceSql(query, scope, source, timeZone)));
}

/** How many opportunities `query` selects: a sum over rollup groups when the rollup is current and answers, else a live count. */
export async function countPipeline(
  prisma: PrismaClient,
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
): Promise<number> {
  if (groupsCanAnswer(query)) {
    const rollup = rollupParts(query, scope, source, timeZone);
    // Counted part by part: one aggregate over their UNION ALL cost twice as much.
    const counts = rollup.parts.map((part) => Prisma.sql`(SELECT COALESCE(SUM(o.n), 0) FROM (${part}) o)`);
    const [counted] = await prisma.$queryRaw<{ total: bigint }[]>(
      rollup.whileItAnswers(Prisma.sql`SELECT ${Prisma.join(counts, " + ")} AS total`),
    );
    if (counted) return Number(counted.total);
  }
  const [{ total }] = await prisma.$queryRaw<
    { total: bigint }[]
  >`SELECT COUNT(*) AS total FROM ${pipelineFromSql(source)} WHERE ${liveWhereSql(query, scope, source, timeZone)}`;
  return Number(total);
}

/**
 * The source's rows as rollup groups and live rows (rows of (sales_owner, stage, close_date,
 * high_churn, n, amount)), and the gate a statement over them must pass: it answers only when
 * its rollup stands for the source in the statement's snapshot (else no rows, and the parts
 * are not read). Today's views read the pipeline rollup, a past day's the history rollup of
 * the instant it stands at (history-rollup.ts).
 */
function rollupParts(
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
): { parts: Prisma.Sql[]; whileItAnswers: (statement: Prisma.Sql) => Prisma.Sql } {
  if (source.instant === null)
    return {
      parts: rollupSourceParts(query, scope, source, timeZone),
      whileItAnswers: (statement) => Prisma.sql`SELECT * FROM (${statement}) answer WHERE ${ROLLUP_IS_CURRENT}`,
    };
  const at = historyRollupAtSql(source.instant);
  return {
    parts: historyRollupSourceParts(query, scope, source, timeZone, at),
    whileItAnswers: (statement) => Prisma.sql`SELECT * FROM (${statement}) answer WHERE ${at} IS NOT NULL`,
  };
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
             SUM(o.amount) FILTER (WHERE ${overdue})::text AS overdue, SUM(o.n) FILTER (WHERE ${overdue}) AS overdue_count,
             SUM(o.amount) FILTER (WHERE ${IS_WON})::text AS won, SUM(o.n) FILTER (WHERE ${IS_WON}) AS won_count,
             SUM(o.amount) FILTER (WHERE ${IS_LOST})::text AS lost, SUM(o.n) FILTER (WHERE ${IS_LOST}) AS lost_count
      FROM (${source}) o
      GROUP BY GROUPING SETS ((), (o.stage), (o.sales_owner), (o.close_date))`;
}

/**
 * The open pipeline's count and amount, in total and per owner (OpenGroupRecord): summed per
 * owner first, which PostgreSQL 15 splits among its parallel workers (it runs grouping sets in
 * one process), then the total over the owners' sums. A broad search's end at 1M deals, read live:
 * 340-370 -> 250-290 ms (BENCHMARKS.md, session 17).
 */
function openByOwnerSql(source: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
      SELECT CASE GROUPING(o.sales_owner) WHEN 1 THEN 'total' ELSE 'owner' END AS grouped_by, o.sales_owner AS key,
             SUM(o.open)::text AS open, SUM(o.open_count) AS open_count
      FROM (SELECT o.sales_owner, SUM(o.amount) FILTER (WHERE ${IS_OPEN}) AS open, SUM(o.n) FILTER (WHERE ${IS_OPEN}) AS open_count
        FROM (${source}) o GROUP BY o.sales_owner) o
      GROUP BY GROUPING SETS ((), (o.sales_owner))`;
}

/** openByOwnerSql's total row alone: an aggregate without grouping has its one row whatever it reads. */
function openTotalSql(source: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
      SELECT 'total' AS grouped_by, NULL::text AS key,
             SUM(o.amount) FILTER (WHERE ${IS_OPEN})::text AS open, SUM(o.n) FILTER (WHERE ${IS_OPEN}) AS open_count
      FROM (${source}) o`;
}

/**
 * Whether rollup groups can stand for the query's set at all: no amount range, text search or
 * deal age filter (the rollups keep no age) cuts inside groups.
 */
function groupsCanAnswer(query: PipelineQuery): boolean {
  return (
    !query.q && !query.minAmount && !query.maxAmount && query.pushedMin === undefined && query.stalledDays === undefined
  );
}

/**
 * The filtered pipeline as rows of (sales_owner, stage, close_date, high_churn, n, amount), one
 * per opportunity (n = 1), read live. The summary aggregates over it (churn source "column").
 */
function liveSourceSql(
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
  condition: Prisma.Sql = Prisma.sql`TRUE`,
): Prisma.Sql {
  return Prisma.sql`
    SELECT o.sales_owner, o.stage, o.close_date, ${isHighChurnSql("subquery", source)} AS high_churn, 1 AS n, o.amount
    FROM ${pipelineFromSql(source)} WHERE ${liveWhereSql(query, scope, source, timeZone)} AND (${condition})`;
}

/**
 * The filters of a statement that aggregates live rows, with a search's customer part matched once
 * per customer (customerInSearchSql) rather than once per deal through the join, which the
 * statement then no longer reads: a broad search's open pipeline at 1M deals took ~30% less
 * (BENCHMARKS.md, session 16). A page of rows keeps the join: it reads a few deals by an index,
 * fewer than the customers the subquery would match.
 */
function liveWhereSql(query: PipelineQuery, scope: PipelineScope, source: PipelineSource, timeZone: string) {
  const where = pipelineWhereSql({ ...query, q: undefined }, scope, "subquery", source, timeZone);
  if (!query.q) return where;
  return Prisma.sql`${where} AND ${searchSql(query.q, customerInSearchSql(query.q, source))}`;
}

/**
 * Whether the deal's customer matches the search `q`, by a hashed subquery of the source's
 * customers: those that match, or, when most of them do, those that do not. Every deal probes
 * that table, and a smaller one stays in the CPU's cache: a search matching 78,000 of 100,000
 * customers (`q=e`) read its open pipeline at 1M deals in 153 ms against 237. Which set is
 * smaller is judged on a tenth of today's customers (a fixed sample: 159 against 153 ms for a
 * search matching few; counting them all cost 175); either way the answer is the same. A deal's
 * customer is in the source on the deal's own day (a foreign key holds at every instant history
 * records), so "not among those that do not match" is "among those that match".
 */
function customerInSearchSql(q: string, source: PipelineSource): Prisma.Sql {
  const matches = customerMatchesSearchSql(q);
  return Prisma.sql`CASE WHEN (SELECT 2 * COUNT(*) FILTER (WHERE ${matches}) > COUNT(*) FROM customers c TABLESAMPLE BERNOULLI (10) REPEATABLE (0))
    THEN NOT (o.customer_id IN (SELECT c.customer_id FROM ${source.customers} c WHERE NOT ${matches}))
    ELSE o.customer_id IN (SELECT c.customer_id FROM ${source.customers} c WHERE ${matches}) END`;
}

/**
 * The same rows in parts: rollup groups where they answer (a row stands for `n` opportunities),
 * and live rows in the months the rollup's buckets cannot split as the query does. Valid only
 * while the rollup is current (rollupParts).
 */
function rollupSourceParts(
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
): Prisma.Sql[] {
  const { always, unlessRollupDay } = cutMonths(query);
  // The rollup day's check first: it is the same for every row, and usually settles it.
  const groupsAnswer = [
    Prisma.sql`NOT (${always.length > 0 ? inMonthsSql(always) : Prisma.sql`FALSE`})`,
    ...unlessRollupDay.map(
      ({ month, day }) => Prisma.sql`(${ROLLUP_AS_OF} = ${day}::date OR NOT (${inMonthsSql([month])}))`,
    ),
  ];
  const grouped = Prisma.sql`
    SELECT o.sales_owner, o.stage, o.close_date, o.high_churn, o.opportunity_count AS n, o.amount
    FROM pipeline_rollup o WHERE ${pipelineWhereSql(query, scope, "column")} AND ${Prisma.join(groupsAnswer, " AND ")}`;
  // A month that the rollup's day may answer is a part of its own behind that check: its rows are read only when needed.
  return [
    grouped,
    ...(always.length > 0 ? [liveSourceSql(query, scope, source, timeZone, inMonthsSql(always))] : []),
    ...unlessRollupDay.map(({ month, day }) =>
      liveSourceSql(
        query,
        scope,
        source,
        timeZone,
        Prisma.sql`${ROLLUP_AS_OF} <> ${day}::date AND (${inMonthsSql([month])})`,
      ),
    ),
  ];
}

/**
 * A past day's rows: history rollup groups (close dates bucketed by month) outside the months
 * the query splits; inside each, the rollup's groups by close day where it keeps that month by
 * day, else live versions (each part behind its own check, so only one of the two is read).
 */
function historyRollupSourceParts(
  query: PipelineQuery,
  scope: PipelineScope,
  source: PipelineSource,
  timeZone: string,
  at: Prisma.Sql,
): Prisma.Sql[] {
  const { always, unlessRollupDay } = cutMonths(query);
  const months = [...always, ...unlessRollupDay.map(({ month }) => month)];
  const where = pipelineWhereSql(query, scope, "column");
  const grouped = Prisma.sql`
    SELECT o.sales_owner, o.stage, o.close_date, o.high_churn, o.opportunity_count AS n, o.amount
    FROM history_rollup o WHERE o.at = ${at} AND ${where}
      AND NOT (${months.length > 0 ? inMonthsSql(months) : Prisma.sql`FALSE`})`;
  return [
    grouped,
    ...months.flatMap((month) => {
      const byDay = historyRollupHasDaysSql(at, month);
      return [
        Prisma.sql`
          SELECT o.sales_owner, o.stage, o.close_date, o.high_churn, o.opportunity_count AS n, o.amount
          FROM history_rollup_days o WHERE ${byDay} AND o.at = ${at} AND (${inMonthsSql([month])}) AND ${where}`,
        liveSourceSql(query, scope, source, timeZone, Prisma.sql`NOT ${byDay} AND (${inMonthsSql([month])})`),
      ];
    }),
  ];
}

/**
 * The months in which `query` splits deals by close date at a day that is not a month's first.
 * Every close-date comparison splits at a day d (`>= d` or `< d`; `<= closeTo` is
 * `< closeTo + 1`), and a split is exact on the rollup's buckets when d starts a month or is
 * the rollup's as-of day. So a month split at two days is always read live; one split at a
 * single day is read live unless that day is the rollup's (month presets and the default
 * as-of never read live).
 */
function cutMonths(query: PipelineQuery): {
  always: CalendarDate[];
  unlessRollupDay: { month: CalendarDate; day: CalendarDate }[];
} {
  const splits = [query.closeFrom, query.closeTo && addDays(query.closeTo, 1), query.asOf];
  const daysByMonth = new Map<CalendarDate, Set<CalendarDate>>();
  for (const day of splits) {
    if (day === undefined || day === firstOfMonth(day)) continue;
    const days = daysByMonth.get(firstOfMonth(day)) ?? new Set<CalendarDate>();
    daysByMonth.set(firstOfMonth(day), days.add(day));
  }
  const always: CalendarDate[] = [];
  const unlessRollupDay: { month: CalendarDate; day: CalendarDate }[] = [];
  for (const [month, days] of daysByMonth) {
    if (days.size === 1) unlessRollupDay.push({ month, day: [...days][0] });
    else always.push(month);
  }
  return { always, unlessRollupDay };
}

function inMonthsSql(months: CalendarDate[]): Prisma.Sql {
  return Prisma.join(
    months.map((month) => Prisma.sql`(o.close_date >= ${month}::date AND o.close_date < ${addMonths(month, 1)}::date)`),
    " OR ",
  );
}
