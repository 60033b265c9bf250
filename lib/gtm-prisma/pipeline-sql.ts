import { Prisma } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import type { PipelineQuery, SortColumn } from "../gtm/pipeline-query";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { stalledSince } from "../gtm/deal-age";
import { startOfDay } from "../gtm/history-time";
import { AT_RISK_CHURN, type OpportunityStatus } from "../gtm/revenue-at-risk";
import { OPEN_STAGES, SALES_STAGES, type SalesStage } from "../gtm/sales-stage";
import { stagesInView } from "../gtm/status-filter";
import { CURRENT_TABLES, type PipelineSource } from "./pipeline-source";

/**
 * The SQL side of the pipeline: one place that turns a PipelineQuery into SQL.
 * The risk predicates mirror lib/gtm/revenue-at-risk.ts; a test proves they agree.
 */

/**
 * Every opportunity with its customer. A LEFT JOIN gives the same rows as an inner one
 * (customer_id is NOT NULL with a foreign key), but lets PostgreSQL remove the join
 * (customers.customer_id is unique) when no `c.` column is used: counts and aggregates
 * then read opportunities alone.
 */
export function pipelineFromSql(source: PipelineSource): Prisma.Sql {
  return Prisma.sql`${source.opportunities} o LEFT JOIN ${source.customers} c ON c.customer_id = o.customer_id`;
}

/** The current tables' FROM (today's views). */
export const PIPELINE_FROM = pipelineFromSql(CURRENT_TABLES);

// Stages are the domain's constants (a parsed query holds nothing else): inlined so the planner
// sees literals, and the default view's condition is the same text as IS_OPEN.
const stageListSql = (stages: readonly SalesStage[]) => Prisma.raw(stages.map((stage) => `'${stage}'`).join(", "));
export const IS_OPEN = Prisma.sql`o.stage IN (${stageListSql(OPEN_STAGES)})`;
export const IS_WON = Prisma.sql`o.stage = ${stageListSql(["closed_won"])}`;
export const IS_LOST = Prisma.sql`o.stage = ${stageListSql(["closed_lost"])}`;

/** The view's stages (its status and stage filters, status-filter.ts); TRUE when it takes every stage. */
function stagesInViewSql(query: PipelineQuery): Prisma.Sql {
  const stages = stagesInView(query);
  if (stages.length === SALES_STAGES.length) return Prisma.sql`TRUE`;
  return stages.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`o.stage IN (${stageListSql(stages)})`;
}

