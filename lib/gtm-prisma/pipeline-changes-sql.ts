import { Prisma } from "../db/generated/client";
import {
  type ChangedDealSort,
  type ChangedDealSortColumn,
  type ChangedDealsRequest,
  type ChangesRequest,
  DEFAULT_CHANGED_DEAL_SORT,
} from "../gtm/changes-repository";
import type { ChangeKind } from "../gtm/pipeline-changes";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { customersAtSql, opportunitiesAtSql } from "./history-sql";
import { customerMatchesSearchSql, isHighChurnSql, IS_OPEN, pipelineWhereSql, searchSql } from "./pipeline-sql";

/**
 * What changed, in SQL: the statement form of lib/gtm/pipeline-changes.ts (classifyChange and
 * summarizeChanges); a property test proves they agree. Each side reads the versions in force
 * at the end of its day with the customers as they stood then, and the view's filters with the
 * risk rule on that day; the two sides are FULL JOINed by opp_id and every deal in either set
 * gets its bucket (pairSql: two ways to the same pairs, by the size of the view).
 */

/**
 * Planner settings for a what-changed read (its transaction only). Its estimates run to billions
 * of rows, so PostgreSQL JIT-compiles it: ~1 s of a 90-day window's 4.4 s at 1M (EXPLAIN
 * ANALYZE), for a query that runs once. Its joins and sorts hold a few hundred thousand deals
 * (~20-30 MB), which spill to disk at the default 4 MB of work_mem. Together: 4.4 s -> 2.3 s.
 * The planner takes every pair for its own group (it cannot tell the bucket CASE has ten values),
 * so it sorts the pairs to count ten buckets; without sorts it hashes them: 10-30% of a summary
 * (BENCHMARKS.md, session 11). A page's ORDER BY ... LIMIT still sorts: nothing else can; so does
 * a summary that keeps first pages (an ordered aggregate groups only by sorting, ~+100 ms at 90 days).
 * The FULL JOIN of the two days runs serially in PostgreSQL 15, and at the default cost of
 * passing a row from a parallel worker (0.1) the planner reads both its sides serially too,
 * customers joined row by row; at 0.01 each side is read by parallel workers: a risk view's
 * summary at 90 days 0.96-1.3 s -> 0.7-0.9 s, the plain one 0.47 -> 0.36 s (session 13).
 * A narrow view's two days (isNarrow) it would merge-join instead, each read serially through its
 * primary key in id order: for a view of many deals (a big team's overdue deals, 1.7-2.7 s) twice
 * the cost of hashing them, and for a team of every owner at risk 5.4-5.9 s -> 1.0-1.3 s; the
 * other what-changed reads did not move (session 15).
 * The deals that changed in a long window are many (90 days at 1M: 304,000 current rows of 18,000
 * pages), and the planner, which counts an index entry at 0.005, reads them by a bitmap scan of
 * `valid_from`'s index: 110-130 ms against 70 for the whole table read in turn (the table outgrows
 * the default shared_buffers). At 0.05 it scans the table for such a window and keeps the index
 * for a week's or a month's: over 90 days, the summaries 5-12% faster (at risk 596 -> 536 ms, a
 * broad search 830 -> 787), a week's unchanged (BENCHMARKS.md, session 20).
 */
export const CHANGES_READ_SETTINGS = [
  "SET LOCAL jit = off",
  "SET LOCAL work_mem = '64MB'",
  "SET LOCAL enable_sort = off",
  "SET LOCAL parallel_tuple_cost = 0.01",
  "SET LOCAL enable_mergejoin = off",
  "SET LOCAL cpu_index_tuple_cost = 0.05",
];

export interface ChangesInstants {
  from: Date;
  to: Date;
}

const instantSql = (instant: Date) => Prisma.sql`${instant.toISOString()}::timestamptz`;

/**
 * Whether the deal `o` (with its customer `c`, from customersSql) is open and in the view on
 * `asOf` (the risk rules on that day).
 */
function inViewOnSql(request: ChangesRequest, scope: PipelineScope, asOf: ChangesRequest["from"]): Prisma.Sql {
  const { q } = request.query;
  const filters = pipelineWhereSql({ ...request.query, q: undefined, asOf }, scope, "joined");
  return Prisma.sql`(${IS_OPEN} AND ${filters} AND ${q ? searchSql(q, Prisma.sql`c.matches_search`) : Prisma.sql`TRUE`})`;
}

/**
 * The customers in force at `instant`; for a search, each with whether it matches (matches_search):
 * matched once per customer rather than once per deal (an output of a LEFT JOIN's nullable side,
 * which the planner evaluates with the customer, as it builds the parallel hash), a search of what
 * changed over 90 days at 1M deals took 1.0-1.3 s -> 0.8-0.85 s (BENCHMARKS.md, session 15); its
 * narrow view's summary 540-600 against 730-780 ms with the match written per deal (session 17).
 */
const customersSql = (request: ChangesRequest, instant: Date) =>
  request.query.q
    ? Prisma.sql`(SELECT c.*, ${customerMatchesSearchSql(request.query.q)} AS matches_search FROM ${customersAtSql(instant)} c)`
    : customersAtSql(instant);

