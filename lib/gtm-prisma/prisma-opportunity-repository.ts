import type { OwnerNames } from "../gtm/owner-names";
import { readOwnerNames } from "./owner-names-sql";
import Decimal from "decimal.js";
import { Prisma, type PrismaClient } from "../db/generated/client";
import type { TrendPoint } from "../gtm/at-risk-trend";
import type { CalendarDate } from "../gtm/calendar-date";
import type { CustomerVersion } from "../gtm/churn-risk-timeline";
import type { ChurnRisk, Customer } from "../gtm/customer";
import type { OpportunityVersion } from "../gtm/opportunity-timeline";
import type { NamedOpportunity, OpportunityRepository, Page, SearchOptions } from "../gtm/opportunity-repository";
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, type PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineRow } from "../gtm/pipeline-row";
import type { PipelineRowText } from "../gtm/pipeline-wire";
import type { PipelineScope } from "../gtm/pipeline-scope";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import type { SqlDriver } from "../db/sql-driver";
import { MAX_ID_LENGTH } from "../gtm/limits";
import { atRiskTrendFromRollupsSql, atRiskTrendSql } from "./at-risk-trend-sql";
import { copyRows } from "./export-cursor";
import { readCustomerVersions, readHistoryStart, readOpportunityVersions } from "./history-reads";
import {
  opportunityOf,
  pipelineColumnsSql,
  type PipelineRecord,
  pipelineRowOf,
  pipelineRowText,
  pipelineRowTextOf,
  summaryOf,
} from "./pipeline-records";
import {
  IS_OPEN,
  keysetAfterSql,
  pipelineFromSql,
  pipelineOrderSql,
  pipelineWhereSql,
  readsOpportunitiesAlone,
  scopeSql,
  sortKey,
} from "./pipeline-sql";
import { CURRENT_TABLES, type HistoryClock, pipelineSourceAt, type PipelineSource } from "./pipeline-source";
import { type PipelineReads, readThrough } from "./pipeline-read-cache";
import { countPipeline, readSummaryGroups } from "./pipeline-summary-sql";

/** What selects a query's set (its filters and day): the summary and the count depend on nothing else. */
function filtersOf(query: PipelineQuery): Omit<PipelineQuery, "sort" | "page" | "pageSize"> {
  const { sort: _sort, page: _page, pageSize: _pageSize, ...filters } = query;
  return filters;
}

const ALL: Omit<PipelineQuery, "asOf"> = {
  owners: [],
  stages: [],
  status: "all",
  sort: DEFAULT_SORT,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

/**
 * Planner settings for an export's read (its transaction only). The ordered plan PostgreSQL may
 * pick (an index scan, then a nested loop probing customers per row) cost about twice the
 * database CPU of one hash join and one sort at 1M rows, so nested loops are off for this read.
 * JIT compiles for hundreds of ms under load and buys nothing on a read that just returns rows.
 */
const EXPORT_READ_SETTINGS = ["SET LOCAL enable_nestloop = off", "SET LOCAL jit = off"];

/**
 * Ids are at most 64 characters without NUL (import enforces it); anything else from a
 * URL is simply not found, rather than an error from PostgreSQL, which rejects NUL in text.
 */
function couldBeStoredId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH && !id.includes("\u0000");
}

