import Decimal from "decimal.js";
import { Prisma, type PrismaClient } from "../db/generated/client";
import { toCalendarDate } from "../gtm/calendar-date";
import type { CalendarDate } from "../gtm/calendar-date";
import type { ChurnRisk, Customer } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";
import type { OpportunityRepository, Page, SearchOptions } from "../gtm/opportunity-repository";
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, type PipelineQuery } from "../gtm/pipeline-query";
import type { PipelineRow } from "../gtm/pipeline-row";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import type { PipelineScope } from "../gtm/pipeline-scope";
import { OPEN_STAGES, SALES_STAGES, type SalesStage } from "../gtm/sales-stage";
import type { PipelineRowText } from "../gtm/pipeline-wire";
import type { SqlDriver } from "../db/sql-driver";
import { copyRows } from "./export-cursor";
import {
  IS_OPEN,
  isAtRiskSql,
  isOverdueSql,
  keysetAfterSql,
  PIPELINE_FROM,
  scopeSql,
  pipelineOrderSql,
  pipelineWhereSql,
  readsOpportunitiesAlone,
  sortKey,
  statusFromRank,
  statusRankSql,
} from "./pipeline-sql";
import { countSql, readRollupState, summarySourceSql } from "./pipeline-rollup";

interface OpportunityRecord {
  oppId: string;
  customerId: string;
  stage: string;
  closeDate: Date;
  amount: Prisma.Decimal;
  salesOwner: string;
}

interface PipelineRecord {
  opp_id: string;
  customer_id: string;
  stage: string;
  /** YYYY-MM-DD */
  close_date: string;
  /** NUMERIC as text */
  amount: string;
  sales_owner: string;
  customer_name: string;
  churn_risk: string;
  status_rank: number;
  sort_value: string;
}