const STATE_COLUMNS = Prisma.sql`o.opp_id, o.customer_id, o.name, o.stage, o.close_date, o.amount, o.sales_owner, c.name AS customer_name`;

/**
 * Whether a deal can enter or leave the view, or change its amount in it, only by a version of
 * its own: the view reads no customer field (the at-risk rule's churn risk, `q`'s customer name)
 * and no rule that moves with the day itself (the risk rules' and stalled days' dates). Then the
 * deals that changed between the two days hold every bucket, and the rest are in both sets or in
 * neither, unchanged: the end is the `to` day's summary and the start follows (prisma-changes-repository.ts).
 */
export function onlyChangedDealsMove(request: ChangesRequest): boolean {
  const { risk, q, stalledDays } = request.query;
  return risk === undefined && !q && stalledDays === undefined;
}

/** Whether the view reads a customer field: the at-risk rule's churn risk, `q`'s customer name. */
const viewReadsCustomers = ({ query }: ChangesRequest) => query.risk === "at-risk" || !!query.q;

/**
 * Whether the view holds some owners' deals (the viewer's scope or the owner filter), so that each
 * day's view, read by index, is cheap to read whole. A search has no index: every deal of both days
 * would be read to match its text, where the deals that changed, of them those that match
 * (canBeInSetSql), plus the `to` day's open pipeline are fewer, however few deals it matches: over
 * 90 days at 1M deals, 0.88-0.91 s against 1.07-1.21 s for a search matching 2-4% of the deals or
 * eleven (BENCHMARKS.md, session 19; in session 15, before the other reading's later savings, the
 * two days' views were the faster for such a search).
 */
const isNarrow = (request: ChangesRequest, scope: PipelineScope) =>
  scope.kind !== "all" || request.query.owners.length > 0;

/**
 * Whether pairSql holds only the deals that can have moved between the days: every other deal
 * is in both sets with the same amount or in neither, so the start follows from the end
 * (prisma-changes-repository.ts). Otherwise it holds every deal in A or B.
 */
export function pairsHoldMovedDealsOnly(request: ChangesRequest, scope: PipelineScope): boolean {
  return onlyChangedDealsMove(request) || !isNarrow(request, scope);
}

/**
 * Whether a deal with no version of its own between the days (`o`, its version in force on both)
 * can still enter or leave the view: its customer changed what the view reads of it
 * (customersMovedSql), or the day itself carried it past a rule's edge (at risk and overdue: its
 * close date is on or after `from` and before `to`). Changes views take no age filters
 * (changes-query.ts): a stalled-days edge, which the day also moves, is refused rather than
 * silently left out.
 */
function movedWithoutVersionSql(request: ChangesRequest, at: ChangesInstants): Prisma.Sql {
  if (request.query.stalledDays !== undefined) throw new Error("What changed takes no stalledDays filter");
  const customers = viewReadsCustomers(request) ? customersMovedSql(request, at) : null;
  const byCustomer = customers && Prisma.sql`o.customer_id IN (${customers})`;
  if (!request.query.risk) {
    // Only a customer moves them: in a window where none changed what the view reads (a search's
    // most weeks: names rarely change), a one-time test spares reading any (at 1M deals, ~60 ms).
    return byCustomer ? Prisma.sql`(EXISTS (${customers}) AND ${byCustomer})` : Prisma.sql`FALSE`;
  }
  const byDay = Prisma.sql`(o.close_date >= ${request.from}::date AND o.close_date < ${request.to}::date)`;
  return byCustomer ? Prisma.sql`(${byCustomer} OR ${byDay})` : byDay;
}

/**
 * The customers whose state at `to` differs from their state at `from` (`f`, a version ended in
 * the window) in what the view reads of them: the at-risk rule its churn risk, a search its name.
 * A deal with no change of its own had its customer on both days (a foreign key keeps a deal's
 * customer). A search's deals do not move when only a churn risk changed, the change weekly
 * imports bring most: a broad search's summary statement at 1M deals 720-790 -> 635-670 ms
 * (BENCHMARKS.md, session 17).
 */
function customersMovedSql(request: ChangesRequest, at: ChangesInstants): Prisma.Sql {
  const [from, to] = [instantSql(at.from), instantSql(at.to)];
  const read = [
    ...(request.query.risk === "at-risk" ? [Prisma.sql`f.churn_risk IS DISTINCT FROM t.churn_risk`] : []),
    ...(request.query.q ? [Prisma.sql`f.name IS DISTINCT FROM t.name`] : []),
  ];
  return Prisma.sql`SELECT f.customer_id FROM customer_versions f JOIN ${customersAtSql(at.to)} t ON t.customer_id = f.customer_id
    WHERE f.valid_from < ${from} AND f.valid_to >= ${from} AND f.valid_to < ${to} AND (${Prisma.join(read, " OR ")})`;
}

/**
 * What a changed deal's state on its day (`o`, with that day's customer `c`) must meet to be in
 * that day's set, where the view reads its customer, and what most of the deals that changed do
 * not meet, on either day: for the at-risk rule, a customer of a high churn risk at some time
 * between the two days (a semi-join before the customers are joined); for a search, the match on
 * that day. A deal meets it on both days or on neither unless it moved between customers, or its
 * name or its customer's changed (changedPairSql looks such a deal's other day up by id). At 1M
 * deals over 90 days, at risk keeps ~64,000 of the changed deals' ~291,000 states on `from`
 * (BENCHMARKS.md, session 19).
 */