export function isOverdueSql(asOf: CalendarDate | Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${IS_OPEN} AND o.close_date < ${asOf}::date)`;
}

/**
 * Where the at-risk rule reads the customer's churn risk. "subquery" (the default) never
 * forces the customers join: PostgreSQL hashes the high-churn customers once (a semi-join
 * in WHERE, a hashed subplan in aggregates). "joined" reads `c.churn_risk`, for statements
 * that join customers anyway (a page's or an export batch's rows): no per-statement hash.
 * Same rows either way (customer_id is NOT NULL with a foreign key). "column" reads the
 * `high_churn` column of a summary source (lib/gtm-prisma/pipeline-rollup.ts), which
 * holds this same test's result.
 */
export type ChurnSource = "subquery" | "joined" | "column";

export function isHighChurnSql(
  churn: ChurnSource = "subquery",
  source: Pick<PipelineSource, "customers"> = CURRENT_TABLES,
): Prisma.Sql {
  const high = Prisma.raw(`'${AT_RISK_CHURN}'`);
  switch (churn) {
    case "joined":
      return Prisma.sql`c.churn_risk = ${high}`;
    case "column":
      return Prisma.sql`o.high_churn`;
    case "subquery":
      return Prisma.sql`o.customer_id IN (SELECT hc.customer_id FROM ${source.customers} hc WHERE hc.churn_risk = ${high})`;
  }
}

/** THE at-risk rule in SQL (lib/gtm/revenue-at-risk.ts); a test proves they agree. `asOf` may be a column (a trend's day). */
export function isAtRiskSql(
  asOf: CalendarDate | Prisma.Sql,
  churn: ChurnSource = "subquery",
  source: PipelineSource = CURRENT_TABLES,
): Prisma.Sql {
  return Prisma.sql`(${IS_OPEN} AND o.close_date >= ${asOf}::date AND ${isHighChurnSql(churn, source)})`;
}

/** Status order used when sorting by status: the most urgent first. */
const STATUS_RANK: Record<OpportunityStatus, number> = {
  at_risk: 0,
  overdue: 1,
  open: 2,
  closed_won: 3,
  closed_lost: 4,
};

export function statusRankSql(
  asOf: CalendarDate,
  churn: ChurnSource = "subquery",
  source: PipelineSource = CURRENT_TABLES,
): Prisma.Sql {
  return Prisma.sql`CASE
    WHEN o.stage = 'closed_won' THEN ${Prisma.raw(String(STATUS_RANK.closed_won))}
    WHEN o.stage = 'closed_lost' THEN ${Prisma.raw(String(STATUS_RANK.closed_lost))}
    WHEN ${isOverdueSql(asOf)} THEN ${Prisma.raw(String(STATUS_RANK.overdue))}
    WHEN ${isAtRiskSql(asOf, churn, source)} THEN ${Prisma.raw(String(STATUS_RANK.at_risk))}
    ELSE ${Prisma.raw(String(STATUS_RANK.open))} END`;
}

const STATUS_BY_RANK: OpportunityStatus[] = [];
for (const [status, rank] of Object.entries(STATUS_RANK)) STATUS_BY_RANK[rank] = status as OpportunityStatus;

export function statusFromRank(rank: number): OpportunityStatus {
  const status = STATUS_BY_RANK[rank];
  if (!status) throw new Error(`Unknown status rank ${rank}`);
  return status;
}

/** The local day (in `timeZone`, GTM_TIMEZONE) the deal was first seen (deal-age.ts). */
export function firstSeenDaySql(timeZone: string): Prisma.Sql {
  return Prisma.sql`(o.first_seen AT TIME ZONE ${timeZone})::date`;
}

/** Whole days from the local day the stage began to `asOf` (deal-age.ts daysInStage); a test proves they agree. */
export function daysInStageSql(asOf: CalendarDate, timeZone: string): Prisma.Sql {
  return Prisma.sql`(${asOf}::date - (o.stage_since AT TIME ZONE ${timeZone})::date)`;
}

/** The viewer's rows: opportunities of the owners in scope (customers are visible through them). */
export function scopeSql(scope: PipelineScope): Prisma.Sql {
  if (scope.kind === "all") return Prisma.sql`TRUE`;
  if (scope.owners.length === 0) return Prisma.sql`FALSE`;
  return Prisma.sql`o.sales_owner IN (${Prisma.join(scope.owners)})`;
}

/**
 * Whether `column` holds the search text `q`, ignoring case (the rule in TypeScript: pipeline-filter.ts).
 * `x ILIKE p` on a multibyte database is `lower(x) LIKE lower(p)` (PostgreSQL's like.c), with the
 * pattern lowered again for every row: written out, it is lowered once (-20% on a search of 1M
 * deals, BENCHMARKS.md session 15).
 */
function containsSql(column: Prisma.Sql, q: string): Prisma.Sql {
  return lowerContainsSql(Prisma.sql`lower(${column})`, q);
}

/** Whether the lowered text `lowered` holds the search text `q` (containsSql's rule). */
function lowerContainsSql(lowered: Prisma.Sql, q: string): Prisma.Sql {
  const pattern = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return Prisma.sql`${lowered} LIKE lower(${pattern})`;
}

/**
 * Whether the customer `c` matches the search `q`: its name or id, read lowered as the row keeps
 * them (generated columns, migration 20261203010000_customer_search_text), not lowered again for
 * each customer in every search statement.
 */
export function customerMatchesSearchSql(q: string): Prisma.Sql {
  return Prisma.sql`(${lowerContainsSql(Prisma.sql`c.name_lower`, q)} OR ${lowerContainsSql(Prisma.sql`c.customer_id_lower`, q)})`;
}

/**
 * Whether the deal `o` matches the search `q`: its customer (`customerMatches`, by default read
 * from the joined customer `c`; a statement that reads many deals per customer may have matched
 * each customer once), its id or its name.
 */
export function searchSql(q: string, customerMatches: Prisma.Sql = customerMatchesSearchSql(q)): Prisma.Sql {
  return Prisma.sql`(${customerMatches} OR ${containsSql(Prisma.sql`o.opp_id`, q)} OR ${containsSql(Prisma.sql`o.name`, q)})`;
}

/**
 * WHERE clause of a query's filters inside the viewer's scope (sort and page do not filter).
 * `timeZone` (GTM_TIMEZONE) says when asOf's days begin, for `stalledDays`.
 */
export function pipelineWhereSql(
  query: PipelineQuery,
  scope: PipelineScope,
  churn: ChurnSource = "subquery",
  source: PipelineSource = CURRENT_TABLES,
  timeZone = "UTC",
): Prisma.Sql {
  const conditions: Prisma.Sql[] = [scopeSql(scope)];
  if (query.owners.length > 0) conditions.push(Prisma.sql`o.sales_owner IN (${Prisma.join(query.owners)})`);
  conditions.push(stagesInViewSql(query));
  if (query.closeFrom) conditions.push(Prisma.sql`o.close_date >= ${query.closeFrom}::date`);
  if (query.closeTo) conditions.push(Prisma.sql`o.close_date <= ${query.closeTo}::date`);
  if (query.minAmount) conditions.push(Prisma.sql`o.amount >= ${query.minAmount.toFixed(2)}::numeric`);
  if (query.maxAmount) conditions.push(Prisma.sql`o.amount <= ${query.maxAmount.toFixed(2)}::numeric`);
  if (query.risk === "at-risk") conditions.push(isAtRiskSql(query.asOf, churn, source));
  if (query.risk === "overdue") conditions.push(isOverdueSql(query.asOf));
  if (query.pushedMin !== undefined) conditions.push(Prisma.sql`o.push_count >= ${query.pushedMin}::int`);
  if (query.stalledDays !== undefined) {
    const stageBeganBefore = startOfDay(stalledSince(query.asOf, query.stalledDays), timeZone).toISOString();
    conditions.push(Prisma.sql`o.stage_since < ${stageBeganBefore}::timestamptz`);
  }
  if (query.q) conditions.push(searchSql(query.q));
  return Prisma.join(conditions, " AND ");
}

interface SortKey {
  expression: Prisma.Sql;
  /** SQL type to cast a keyset value (sent as text) back to. */
  type: string;
}

/**
 * The deal age sorts order by the days shown (local days in `timeZone`), so deals on the same
 * day fall back to the opp_id tie-break like every other column.
 */
export function sortKey(
  column: SortColumn,
  asOf: CalendarDate,
  source: PipelineSource = CURRENT_TABLES,
  timeZone = "UTC",
): SortKey {
  switch (column) {
    case "oppId":
      return { expression: Prisma.sql`o.opp_id`, type: "text" };
    case "customerName":
      return { expression: Prisma.sql`c.name`, type: "text" };
    case "churnRisk":
      return { expression: Prisma.sql`c.churn_risk`, type: "churn_risk" };
    case "stage":
      return { expression: Prisma.sql`o.stage`, type: "sales_stage" };
    case "closeDate":
      return { expression: Prisma.sql`o.close_date`, type: "date" };
    case "amount":
      return { expression: Prisma.sql`o.amount`, type: "numeric" };
    case "salesOwner":
      return { expression: Prisma.sql`o.sales_owner`, type: "text" };
    case "status":
      return { expression: statusRankSql(asOf, "subquery", source), type: "integer" };
    case "firstSeen":
      return { expression: firstSeenDaySql(timeZone), type: "date" };
    case "daysInStage":
      return { expression: daysInStageSql(asOf, timeZone), type: "integer" };
    case "pushCount":
      return { expression: Prisma.sql`o.push_count`, type: "integer" };
  }
}

/**
 * True when the query's filters and sort read opportunities alone (no `c.` column): the
 * search (`q`, on the customer's name) and the customer-name / churn-risk sorts need the
 * customer; the at-risk filter and the status sort do not (isAtRiskSql). A page's keys can
 * then come from opportunities (an index) before its 50 rows are joined.
 */
export function readsOpportunitiesAlone(query: PipelineQuery): boolean {
  return !query.q && query.sort.column !== "customerName" && query.sort.column !== "churnRisk";
}

/** ORDER BY with opp_id as the tie-break in the same direction, so keyset paging works. */
export function pipelineOrderSql(
  query: PipelineQuery,
  source: PipelineSource = CURRENT_TABLES,
  timeZone = "UTC",
): Prisma.Sql {
  const direction = Prisma.raw(query.sort.direction === "desc" ? "DESC" : "ASC");
  const { expression } = sortKey(query.sort.column, query.asOf, source, timeZone);
  if (query.sort.column === "oppId") return Prisma.sql`o.opp_id ${direction}`;
  return Prisma.sql`${expression} ${direction}, o.opp_id ${direction}`;
}

/** Rows strictly after (`asc`) or before (`desc`) the last row of the previous batch. */
export function keysetAfterSql(
  query: PipelineQuery,
  last: { sortValue: string; oppId: string },
  source: PipelineSource = CURRENT_TABLES,
  timeZone = "UTC",
): Prisma.Sql {
  const { expression, type } = sortKey(query.sort.column, query.asOf, source, timeZone);
  const comparator = Prisma.raw(query.sort.direction === "desc" ? "<" : ">");
  if (query.sort.column === "oppId") return Prisma.sql`o.opp_id ${comparator} ${last.oppId}`;
  return Prisma.sql`(${expression}, o.opp_id) ${comparator} (CAST(${last.sortValue} AS ${Prisma.raw(type)}), ${last.oppId})`;
}