export class PrismaOpportunityRepository implements OpportunityRepository {
  /** Every read is narrowed to `scope` in SQL. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly scope: PipelineScope,
    /**
     * `exportCursor`: a driver with dedicated connections (PostgreSQL), for reading a whole
     * export through one COPY ... TO STDOUT. Left out on PGlite, whose single connection is
     * shared by every query: exports then read keyset batches.
     * `history`: today and the time zone, so a past `asOf` reads the versions in force then
     * (pipeline-source.ts); left out, every read is of the current tables.
     * `cache`: the database's cache of reads per data version (pipeline-read-cache.ts): the
     * summary, a page's rows, the count and the owner list of a view already read in the
     * pipeline's current state cost no SQL.
     */
    private readonly options: { exportCursor?: SqlDriver; history?: HistoryClock; cache?: PipelineReads } = {},
  ) {}

  /** `load`, through the cache when there is one; `what` and `key` name all it depends on but the data and the viewer's scope. */
  private cached<T>(what: string, key: unknown, asOf: CalendarDate | undefined, load: () => Promise<T>): Promise<T> {
    return readThrough(this.options.cache, [what, this.scope, this.sourceAt(asOf).instant === null, key], load);
  }

  /** GTM_TIMEZONE: where deal age's days begin; UTC without a history clock. */
  private get timeZone(): string {
    return this.options.history?.timeZone ?? "UTC";
  }

  private sourceAt(asOf: CalendarDate | undefined): PipelineSource {
    return asOf === undefined ? CURRENT_TABLES : pipelineSourceAt(asOf, this.options.history);
  }

  async getOpenForCustomer(customerId: string, asOf?: CalendarDate): Promise<NamedOpportunity[]> {
    if (!couldBeStoredId(customerId)) return [];
    const records = await this.prisma.$queryRaw<PipelineRecord[]>`
      SELECT o.opp_id, o.customer_id, o.stage::text AS stage, to_char(o.close_date, 'YYYY-MM-DD') AS close_date, o.amount::text AS amount, o.sales_owner, o.name
      FROM ${this.sourceAt(asOf).opportunities} o
      WHERE o.customer_id = ${customerId} AND ${IS_OPEN} AND ${scopeSql(this.scope)}
      ORDER BY o.close_date, o.opp_id`;
    return records.map((record) => ({ ...opportunityOf(record), name: record.name }));
  }

  async findOpportunity(oppId: string, asOf: CalendarDate): Promise<PipelineRow | null> {
    if (!couldBeStoredId(oppId)) return null;
    const byId: PipelineQuery = { ...ALL, asOf };
    const [record] = await this.selectRows(byId, Prisma.sql`o.opp_id = ${oppId} AND ${scopeSql(this.scope)}`, 1, 0);
    return record ? pipelineRowOf(record) : null;
  }

  async findCustomer(customerId: string, asOf?: CalendarDate): Promise<Customer | null> {
    if (!couldBeStoredId(customerId)) return null;
    const source = this.sourceAt(asOf);
    // A customer is visible through an opportunity in scope; outside it, it does not exist (no existence leak).
    const [record] = await this.prisma.$queryRaw<{ customer_id: string; name: string; churn_risk: ChurnRisk }[]>`
      SELECT c.customer_id, c.name, c.churn_risk::text AS churn_risk FROM ${source.customers} c
      WHERE c.customer_id = ${customerId}
        AND ${this.scope.kind === "all" ? Prisma.sql`TRUE` : Prisma.sql`EXISTS (SELECT 1 FROM ${source.opportunities} o WHERE o.customer_id = c.customer_id AND ${scopeSql(this.scope)})`}`;
    return record ? { customerId: record.customer_id, name: record.name, churnRisk: record.churn_risk } : null;
  }

  ownerNames(): Promise<OwnerNames> {
    return this.cached("ownerNames", null, undefined, () => readOwnerNames(this.prisma, this.scope));
  }

  listOwners(asOf?: CalendarDate): Promise<string[]> {
    return this.cached("owners", asOf ?? null, asOf, () => this.readOwners(asOf));
  }

  private async readOwners(asOf: CalendarDate | undefined): Promise<string[]> {
    const source = this.sourceAt(asOf);
    const scope = scopeSql(this.scope);
    if (source.instant !== null) {
      const past = await this.prisma.$queryRaw<
        { owner: string }[]
      >`SELECT DISTINCT o.sales_owner AS owner FROM ${source.opportunities} o WHERE ${scope} ORDER BY owner`;
      return past.map((row) => row.owner);
    }
    // Loose index scan over the sales_owner index: one index probe per owner (a few hundred)
    // instead of reading every row in scope to de-duplicate it.
    const rows = await this.prisma.$queryRaw<{ owner: string }[]>`
      WITH RECURSIVE owners(owner) AS (
        (SELECT o.sales_owner FROM opportunities o WHERE ${scope} ORDER BY o.sales_owner LIMIT 1)
        UNION ALL
        SELECT (SELECT o.sales_owner FROM opportunities o WHERE o.sales_owner > owners.owner AND ${scope} ORDER BY o.sales_owner LIMIT 1)
        FROM owners WHERE owners.owner IS NOT NULL
      )
      SELECT owner FROM owners WHERE owner IS NOT NULL ORDER BY owner`;
    return rows.map((row) => row.owner);
  }

  async opportunityVersions(oppId: string): Promise<OpportunityVersion[]> {
    return couldBeStoredId(oppId) ? readOpportunityVersions(this.prisma, this.scope, oppId) : [];
  }

  async customerVersions(customerId: string): Promise<CustomerVersion[]> {
    if (!(await this.findCustomer(customerId))) return [];
    return readCustomerVersions(this.prisma, customerId);
  }

  atRiskTrend(query: PipelineQuery, days: readonly CalendarDate[]): Promise<TrendPoint[]> {
    return this.cached("trend", [filtersOf(query), days], undefined, async () => {
      type Point = { day: CalendarDate; at_risk: string; at_risk_count: bigint };
      // From the history rollups when they stand for every day (no rows otherwise), else from the versions.
      const fromRollups = atRiskTrendFromRollupsSql(query, this.scope, days, this.timeZone);
      const rolled = fromRollups ? await this.prisma.$queryRaw<Point[]>(fromRollups) : [];
      const points =
        rolled.length > 0
          ? rolled
          : await this.prisma.$queryRaw<Point[]>(atRiskTrendSql(query, this.scope, days, this.timeZone));
      return points.map((point) => ({
        day: point.day,
        atRisk: new Decimal(point.at_risk),
        atRiskCount: Number(point.at_risk_count),
      }));
    });
  }

  historyStarts(): Promise<Date | null> {
    return this.cached("historyStarts", null, undefined, () => readHistoryStart(this.prisma));
  }

  async search(query: PipelineQuery, options: SearchOptions = {}): Promise<Page<PipelineRow>> {
    const where = pipelineWhereSql(query, this.scope, "subquery", this.sourceAt(query.asOf), this.timeZone);
    const offset = (query.page - 1) * query.pageSize;
    const [rows, total] = await Promise.all([
      this.cached("rows", query, query.asOf, async () =>
        (await this.selectRows(query, where, query.pageSize, offset)).map(pipelineRowOf),
      ),
      options.total ?? this.count(query),
    ]);
    return {
      data: rows,
      total,
      page: query.page,
      pageSize: query.pageSize,
      totalPages: Math.max(1, Math.ceil(total / query.pageSize)),
    };
  }

  private count(query: PipelineQuery): Promise<number> {
    return this.cached("count", filtersOf(query), query.asOf, () =>
      countPipeline(this.prisma, query, this.scope, this.sourceAt(query.asOf), this.timeZone),
    );
  }

  async *streamRows(query: PipelineQuery, options: { batchSize?: number } = {}): AsyncIterable<PipelineRow> {
    for await (const records of this.keysetBatches(query, options.batchSize ?? 2_000)) {
      for (const record of records) yield pipelineRowOf(record);
    }
  }

  async *streamRowTexts(
    query: PipelineQuery,
    options: { batchSize?: number } = {},
  ): AsyncIterable<readonly PipelineRowText[]> {
    if (this.options.exportCursor) {
      const source = this.sourceAt(query.asOf);
      const select = Prisma.sql`SELECT ${pipelineColumnsSql(query, this.timeZone)} FROM ${pipelineFromSql(source)}
        WHERE ${pipelineWhereSql(query, this.scope, "subquery", source, this.timeZone)} ORDER BY ${pipelineOrderSql(query, source, this.timeZone)}`;
      for await (const rows of copyRows(this.options.exportCursor, select, { settings: EXPORT_READ_SETTINGS }))
        yield rows.map(pipelineRowText);
      return;
    }
    for await (const records of this.keysetBatches(query, options.batchSize ?? 2_000))
      yield records.map(pipelineRowTextOf);
  }

  /** The filtered, sorted set in batches of `batchSize`, each query resuming after the last row of the one before. */
  private async *keysetBatches(query: PipelineQuery, batchSize: number): AsyncIterable<PipelineRecord[]> {
    const source = this.sourceAt(query.asOf);
    const filters = pipelineWhereSql(query, this.scope, "subquery", source, this.timeZone);
    let last: { sortValue: string; oppId: string } | undefined;
    for (;;) {
      const where = last ? Prisma.sql`${filters} AND ${keysetAfterSql(query, last, source, this.timeZone)}` : filters;
      const records = await this.selectRows(query, where, batchSize, 0);
      if (records.length > 0) yield records;
      if (records.length < batchSize) return;
      const tail = records[records.length - 1];
      last = { sortValue: tail.sort_value, oppId: tail.opp_id };
    }
  }

  private selectRows(
    query: PipelineQuery,
    where: Prisma.Sql,
    limit: number,
    offset: number,
  ): Promise<PipelineRecord[]> {
    const source = this.sourceAt(query.asOf);
    const columns = Prisma.sql`${pipelineColumnsSql(query, this.timeZone)}, (${sortKey(query.sort.column, query.asOf, source, this.timeZone).expression})::text AS sort_value`;
    const order = pipelineOrderSql(query, source, this.timeZone);
    if (offset > 0 && source.instant === null && readsOpportunitiesAlone(query)) {
      // Deep page: walk the OFFSET over opportunities alone (an index-only scan of a covering
      // sort index when there is one), then join just the page's rows. Same ORDER BY, and
      // opp_id is unique, so the page is exactly the one the plain query gives.
      return this.prisma.$queryRaw<PipelineRecord[]>`
        SELECT ${columns}
        FROM (SELECT o.opp_id FROM opportunities o WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) page
        JOIN opportunities o ON o.opp_id = page.opp_id
        LEFT JOIN customers c ON c.customer_id = o.customer_id
        ORDER BY ${order}`;
    }
    return this.prisma.$queryRaw<PipelineRecord[]>`
      SELECT ${columns}
      FROM ${pipelineFromSql(source)}
      WHERE ${where}
      ORDER BY ${order}
      LIMIT ${limit} OFFSET ${offset}`;
  }

  /** Kept finished (not as groups): building the Decimals of a large view costs a page view milliseconds. */
  summarize(query: PipelineQuery): Promise<PipelineSummary> {
    return this.cached("summary", filtersOf(query), query.asOf, async () =>
      summaryOf(
        query.asOf,
        await readSummaryGroups(this.prisma, query, this.scope, this.sourceAt(query.asOf), this.timeZone),
      ),
    );
  }
}