function canBeInSetSql(request: ChangesRequest, at: ChangesInstants): Prisma.Sql | null {
  const { risk, q } = request.query;
  const [from, to] = [instantSql(at.from), instantSql(at.to)];
  const conditions = [
    ...(risk === "at-risk"
      ? [
          Prisma.sql`o.customer_id IN (SELECT c.customer_id FROM customer_versions c
            WHERE ${isHighChurnSql("joined")} AND c.valid_from < ${to} AND (c.valid_to IS NULL OR c.valid_to >= ${from}))`,
        ]
      : []),
    ...(q ? [searchSql(q, Prisma.sql`c.matches_search`)] : []),
  ];
  return conditions.length ? Prisma.join(conditions, " AND ") : null;
}

/** The deals open and in the view at `instant` (the risk rule on `asOf`). */
function inViewSql(
  request: ChangesRequest,
  scope: PipelineScope,
  instant: Date,
  asOf: ChangesRequest["from"],
): Prisma.Sql {
  return Prisma.sql`SELECT ${STATE_COLUMNS}
    FROM ${opportunitiesAtSql(instant)} o LEFT JOIN ${customersSql(request, instant)} c ON c.customer_id = o.customer_id
    WHERE ${inViewOnSql(request, scope, asOf)}`;
}

/**
 * The state at `instant` of the deal `oppId`, looked up only when `needed` (none when it did not
 * exist then). At most one version is in force at an instant; the LIMIT keeps the planner from
 * turning the lookup into a join with every version (a probe of the primary key per deal).
 */