/** Sums of money as NUMERIC text: one exact parse into decimal.js, no Prisma.Decimal in between. */
interface SummaryGroupRecord {
  grouped_by: "total" | "stage" | "owner" | "day";
  key: string;
  count: bigint | null;
  amount: string | null;
  open: string | null;
  open_count: bigint | null;
  at_risk: string | null;
  at_risk_count: bigint | null;
  overdue: string | null;
  overdue_count: bigint | null;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Close-date groups ("YYYY-MM-DD") added up per close month, oldest first. */
function sumByMonth(days: { key: string; open: Decimal; atRisk: Decimal }[]): PipelineSummary["byCloseMonth"] {
  const months = new Map<string, { month: string; open: Decimal; atRisk: Decimal }>();
  for (const day of days) {
    const month = day.key.slice(0, 7);
    const sum = months.get(month);
    months.set(month, sum ? { month, open: sum.open.plus(day.open), atRisk: sum.atRisk.plus(day.atRisk) } : { month, open: day.open, atRisk: day.atRisk });
  }
  return [...months.values()].sort((a, b) => compareText(a.month, b.month));
}

const ALL: Omit<PipelineQuery, "asOf"> = { owners: [], stages: [], sort: DEFAULT_SORT, page: 1, pageSize: DEFAULT_PAGE_SIZE };

const toDecimal = (value: Prisma.Decimal | string | null): Decimal => new Decimal(value === null ? 0 : value.toString());

function fromRecord(record: OpportunityRecord): Opportunity {
  return {
    oppId: record.oppId,
    customerId: record.customerId,
    stage: record.stage as SalesStage,
    closeDate: toCalendarDate(record.closeDate),
    amount: toDecimal(record.amount),
    salesOwner: record.salesOwner,
  };
}

function fromPipelineRecord(record: PipelineRecord): PipelineRow {
  return {
    oppId: record.opp_id,
    customerId: record.customer_id,
    stage: record.stage as SalesStage,
    closeDate: record.close_date as CalendarDate,
    amount: new Decimal(record.amount),
    salesOwner: record.sales_owner,
    customerName: record.customer_name,
    churnRisk: record.churn_risk as ChurnRisk,
    status: statusFromRank(Number(record.status_rank)),
  };
}

// NUMERIC(18,2) as text is already two-place; anything else goes through Decimal, so the
// text always equals toMoneyString's (never through a float).
const TWO_PLACES = /^-?\d+\.\d\d$/;

function fromPipelineRecordText(record: Omit<PipelineRecord, "sort_value">): PipelineRowText {
  return {
    oppId: record.opp_id,
    customerId: record.customer_id,
    stage: record.stage as SalesStage,
    closeDate: record.close_date as CalendarDate,
    amount: TWO_PLACES.test(record.amount) ? record.amount : new Decimal(record.amount).toFixed(2),
    salesOwner: record.sales_owner,
    customerName: record.customer_name,
    churnRisk: record.churn_risk as ChurnRisk,
    status: statusFromRank(Number(record.status_rank)),
  };
}

/** A row of pipelineColumnsSql as COPY's fields, in its order (the export reads millions: no record object in between). */
function fromPipelineFieldsText(fields: readonly (string | null)[]): PipelineRowText {
  if (fields.length !== 9) throw new RangeError(`an export row has ${fields.length} fields, expected 9`);
  const amount = fields[4]!;
  return {
    oppId: fields[0]!,
    customerId: fields[1]!,
    stage: fields[2] as SalesStage,
    closeDate: fields[3] as CalendarDate,
    amount: TWO_PLACES.test(amount) ? amount : new Decimal(amount).toFixed(2),
    salesOwner: fields[5]!,
    customerName: fields[6]!,
    churnRisk: fields[7] as ChurnRisk,
    status: statusFromRank(Number(fields[8])),
  };
}

/**
 * A pipeline row's columns (PipelineRecord without sort_value; fromPipelineFieldsText reads them
 * by position). Amount and date as text: no Decimal/Date round trip per row (exports map millions).
 */
function pipelineColumnsSql(query: PipelineQuery): Prisma.Sql {
  return Prisma.sql`o.opp_id, o.customer_id, o.stage::text AS stage, to_char(o.close_date, 'YYYY-MM-DD') AS close_date,
             o.amount::text AS amount, o.sales_owner, c.name AS customer_name, c.churn_risk::text AS churn_risk,
             ${statusRankSql(query.asOf, "joined")} AS status_rank`;
}

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
  return id.length > 0 && id.length <= 64 && !id.includes("\u0000");
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
     */
    private readonly options: { exportCursor?: SqlDriver } = {},
  ) {}

  async getOpenForCustomer(customerId: string): Promise<Opportunity[]> {
    if (!couldBeStoredId(customerId)) return [];
    const records = await this.prisma.opportunity.findMany({
      where: { customerId, stage: { in: [...OPEN_STAGES] }, ...(this.scope.kind === "owners" && { salesOwner: { in: this.scope.owners } }) },
      orderBy: [{ closeDate: "asc" }, { oppId: "asc" }],
    });
    return records.map(fromRecord);
  }

  async findOpportunity(oppId: string, asOf: CalendarDate): Promise<PipelineRow | null> {
    if (!couldBeStoredId(oppId)) return null;
    const byId: PipelineQuery = { ...ALL, asOf };
    const [record] = await this.selectRows(byId, Prisma.sql`o.opp_id = ${oppId} AND ${scopeSql(this.scope)}`, 1, 0);
    return record ? fromPipelineRecord(record) : null;
  }

  async findCustomer(customerId: string): Promise<Customer | null> {
    if (!couldBeStoredId(customerId)) return null;
    // A customer is visible through an opportunity in scope; outside it, it does not exist (no existence leak).
    const [record] = await this.prisma.$queryRaw<{ customer_id: string; name: string; churn_risk: ChurnRisk }[]>`
      SELECT c.customer_id, c.name, c.churn_risk::text AS churn_risk FROM customers c
      WHERE c.customer_id = ${customerId}
        AND ${this.scope.kind === "all" ? Prisma.sql`TRUE` : Prisma.sql`EXISTS (SELECT 1 FROM opportunities o WHERE o.customer_id = c.customer_id AND ${scopeSql(this.scope)})`}`;
    return record ? { customerId: record.customer_id, name: record.name, churnRisk: record.churn_risk } : null;
  }

  async listOwners(): Promise<string[]> {
    // Loose index scan over the sales_owner index: one index probe per owner (a few hundred)
    // instead of reading every row in scope to de-duplicate it.
    const scope = scopeSql(this.scope);
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

  async search(query: PipelineQuery, options: SearchOptions = {}): Promise<Page<PipelineRow>> {
    const where = pipelineWhereSql(query, this.scope);
    const offset = (query.page - 1) * query.pageSize;
    const [records, total] = await Promise.all([
      this.selectRows(query, where, query.pageSize, offset),
      options.total ?? this.count(query),
    ]);
    return {
      data: records.map(fromPipelineRecord),
      total,
      page: query.page,
      pageSize: query.pageSize,
      totalPages: Math.max(1, Math.ceil(total / query.pageSize)),
    };
  }

  private async count(query: PipelineQuery): Promise<number> {
    const [{ total }] = await this.prisma.$queryRaw<{ total: bigint }[]>(countSql(query, this.scope, await readRollupState(this.prisma)));
    return Number(total);
  }

  async *streamRows(query: PipelineQuery, options: { batchSize?: number } = {}): AsyncIterable<PipelineRow> {
    for await (const records of this.keysetBatches(query, options.batchSize ?? 2_000)) {
      for (const record of records) yield fromPipelineRecord(record);
    }
  }

  async *streamRowTexts(query: PipelineQuery, options: { batchSize?: number } = {}): AsyncIterable<readonly PipelineRowText[]> {
    if (this.options.exportCursor) {
      const select = Prisma.sql`SELECT ${pipelineColumnsSql(query)} FROM ${PIPELINE_FROM} WHERE ${pipelineWhereSql(query, this.scope)} ORDER BY ${pipelineOrderSql(query)}`;
      for await (const rows of copyRows(this.options.exportCursor, select, { settings: EXPORT_READ_SETTINGS })) yield rows.map(fromPipelineFieldsText);
      return;
    }
    for await (const records of this.keysetBatches(query, options.batchSize ?? 2_000)) yield records.map(fromPipelineRecordText);
  }

  /** The filtered, sorted set in batches of `batchSize`, each query resuming after the last row of the one before. */
  private async *keysetBatches(query: PipelineQuery, batchSize: number): AsyncIterable<PipelineRecord[]> {
    const filters = pipelineWhereSql(query, this.scope);
    let last: { sortValue: string; oppId: string } | undefined;
    for (;;) {
      const where = last ? Prisma.sql`${filters} AND ${keysetAfterSql(query, last)}` : filters;
      const records = await this.selectRows(query, where, batchSize, 0);
      if (records.length > 0) yield records;
      if (records.length < batchSize) return;
      const tail = records[records.length - 1];
      last = { sortValue: tail.sort_value, oppId: tail.opp_id };
    }
  }

  private selectRows(query: PipelineQuery, where: Prisma.Sql, limit: number, offset: number): Promise<PipelineRecord[]> {
    const columns = Prisma.sql`${pipelineColumnsSql(query)}, (${sortKey(query.sort.column, query.asOf).expression})::text AS sort_value`;
    const order = pipelineOrderSql(query);
    if (offset > 0 && readsOpportunitiesAlone(query)) {
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
      FROM ${PIPELINE_FROM}
      WHERE ${where}
      ORDER BY ${order}
      LIMIT ${limit} OFFSET ${offset}`;
  }

  async summarize(query: PipelineQuery): Promise<PipelineSummary> {
    const source = summarySourceSql(query, this.scope, await readRollupState(this.prisma));
    const atRisk = isAtRiskSql(query.asOf, "column");
    const overdue = isOverdueSql(query.asOf);
    // One pass over the filtered set (a source row stands for `n` opportunities), grouped four
    // ways at once. Close dates are grouped as they are and added up per month below: a month
    // key per row (to_char) cost more than all the sums. Owners and months are charted for
    // open deals: those without any are dropped below.
    const groups = await this.prisma.$queryRaw<SummaryGroupRecord[]>`
      SELECT CASE GROUPING(o.stage, o.sales_owner, o.close_date) WHEN 7 THEN 'total' WHEN 3 THEN 'stage' WHEN 5 THEN 'owner' ELSE 'day' END AS grouped_by,
             COALESCE(o.stage::text, o.sales_owner, to_char(o.close_date, 'YYYY-MM-DD')) AS key,
             SUM(o.n) AS count, SUM(o.amount)::text AS amount,
             SUM(o.amount) FILTER (WHERE ${IS_OPEN})::text AS open, SUM(o.n) FILTER (WHERE ${IS_OPEN}) AS open_count,
             SUM(o.amount) FILTER (WHERE ${atRisk})::text AS at_risk, SUM(o.n) FILTER (WHERE ${atRisk}) AS at_risk_count,
             SUM(o.amount) FILTER (WHERE ${overdue})::text AS overdue, SUM(o.n) FILTER (WHERE ${overdue}) AS overdue_count
      FROM (${source}) o
      GROUP BY GROUPING SETS ((), (o.stage), (o.sales_owner), (o.close_date))`;
    const figures = groups.map((group) => ({
      groupedBy: group.grouped_by,
      key: group.key,
      count: Number(group.count ?? 0),
      amount: toDecimal(group.amount),
      open: toDecimal(group.open),
      openCount: Number(group.open_count ?? 0),
      atRisk: toDecimal(group.at_risk),
      atRiskCount: Number(group.at_risk_count ?? 0),
      overdue: toDecimal(group.overdue),
      overdueCount: Number(group.overdue_count ?? 0),
    }));
    const total = figures.find((group) => group.groupedBy === "total")!;
    const openIn = (groupedBy: SummaryGroupRecord["grouped_by"]) => figures.filter((group) => group.groupedBy === groupedBy && group.openCount > 0);
    return {
      asOf: query.asOf,
      totals: {
        count: total.count,
        amount: total.amount,
        openPipeline: total.open,
        openCount: total.openCount,
        atRisk: total.atRisk,
        atRiskCount: total.atRiskCount,
        overdue: total.overdue,
        overdueCount: total.overdueCount,
      },
      byStage: figures
        .filter((group) => group.groupedBy === "stage")
        .map((group) => ({ stage: group.key as SalesStage, count: group.count, amount: group.amount, open: group.open, atRisk: group.atRisk }))
        .sort((a, b) => SALES_STAGES.indexOf(a.stage) - SALES_STAGES.indexOf(b.stage)),
      byOwner: openIn("owner")
        .map((group) => ({ owner: group.key, open: group.open, openCount: group.openCount, atRisk: group.atRisk, atRiskCount: group.atRiskCount, overdue: group.overdue, overdueCount: group.overdueCount }))
        .sort((a, b) => b.atRisk.comparedTo(a.atRisk) || b.open.comparedTo(a.open) || compareText(a.owner, b.owner)),
      byCloseMonth: sumByMonth(openIn("day")),
    };
  }
}