function stateAtSql(oppId: Prisma.Sql, instant: Date, needed: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT ${STATE_COLUMNS}
    FROM ${opportunitiesAtSql(instant)} o LEFT JOIN ${customersAtSql(instant)} c ON c.customer_id = o.customer_id
    WHERE ${needed} AND o.opp_id = ${oppId} LIMIT 1`;
}

function withinCloseWindowSql(column: Prisma.Sql, request: ChangesRequest): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (request.query.closeFrom) conditions.push(Prisma.sql`${column} >= ${request.query.closeFrom}::date`);
  if (request.query.closeTo) conditions.push(Prisma.sql`${column} <= ${request.query.closeTo}::date`);
  return conditions.length ? Prisma.sql`(${Prisma.join(conditions, " AND ")})` : Prisma.sql`TRUE`;
}

/** Both states' columns of a pair, `before(column)` and `after(column)` reading each day's state. */
type PairColumns = (before: (column: string) => Prisma.Sql, after: (column: string) => Prisma.Sql) => Prisma.Sql;

/**
 * Each deal that can have a bucket once, with its state on both days (NULL where it did not exist)
 * and whether it is in each set (in_a, in_b: true or false, never NULL; with `kind`, of the deals
 * that changed only those that can be in that bucket). Where onlyChangedDealsMove, only the deals
 * that changed between the days. Otherwise, over the whole pipeline (pairsHoldMovedDealsOnly): the
 * deals that changed the same way, with their customers on each day, and the unchanged deals the
 * customer or the day can have moved (unchangedPairSql: the two days' states are one row, so no
 * join of two whole pipelines); for a narrow view (isNarrow: a team, a rep): every deal
 * in either set, and for a deal in one set only its other day's state by a primary-key lookup, so
 * the join and the lookups are the size of the view, not of the pipeline.
 */
function pairSql(
  request: ChangesRequest,
  scope: PipelineScope,
  at: ChangesInstants,
  kind?: ChangeKind,
  walk?: Walk,
  ids?: readonly string[],
): Prisma.Sql {
  const columns: PairColumns = (before, after) =>
    Prisma.sql`${before("opp_id")} IS NOT NULL AS existed_before, ${after("opp_id")} IS NOT NULL AS exists_after,
      COALESCE(${after("name")}, ${before("name")}) AS name, COALESCE(${after("customer_name")}, ${before("customer_name")}) AS customer_name,
      COALESCE(${after("customer_id")}, ${before("customer_id")}) AS customer_id,
      ${before("stage")} AS a_stage, ${before("close_date")} AS a_close_date, ${before("amount")} AS a_amount, ${before("sales_owner")} AS a_sales_owner,
      ${after("stage")} AS b_stage, ${after("close_date")} AS b_close_date, ${after("amount")} AS b_amount, ${after("sales_owner")} AS b_sales_owner`;
  const either = (alias: string, other: string) => (column: string) =>
    Prisma.raw(`COALESCE(${alias}.${column}, ${other}.${column})`);
  if (ids) return idsPairSql(request, scope, at, ids, columns);
  if (onlyChangedDealsMove(request)) return changedPairSql(request, scope, at, columns, false, kind, walk);
  if (!isNarrow(request, scope)) {
    return Prisma.sql`${changedPairSql(request, scope, at, columns, viewReadsCustomers(request), kind)}
      UNION ALL ${unchangedPairSql(request, scope, at, columns)}`;
  }
  // For a deal in one set only, `a`/`b` is NULL on the other side and `oa`/`ob` holds that side's state.
  return Prisma.sql`SELECT COALESCE(b.opp_id, a.opp_id) AS opp_id, ${columns(either("a", "oa"), either("b", "ob"))},
      a.opp_id IS NOT NULL AS in_a, b.opp_id IS NOT NULL AS in_b
    FROM (${inViewSql(request, scope, at.from, request.from)}) a FULL JOIN (${inViewSql(request, scope, at.to, request.to)}) b ON b.opp_id = a.opp_id
      LEFT JOIN LATERAL (${stateAtSql(Prisma.sql`b.opp_id`, at.from, Prisma.sql`a.opp_id IS NULL`)}) oa ON TRUE
      LEFT JOIN LATERAL (${stateAtSql(Prisma.sql`a.opp_id`, at.to, Prisma.sql`b.opp_id IS NULL`)}) ob ON TRUE`;
}

/**
 * pairSql of the deals `ids` (the first page of a bucket, from the view's summary): each one's
 * state on both days and whether it is in each set, by a primary-key lookup per deal and day.
 */
function idsPairSql(
  request: ChangesRequest,
  scope: PipelineScope,
  at: ChangesInstants,
  ids: readonly string[],
  columns: PairColumns,
): Prisma.Sql {
  const state = (instant: Date, asOf: ChangesRequest["from"]) =>
    Prisma.sql`SELECT ${STATE_COLUMNS}, ${inViewOnSql(request, scope, asOf)} AS in_set
      FROM ${opportunitiesAtSql(instant)} o LEFT JOIN ${customersSql(request, instant)} c ON c.customer_id = o.customer_id
      WHERE o.opp_id = d.opp_id LIMIT 1`;
  const side = (alias: string) => (column: string) => Prisma.raw(`${alias}.${column}`);
  return Prisma.sql`SELECT d.opp_id, ${columns(side("a"), side("b"))}, a.in_set IS TRUE AS in_a, b.in_set IS TRUE AS in_b
    FROM unnest(ARRAY[${Prisma.join(ids)}]::text[]) AS d(opp_id)
      LEFT JOIN LATERAL (${state(at.from, request.from)}) a ON TRUE
      LEFT JOIN LATERAL (${state(at.to, request.to)}) b ON TRUE`;
}

/**
 * Which of the changed deals a bucket can hold: in both sets (its amount moved), entering B, or
 * leaving A. A bucket's page reads only its side, so the join is of the deals that can be in it.
 */
const SIDE_OF: Record<ChangeKind, "both" | "entered" | "left"> = {
  new: "entered",
  pulled_in: "entered",
  moved_in: "entered",
  increased: "both",
  decreased: "both",
  won: "left",
  lost: "left",
  pushed_out: "left",
  moved_out: "left",
  removed: "left",
};

/**
 * A bucket's page read without reading the whole bucket: the deals that left the view (entered
 * it) are read from the view on `from` (on `to`) in the order of their amount on that day, each
 * one's other day looked up by its id, until the page is full. `limit` caps the deals read from
 * that side, in the bucket or not.
 */
export interface Walk {
  side: "left" | "entered";
  direction: "ASC" | "DESC";
  limit: number;
}

/**
 * The walk for a page of the bucket `kind` in `sort`, where one exists: the view moves deals only
 * by their own versions (onlyChangedDealsMove) and the page's order is one side's amount (amounts
 * are never negative: a CHECK), with the id as the tie-break in the same direction. A deal leaving
 * the view changes it by minus its amount at `from`, so only its impact is that amount's order.
 */
export function walkFor(request: ChangedDealsRequest, limit: number): Walk | null {
  const side = SIDE_OF[request.kind];
  const { column, direction } = request.sort;
  if (side === "both" || !onlyChangedDealsMove(request)) return null;
  if (column !== "impact" && !(column === "amount" && side === "entered")) return null;
  return { side, direction: direction === "desc" ? "DESC" : "ASC", limit };
}

/**
 * pairSql over the deals that changed in the window (onlyChangedDealsMove), or of them only those
 * that can be in the bucket `kind`, or (`walk`) the first `walk.limit` of the side they come from.
 * A change at instant t is between the two days when from <= t < to (a version is in force at I
 * when valid_from < I <= valid_to). A deal of A that changed has its state at `from` ended in the
 * window: `a`, one range of opportunity_history by valid_to. Every changed deal's state at `to`
 * began in the window: `b`, its current row (by valid_from) or, when `to` is past, a version that
 * ended after `to`; none when it was removed. Each day's customers are joined only
 * `withCustomers` (a view that reads them; otherwise a page looks names up).
 */
function changedPairSql(
  request: ChangesRequest,
  scope: PipelineScope,
  at: ChangesInstants,
  columns: PairColumns,
  withCustomers: boolean,
  kind?: ChangeKind,
  walk?: Walk,
): Prisma.Sql {
  const [from, to] = [instantSql(at.from), instantSql(at.to)];
  const stateColumns = (asOf: ChangesRequest["from"]) =>
    Prisma.sql`o.opp_id, o.customer_id, o.name, o.stage, o.close_date, o.amount, o.sales_owner, o.first_seen,
      ${withCustomers ? Prisma.sql`c.name AS customer_name,` : Prisma.empty}
      ${inViewOnSql(request, scope, asOf)} AS in_set`;
  // The ended versions and the current ones are read from their own tables (not the view of both):
  // the planner has their statistics, so it hashes the two sides instead of taking them for
  // hundreds of millions of pairs and walking both in id order.
  const versions = (instant: Date, table: "opportunity_history" | "opportunities") =>
    withCustomers
      ? Prisma.sql`${Prisma.raw(table)} o LEFT JOIN ${customersSql(request, instant)} c ON c.customer_id = o.customer_id`
      : Prisma.sql`${Prisma.raw(table)} o`;
  const endedInWindow = Prisma.sql`o.valid_to >= ${from} AND o.valid_to < ${to} AND o.valid_from < ${from}`;
  const beganInWindow = Prisma.sql`o.valid_from >= ${from} AND o.valid_from < ${to}`;
  // Only the states that can be in their day's set (canBeInSetSql), with the customers they read;
  // of a pair with one side left out, that side's state is looked up by its id below.
  const canBeInSet = withCustomers ? canBeInSetSql(request, at) : null;
  const held = canBeInSet ? Prisma.sql`AND ${canBeInSet}` : Prisma.empty;
  // A deal closed on `from` is in no set then: where a left-out side is looked up, its state then
  // is left out too, and looked up only for a deal reopened since (at 1M deals, 118,000 of a 90-day
  // window's 291,000 states on `from` are closed, and no deal was reopened).
  const heldOnFrom = canBeInSet ? Prisma.sql`AND ${IS_OPEN} ${held}` : Prisma.empty;
  // A new deal had no state at `from`: its side `a` is empty, and its life began in the window.
  const a = Prisma.sql`SELECT ${stateColumns(request.from)} FROM ${versions(at.from, "opportunity_history")}
    WHERE ${endedInWindow} ${heldOnFrom} ${kind === "new" ? Prisma.sql`AND FALSE` : Prisma.empty}`;
  // A deal closed at `to` in a stage it was in since before `from` was closed on both days, in
  // neither set: its state at `to` is left out (at 1M deals, 118,000 of a 90-day window's 304,000).
  const mayMatter = Prisma.sql`(${IS_OPEN} OR o.stage_since >= ${from}) ${held}`;
  const b = Prisma.sql`SELECT ${stateColumns(request.to)} FROM ${versions(at.to, "opportunities")} WHERE ${beganInWindow} AND ${mayMatter}
    UNION ALL SELECT ${stateColumns(request.to)} FROM ${versions(at.to, "opportunity_history")}
    WHERE ${beganInWindow} AND o.valid_to >= ${to} AND ${mayMatter}`;
  // Without customers, a bucket's page looks their names up (customerNameSql).
  const state = (alias: string) => (column: string) =>
    column === "customer_name" && !withCustomers
      ? Prisma.sql`NULL::text`
      : Prisma.raw(canBeInSet ? `COALESCE(${alias}.${column}, o${alias}.${column})` : `${alias}.${column}`);
  // A walk's deals are its side's: their id is that side's, a column its order can be read in.
  const id = walk ? Prisma.raw(`${walk.side === "left" ? "a" : "b"}.opp_id`) : Prisma.sql`COALESCE(a.opp_id, b.opp_id)`;
  const select = Prisma.sql`SELECT ${id} AS opp_id, ${columns(state("a"), state("b"))},
      a.in_set IS TRUE AS in_a, b.in_set IS TRUE AS in_b`;
  if (walk) {
    // One side in the page's order (an index's), the other day's state of each deal by its id.
    const ofDeal = (alias: string) => Prisma.raw(`o.opp_id = ${alias}.opp_id AND`);
    const inView = (asOf: ChangesRequest["from"]) => inViewOnSql(request, scope, asOf);
    const order = Prisma.raw(`o.amount ${walk.direction}, o.opp_id ${walk.direction}`);
    if (walk.side === "left") {
      return Prisma.sql`${select}
        FROM (SELECT ${stateColumns(request.from)} FROM opportunity_history o
            WHERE ${endedInWindow} AND ${inView(request.from)} ORDER BY ${order} LIMIT ${walk.limit}) a
          LEFT JOIN LATERAL (SELECT ${stateColumns(request.to)} FROM opportunities o WHERE ${ofDeal("a")} ${beganInWindow}
            UNION ALL SELECT ${stateColumns(request.to)} FROM opportunity_history o
            WHERE ${ofDeal("a")} ${beganInWindow} AND o.valid_to >= ${to}) b ON TRUE`;
    }
    // A new deal's life began in the window (first_seen); every other one's began before it.
    const newOnly = kind === "new" ? Prisma.sql`AND o.first_seen >= ${from}` : Prisma.empty;
    // Each table walked in the order, then the two merged: PostgreSQL reads a UNION's parts in an
    // order only when each part asks for it.
    return Prisma.sql`${select}
      FROM (SELECT o.* FROM ((SELECT ${stateColumns(request.to)} FROM opportunities o
            WHERE ${beganInWindow} AND ${inView(request.to)} ${newOnly} ORDER BY ${order} LIMIT ${walk.limit})
          UNION ALL (SELECT ${stateColumns(request.to)} FROM opportunity_history o
            WHERE ${beganInWindow} AND o.valid_to >= ${to} AND ${inView(request.to)} ${newOnly} ORDER BY ${order} LIMIT ${walk.limit})) o
          ORDER BY ${order} LIMIT ${walk.limit}) b
        LEFT JOIN LATERAL (SELECT ${stateColumns(request.from)} FROM opportunity_history o WHERE ${ofDeal("b")} ${endedInWindow}) a ON TRUE`;
  }
  const [join, keep] = {
    all: [Prisma.sql`FULL JOIN`, Prisma.sql`a.in_set IS TRUE OR b.in_set IS TRUE`],
    both: [Prisma.sql`JOIN`, Prisma.sql`a.in_set AND b.in_set`],
    entered: [Prisma.sql`RIGHT JOIN`, Prisma.sql`b.in_set AND a.in_set IS NOT TRUE`],
    left: [Prisma.sql`LEFT JOIN`, Prisma.sql`a.in_set AND b.in_set IS NOT TRUE`],
  }[kind ? SIDE_OF[kind] : "all"];
  const isNew =
    kind === "new"
      ? Prisma.sql`AND b.first_seen >= ${from}
        AND NOT EXISTS (SELECT 1 FROM opportunity_history o WHERE o.opp_id = b.opp_id AND ${endedInWindow})`
      : Prisma.empty;
  // A pair's side left out (heldOnFrom, held), by its deal's id: a deal first seen after `from`
  // had no state then, and a deal with no side `b` was removed or closed on both days (and `keep`
  // drops it).
  const lookUpLeftOut = canBeInSet
    ? Prisma.sql`LEFT JOIN LATERAL (${stateAtSql(Prisma.sql`b.opp_id`, at.from, Prisma.sql`a.opp_id IS NULL AND b.first_seen < ${from}`)}) oa ON TRUE
      LEFT JOIN LATERAL (${stateAtSql(Prisma.sql`a.opp_id`, at.to, Prisma.sql`b.opp_id IS NULL`)}) ob ON TRUE`
    : Prisma.empty;
  return Prisma.sql`${select}
    FROM (${a}) a ${join} (${b}) b ON b.opp_id = a.opp_id ${lookUpLeftOut}
    WHERE ${keep} ${isNew}`;
}

/**
 * The rest of pairSql's moved deals when the view reads customers or the day itself (not
 * onlyChangedDealsMove), over every owner: the deals whose version in force at `from` is still in
 * force at `to` (no change of their own in the window) that the customer or the day can have
 * moved (movedWithoutVersionSql), in A or B by their customer on each day and the risk rules on
 * each day. No join of the two days: their two states are one row.
 */
function unchangedPairSql(
  request: ChangesRequest,
  scope: PipelineScope,
  at: ChangesInstants,
  columns: PairColumns,
): Prisma.Sql {
  const [from, to] = [instantSql(at.from), instantSql(at.to)];
  const inSet = (asOf: ChangesRequest["from"]) => inViewOnSql(request, scope, asOf);
  const same = (column: string) => Prisma.raw(`u.${column}`);
  // Each day's customers, for a view that reads them; otherwise a page looks names up (customerNameSql).
  const withCustomers = viewReadsCustomers(request);
  const customers = (instant: Date) =>
    withCustomers
      ? Prisma.sql`LEFT JOIN ${customersSql(request, instant)} c ON c.customer_id = o.customer_id`
      : Prisma.empty;
  return Prisma.sql`SELECT u.opp_id, ${columns(same, same)}, u.in_a IS TRUE AS in_a, u.in_b IS TRUE AS in_b
    FROM (SELECT o.opp_id, o.customer_id, o.name, o.stage, o.close_date, o.amount, o.sales_owner,
        ${withCustomers ? Prisma.sql`c.name` : Prisma.sql`NULL::text`} AS customer_name, o.in_a, ${inSet(request.to)} AS in_b
      FROM (SELECT o.*, ${inSet(request.from)} AS in_a
          FROM opportunity_versions o ${customers(at.from)}
          WHERE o.valid_from < ${from} AND (o.valid_to IS NULL OR o.valid_to >= ${to}) AND ${movedWithoutVersionSql(request, at)}) o
        ${customers(at.to)}) u
    WHERE u.in_a OR u.in_b`;
}

/**
 * Every deal in A or B with both states, its bucket (`kind`, NULL when in both unchanged;
 * compared byte by byte, as the summary sorts every deal by it: 20-60 ms of a 90-day summary
 * at 1M deals) and its signed `change`. A deal with no state at `to` was removed when its last version
 * before `to` was ended by a snapshot removal.
 */
function classifiedSql(
  request: ChangesRequest,
  scope: PipelineScope,
  at: ChangesInstants,
  {
    perOwner = false,
    kind,
    walk,
    ids,
  }: { perOwner?: boolean; kind?: ChangeKind; walk?: Walk; ids?: readonly string[] } = {},
): Prisma.Sql {
  const lastRemoved = Prisma.sql`(SELECT v.removed FROM opportunity_versions v WHERE v.opp_id = p.opp_id AND v.valid_from < ${instantSql(at.to)} ORDER BY v.valid_from DESC LIMIT 1)`;
  return Prisma.sql`WITH pair AS (${pairSql(request, scope, at, kind, walk, ids)}),
    p AS (${perOwner ? PER_OWNER_SQL : Prisma.sql`SELECT pair.*, NULL::text AS owner FROM pair`}),
    classified AS (
      SELECT p.*,
        CASE
          WHEN in_a AND in_b THEN CASE WHEN b_amount > a_amount THEN 'increased' WHEN b_amount < a_amount THEN 'decreased' END
          WHEN in_b THEN CASE
            WHEN NOT existed_before THEN 'new'
            WHEN b_close_date < a_close_date AND NOT ${withinCloseWindowSql(Prisma.sql`a_close_date`, request)} AND ${withinCloseWindowSql(Prisma.sql`b_close_date`, request)} THEN 'pulled_in'
            ELSE 'moved_in' END
          ELSE CASE
            WHEN NOT exists_after THEN CASE WHEN ${lastRemoved} THEN 'removed' ELSE 'moved_out' END
            WHEN b_stage = 'closed_won' THEN 'won'
            WHEN b_stage = 'closed_lost' THEN 'lost'
            WHEN b_close_date > a_close_date AND NOT ${withinCloseWindowSql(Prisma.sql`b_close_date`, request)} THEN 'pushed_out'
            ELSE 'moved_out' END
        END COLLATE "C" AS kind,
        CASE WHEN in_a AND in_b THEN b_amount - a_amount WHEN in_b THEN b_amount ELSE -a_amount END AS change
      FROM p
    )`;
}

/**
 * Each deal once per owner it had on either day, with A and B narrowed to that owner
 * (changesByOwner): a deal that moved from one rep to another leaves the first and enters
 * the second.
 */
const PER_OWNER_SQL = Prisma.sql`SELECT pair.opp_id, pair.name, pair.customer_name, pair.customer_id, pair.existed_before, pair.exists_after,
      pair.a_stage, pair.a_close_date, pair.a_amount, pair.a_sales_owner, pair.b_stage, pair.b_close_date, pair.b_amount, pair.b_sales_owner,
      pair.in_a AND pair.a_sales_owner = r.owner AS in_a, pair.in_b AND pair.b_sales_owner = r.owner AS in_b, r.owner
    FROM pair CROSS JOIN LATERAL (SELECT DISTINCT u.owner FROM unnest(ARRAY[pair.a_sales_owner, pair.b_sales_owner]) AS u(owner) WHERE u.owner IS NOT NULL) r
    WHERE (pair.in_a AND pair.a_sales_owner = r.owner) OR (pair.in_b AND pair.b_sales_owner = r.owner)`;

export interface ChangesGroupRecord {
  /** Only per owner (changesByOwnerSql). */
  owner: string | null;
  kind: ChangeKind | null;
  count: bigint;
  change: string;
  start_count: bigint;
  start_amount: string;
  end_count: bigint;
  end_amount: string;
  pushed_count: bigint;
  pushed_amount: string;
  /** The bucket's first page (changesSummarySql's FirstPages), else NULL. */
  first_ids: string[] | null;
}

const PUSHED = Prisma.sql`in_a AND in_b AND b_close_date > a_close_date`;

/**
 * Tallies per owner (NULL unless per owner) and bucket, with `firstIds` (first_ids). When the
 * start follows from the end (pairsHoldMovedDealsOnly), a deal in both sets with the same amount
 * and no later close date adds the same to the pairs' start and end, which cancel: it is left out
 * before the grouping sorts the pairs. Of a broad search's ~170,000 pairs over 90 days at 1M deals
 * 110,000 are such deals: its summary 840-850 -> 710-750 ms (BENCHMARKS.md, session 17).
 */
const groupTalliesSql = (
  request: ChangesRequest,
  scope: PipelineScope,
  firstIds: Prisma.Sql = Prisma.sql`NULL::text[]`,
) =>
  Prisma.sql`SELECT owner, kind, COUNT(*) AS count, COALESCE(SUM(change), 0)::text AS change,
      COUNT(*) FILTER (WHERE in_a) AS start_count, COALESCE(SUM(a_amount) FILTER (WHERE in_a), 0)::text AS start_amount,
      COUNT(*) FILTER (WHERE in_b) AS end_count, COALESCE(SUM(b_amount) FILTER (WHERE in_b), 0)::text AS end_amount,
      COUNT(*) FILTER (WHERE ${PUSHED}) AS pushed_count, COALESCE(SUM(b_amount) FILTER (WHERE ${PUSHED}), 0)::text AS pushed_amount,
      ${firstIds} AS first_ids
    FROM classified
    ${pairsHoldMovedDealsOnly(request, scope) ? Prisma.sql`WHERE NOT (in_a AND in_b AND b_amount = a_amount AND b_close_date <= a_close_date)` : Prisma.empty}
    GROUP BY owner, kind`;

/** The first page a bucket opens at: its `size` deals in the default order (DEFAULT_CHANGED_DEAL_SORT). */
export interface FirstPages {
  kinds: readonly ChangeKind[];
  size: number;
}

/**
 * One row per bucket (kind NULL: in both, unchanged) with its share of start, end and pushed;
 * exact NUMERIC as text. For the buckets `firstPages.kinds`, also the ids of their first page
 * (first_ids): the statement classifies every deal anyway, and reading a page of one of those
 * buckets alone would classify them all again.
 */
export function changesSummarySql(
  request: ChangesRequest,
  scope: PipelineScope,
  at: ChangesInstants,
  firstPages: FirstPages,
): Prisma.Sql {
  const firstIds = firstPages.kinds.length
    ? Prisma.sql`(array_agg(opp_id ORDER BY ${pageOrderSql(DEFAULT_CHANGED_DEAL_SORT, at)})
        FILTER (WHERE kind IN (${Prisma.join(firstPages.kinds)})))[1:${firstPages.size}]`
    : undefined;
  return Prisma.sql`${classifiedSql(request, scope, at)} ${groupTalliesSql(request, scope, firstIds)}`;
}

/** The same per owner and bucket (changesByOwner). */
export function changesByOwnerSql(request: ChangesRequest, scope: PipelineScope, at: ChangesInstants): Prisma.Sql {
  return Prisma.sql`${classifiedSql(request, scope, at, { perOwner: true })} ${groupTalliesSql(request, scope)}`;
}

export interface ChangedDealRecord {
  opp_id: string;
  name: string | null;
  customer_name: string | null;
  kind: ChangeKind;
  change: string;
  a_stage: string | null;
  a_close_date: string | null;
  a_amount: string | null;
  a_sales_owner: string | null;
  b_stage: string | null;
  b_close_date: string | null;
  b_amount: string | null;
  b_sales_owner: string | null;
  /** The bucket's size (on every row of the page; NULL from a walk or ids). */
  total: bigint | null;
}

/**
 * The deal's customer's name on its later day: read with the pairs, or (changedPairSql) looked up
 * here, for the rows of the page alone (PostgreSQL evaluates it after the LIMIT unless it sorts by it).
 */
const customerNameSql = (at: ChangesInstants) =>
  Prisma.sql`COALESCE(customer_name, (SELECT cv.name FROM customer_versions cv WHERE cv.customer_id = classified.customer_id
    AND cv.valid_from < (CASE WHEN exists_after THEN ${at.to.toISOString()} ELSE ${at.from.toISOString()} END)::timestamptz
    ORDER BY cv.valid_from DESC LIMIT 1))`;

const sortExpression = (column: ChangedDealSortColumn, at: ChangesInstants): Prisma.Sql =>
  ({
    impact: Prisma.sql`ABS(change)`,
    amount: Prisma.sql`change`,
    oppId: Prisma.sql`opp_id`,
    customerName: customerNameSql(at),
    salesOwner: Prisma.sql`COALESCE(b_sales_owner, a_sales_owner)`,
  })[column];

/** A bucket's deals in `sort`, opp_id breaking ties. */
function pageOrderSql(sort: ChangedDealSort, at: ChangesInstants): Prisma.Sql {
  const direction = Prisma.raw(sort.direction === "desc" ? "DESC" : "ASC");
  return Prisma.sql`${sortExpression(sort.column, at)} ${direction} NULLS LAST, opp_id ${direction}`;
}

/**
 * The deals of one bucket, a page of them in `sort`, and the bucket's size; with `walk`, the page
 * alone, in the same order (walkFor), from the walk's deals; with `ids`, the page of those deals.
 */
export function changedDealsSql(
  request: ChangesRequest,
  scope: PipelineScope,
  at: ChangesInstants,
  page: {
    kind: ChangeKind;
    sort: ChangedDealSort;
    limit: number;
    offset: number;
    walk?: Walk;
    ids?: readonly string[];
  },
): Prisma.Sql {
  const { walk, ids } = page;
  // The walk's own order (its side's amount, then the id), so the page is read in it and not sorted.
  const order = walk
    ? Prisma.raw(
        `classified.${walk.side === "left" ? "a_amount" : "b_amount"} ${walk.direction}, classified.opp_id ${walk.direction}`,
      )
    : pageOrderSql(page.sort, at);
  return Prisma.sql`${classifiedSql(request, scope, at, { kind: page.kind, walk, ids })}
    SELECT opp_id, name, ${customerNameSql(at)} AS customer_name, kind, change::text AS change,
      a_stage::text AS a_stage, to_char(a_close_date, 'YYYY-MM-DD') AS a_close_date, a_amount::text AS a_amount, a_sales_owner,
      b_stage::text AS b_stage, to_char(b_close_date, 'YYYY-MM-DD') AS b_close_date, b_amount::text AS b_amount, b_sales_owner,
      ${walk || ids ? Prisma.sql`NULL::bigint` : Prisma.sql`COUNT(*) OVER ()`} AS total
    FROM classified WHERE kind = ${page.kind}
    ORDER BY ${order}
    LIMIT ${page.limit} OFFSET ${page.offset}`;
}
