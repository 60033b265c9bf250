import type { OwnerNames } from "../gtm/owner-names";
import { readOwnerNames } from "./owner-names-sql";
import Decimal from "decimal.js";
import { Prisma, type PrismaClient } from "../db/generated/client";
import { type CalendarDate, calendarDateAt } from "../gtm/calendar-date";
import {
  type ChangedDeal,
  type ChangedDealsPage,
  type ChangedDealsRequest,
  type ChangesRepository,
  type ChangesRequest,
  type DealState,
  DEFAULT_CHANGED_DEAL_SORT,
} from "../gtm/changes-repository";
import { DEFAULT_PAGE_SIZE } from "../gtm/pipeline-query";
import { endOfDay } from "../gtm/history-time";
import {
  CHANGE_KINDS,
  type ChangeKind,
  type ChangesSummary,
  type OwnerChanges,
  ownerChangesOf,
  type Tally,
} from "../gtm/pipeline-changes";
import type { PipelineScope } from "../gtm/pipeline-scope";
import type { SalesStage } from "../gtm/sales-stage";
import { readHistoryStart } from "./history-reads";
import { readOpenPipeline } from "./pipeline-summary-sql";
import { type HistoryClock, pipelineSourceAt } from "./pipeline-source";
import { heldIn, type PipelineReads, readThrough, readVersionStamp } from "./pipeline-read-cache";
import {
  type ChangedDealRecord,
  type ChangesGroupRecord,
  type ChangesInstants,
  changedDealsSql,
  changesByOwnerSql,
  CHANGES_READ_SETTINGS,
  changesSummarySql,
  pairsHoldMovedDealsOnly,
  type Walk,
  walkFor,
} from "./pipeline-changes-sql";

/** What the reads of one snapshot run their statements on: the client or its transaction. */
type Reader = Pick<PrismaClient, "$queryRaw">;

/** The key of the whole view's figures among the owners' (no owner id is empty). */
const TOTAL = "";

function stateOf(
  stage: string | null,
  closeDate: string | null,
  amount: string | null,
  salesOwner: string | null,
): DealState | null {
  if (stage === null || closeDate === null || amount === null || salesOwner === null) return null;
  return { stage: stage as SalesStage, closeDate: closeDate as CalendarDate, amount: new Decimal(amount), salesOwner };
}

function fromRecord(record: ChangedDealRecord): ChangedDeal {
  const before = stateOf(record.a_stage, record.a_close_date, record.a_amount, record.a_sales_owner);
  const after = stateOf(record.b_stage, record.b_close_date, record.b_amount, record.b_sales_owner);
  return {
    oppId: record.opp_id,
    name: record.name,
    customerName: record.customer_name ?? "",
    salesOwner: (after ?? before)!.salesOwner,
    kind: record.kind,
    amount: new Decimal(record.change),
    before,
    after,
  };
}

const tally = (count: bigint, amount: string): Tally => ({ count: Number(count), amount: new Decimal(amount) });
const NOTHING: Tally = { count: 0, amount: new Decimal(0) };
const plus = (sum: Tally, count: bigint, amount: string): Tally => ({
  count: sum.count + Number(count),
  amount: sum.amount.plus(amount),
});

/**
 * The two days' open pipelines when only the deals that can have moved were read
 * (pairsHoldMovedDealsOnly): every other deal is in both sets or in neither, with the same
 * amount, so the start is the end less what the moved deals were at the end plus what they
 * were at the start. `changed` is the summary of the moved deals alone.
 */
function withOpenPipelines(changed: ChangesSummary, end: Tally): ChangesSummary {
  const start = {
    count: end.count - changed.end.count + changed.start.count,
    amount: end.amount.minus(changed.end.amount).plus(changed.start.amount),
  };
  return { ...changed, start, end };
}

/** The summary of one set's bucket rows (one row per bucket, NULL: in both sets, unchanged). */
function summaryOf(groups: readonly ChangesGroupRecord[]): ChangesSummary {
  let start = tally(0n, "0");
  let end = tally(0n, "0");
  let pushed = tally(0n, "0");
  const buckets = new Map<ChangeKind, Tally>();
  for (const group of groups) {
    start = plus(start, group.start_count, group.start_amount);
    end = plus(end, group.end_count, group.end_amount);
    pushed = plus(pushed, group.pushed_count, group.pushed_amount);
    if (group.kind !== null) buckets.set(group.kind, tally(group.count, group.change));
  }
  return {
    start,
    end,
    pushed,
    buckets: CHANGE_KINDS.map((kind) => ({ kind, ...(buckets.get(kind) ?? tally(0n, "0")) })),
  };
}

/**
 * The most deals a page's walk reads (walkFor) before it gives way to reading the whole bucket: at
 * 1M deals a walk reads ~25-40 µs a deal (its other day by id), so at most 50-80 ms are spent
 * on a page that is not among them (BENCHMARKS.md, session 13).
 */
const WALK_LIMIT = 2_000;

const READ_LIMITS = {
  walkLimit: WALK_LIMIT,
  firstPageSize: DEFAULT_PAGE_SIZE,
};
type ReadLimits = typeof READ_LIMITS;

const windowOf = ({ query, from, to }: ChangesRequest): ChangesRequest => ({ query, from, to });

/** The ids of a first page per bucket, for the buckets the summary read them for (FirstPages). */
type FirstIds = Partial<Record<ChangeKind, string[]>>;

/** What the cache keeps of a view's summary: the summary and its buckets' first pages. */
interface HeldSummary {
  summary: ChangesSummary;
  firstIds: FirstIds;
}

/** The first page of the bucket `kind`, as the Changes page opens it. */
const firstPageOf = (request: ChangesRequest, kind: ChangeKind): ChangedDealsRequest => ({
  ...windowOf(request),
  kind,
  sort: DEFAULT_CHANGED_DEAL_SORT,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
});

export class PrismaChangesRepository implements ChangesRepository {
  private readonly limits: ReadLimits;

  /**
   * Every read is narrowed to `scope` in SQL; days end at midnight in the clock's time zone
   * (GTM_TIMEZONE), and a view that ends today reads today's tables for its end;
   * with `cache`, a read already made in the pipeline's current state costs no SQL, and a page of a
   * bucket whose summary it holds can be read from the first `firstPageSize` deals the summary
   * kept of it or by a walk of at most `walkLimit` deals.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly scope: PipelineScope,
    private readonly clock: HistoryClock,
    private readonly cache?: PipelineReads,
    limits: Partial<ReadLimits> = {},
  ) {
    this.limits = { ...READ_LIMITS, ...limits };
  }

  private key(what: string, request: unknown): unknown[] {
    return ["changes", what, this.scope, this.clock, request];
  }

  /** `load` through the cache; `what` and `request` name all it depends on but the data and the scope. */
  private cached<T>(what: string, request: unknown, load: () => Promise<T>): Promise<T> {
    return readThrough(this.cache, this.key(what, request), load);
  }

  private instants(request: ChangesRequest): ChangesInstants {
    const { timeZone } = this.clock;
    return { from: endOfDay(request.from, timeZone), to: endOfDay(request.to, timeZone) };
  }

  ownerNames(): Promise<OwnerNames> {
    return this.cached("ownerNames", null, () => readOwnerNames(this.prisma, this.scope));
  }

  firstDayWithHistory(): Promise<CalendarDate | null> {
    return this.cached("firstDay", null, async () => {
      const starts = await readHistoryStart(this.prisma);
      // The first recorded instant is in force at the end of its own day.
      return starts ? calendarDateAt(starts, this.clock.timeZone) : null;
    });
  }

  async summarize(request: ChangesRequest): Promise<ChangesSummary> {
    return (await this.cached("summary", windowOf(request), () => this.readSummary(request))).summary;
  }

  /** The view's summary, with the first pages of the buckets no walk reads in the default order. */
  private async readSummary(request: ChangesRequest): Promise<HeldSummary> {
    const { walkLimit, firstPageSize } = this.limits;
    const kinds = CHANGE_KINDS.filter((kind) => !walkFor(firstPageOf(request, kind), walkLimit));
    const at = this.instants(request);
    return this.inOneSnapshot(async (prisma) => {
      const groups = await prisma.$queryRaw<ChangesGroupRecord[]>(
        changesSummarySql(request, this.scope, at, { kinds, size: firstPageSize }),
      );
      const firstIds: FirstIds = Object.fromEntries(kinds.map((kind) => [kind, [] as string[]]));
      for (const group of groups) if (group.kind && group.first_ids) firstIds[group.kind] = group.first_ids;
      const summary = summaryOf(groups);
      if (!pairsHoldMovedDealsOnly(request, this.scope)) return { summary, firstIds };
      const end = (await this.openPipelineAtEnd(prisma, request, false)).get(TOTAL) ?? NOTHING;
      return { summary: withOpenPipelines(summary, end), firstIds };
    });
  }

  summarizeByOwner(request: ChangesRequest): Promise<OwnerChanges[]> {
    return this.cached("byOwner", request, async () => {
      const at = this.instants(request);
      return this.inOneSnapshot((prisma) => this.readByOwner(prisma, request, at));
    });
  }

  private async readByOwner(prisma: Reader, request: ChangesRequest, at: ChangesInstants): Promise<OwnerChanges[]> {
    const groups = await prisma.$queryRaw<ChangesGroupRecord[]>(changesByOwnerSql(request, this.scope, at));
    const byOwner = new Map<string, ChangesGroupRecord[]>();
    for (const group of groups) byOwner.set(group.owner!, [...(byOwner.get(group.owner!) ?? []), group]);
    if (!pairsHoldMovedDealsOnly(request, this.scope))
      return [...byOwner.keys()].sort().map((owner) => ownerChangesOf(owner, summaryOf(byOwner.get(owner)!)));
    // The bucket rows hold the moved deals only: each owner's end is that owner's open pipeline.
    const end = await this.openPipelineAtEnd(prisma, request, true);
    const owners = new Set([...byOwner.keys(), ...end.keys()]);
    owners.delete(TOTAL);
    return [...owners]
      .sort()
      .map((owner) =>
        ownerChangesOf(owner, withOpenPipelines(summaryOf(byOwner.get(owner) ?? []), end.get(owner) ?? NOTHING)),
      );
  }

  /**
   * The open pipeline in the view at the end of `to`, in total (key TOTAL) and per owner, as the
   * dashboard reads that day (pipeline-summary-sql.ts): today from today's tables and their
   * rollup (no version of today can begin after now: an import's effective date is never in the
   * future), a past day from its history rollup. Today's end read from the versions in force at the
   * end of the day took 181-273 ms at 1M deals, from the rollup 22-25 ms (BENCHMARKS.md, session 16).
   * An owner with a start and no end had deals that moved, so is in the bucket rows. Per owner
   * only `perOwner` (the summary needs the total alone).
   */
  private async openPipelineAtEnd(
    prisma: Reader,
    request: ChangesRequest,
    perOwner: boolean,
  ): Promise<Map<string, Tally>> {
    const groups = await readOpenPipeline(
      prisma,
      { ...request.query, asOf: request.to },
      this.scope,
      pipelineSourceAt(request.to, this.clock),
      this.clock.timeZone,
      perOwner,
    );
    const open = new Map<string, Tally>();
    for (const group of groups) {
      if (group.open_count === null || group.open_count === 0n) continue;
      if (group.grouped_by === "total") open.set(TOTAL, tally(group.open_count, group.open ?? "0"));
      if (group.grouped_by === "owner") open.set(group.key, tally(group.open_count, group.open ?? "0"));
    }
    return open;
  }

  /**
   * `read` in one REPEATABLE READ transaction: the buckets and the end day's summary from one
   * snapshot, so a write that commits meanwhile is in all of them or in none (start + buckets = end).
   */
  private inOneSnapshot<T>(read: (prisma: Reader) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        for (const setting of CHANGES_READ_SETTINGS) await tx.$executeRawUnsafe(setting);
        return read(tx);
      },
      {
        isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
        maxWait: 60_000,
        timeout: 600_000,
      },
    );
  }

  deals(request: ChangedDealsRequest): Promise<ChangedDealsPage> {
    return this.cached("deals", request, () => this.readDeals(request));
  }

  /**
   * When the cache holds this snapshot's summary of the view (the Changes page and the API read it
   * first), its bucket's count is the total and the page is read from the first page's ids the
   * summary kept or by a walk (walkFor); else, or when neither holds the page, from the whole bucket.
   */
  private async readDeals(request: ChangedDealsRequest): Promise<ChangedDealsPage> {
    const at = this.instants(request);
    return this.inOneSnapshot(async (prisma) => {
      const held =
        this.cache &&
        heldIn<HeldSummary>(this.cache, await readVersionStamp(prisma), this.key("summary", windowOf(request)));
      const page =
        held && ((await this.firstPageDeals(prisma, request, held)) ?? (await this.walkedDeals(prisma, request, held)));
      return page ?? this.bucketDeals(prisma, request, at);
    });
  }

  /** The page from the ids of its bucket's first page (HeldSummary), when it is among them. */
  private async firstPageDeals(
    prisma: Reader,
    request: ChangedDealsRequest,
    held: HeldSummary,
  ): Promise<ChangedDealsPage | null> {
    const ids = held.firstIds[request.kind];
    const { column, direction } = request.sort;
    if (!ids || column !== DEFAULT_CHANGED_DEAL_SORT.column || direction !== DEFAULT_CHANGED_DEAL_SORT.direction)
      return null;
    const counted = pageRows(held.summary, request);
    const { offset, rows } = counted;
    if (offset + rows > ids.length) return null;
    return this.readPage(prisma, request, counted, { limit: rows, offset: 0, ids: ids.slice(offset, offset + rows) });
  }

  /** The page by a walk (walkFor), unless fewer than a page's worth came out of its deals. */
  private async walkedDeals(
    prisma: Reader,
    request: ChangedDealsRequest,
    held: HeldSummary,
  ): Promise<ChangedDealsPage | null> {
    const { walkLimit } = this.limits;
    const walk = walkFor(request, walkLimit);
    const counted = pageRows(held.summary, request);
    if (!walk || counted.offset + request.pageSize > walkLimit) return null;
    return this.readPage(prisma, request, counted, { limit: request.pageSize, offset: counted.offset, walk });
  }

  /** The page's rows read by `part` (changedDealsSql), or null when fewer came than the page has. */
  private async readPage(
    prisma: Reader,
    request: ChangedDealsRequest,
    { total, rows }: ReturnType<typeof pageRows>,
    part: { limit: number; offset: number; walk?: Walk; ids?: string[] },
  ): Promise<ChangedDealsPage | null> {
    const records =
      rows === 0
        ? []
        : await prisma.$queryRaw<ChangedDealRecord[]>(
            changedDealsSql(request, this.scope, this.instants(request), {
              kind: request.kind,
              sort: request.sort,
              ...part,
            }),
          );
    return records.length < rows ? null : pageOf(records, total, request);
  }

  /** The page from every deal of the bucket, sorted, with the bucket's count. */
  private async bucketDeals(
    prisma: Reader,
    request: ChangedDealsRequest,
    at: ChangesInstants,
  ): Promise<ChangedDealsPage> {
    const page = (limit: number, offset: number) =>
      prisma.$queryRaw<ChangedDealRecord[]>(
        changedDealsSql(request, this.scope, at, { kind: request.kind, sort: request.sort, limit, offset }),
      );
    const records = await page(request.pageSize, (request.page - 1) * request.pageSize);
    // Past the last page the window count has no row to ride on: count with a one-row page.
    const total =
      records.length > 0 ? Number(records[0].total) : request.page > 1 ? Number((await page(1, 0))[0]?.total ?? 0) : 0;
    return pageOf(records, total, request);
  }
}

/** The bucket's size (from the view's summary), the page's offset and how many rows it has. */
function pageRows(summary: ChangesSummary, request: ChangedDealsRequest) {
  const total = summary.buckets.find((bucket) => bucket.kind === request.kind)!.count;
  const offset = (request.page - 1) * request.pageSize;
  return { total, offset, rows: Math.max(0, Math.min(request.pageSize, total - offset)) };
}

function pageOf(records: ChangedDealRecord[], total: number, request: ChangedDealsRequest): ChangedDealsPage {
  return {
    data: records.map(fromRecord),
    total,
    page: request.page,
    pageSize: request.pageSize,
    totalPages: Math.max(1, Math.ceil(total / request.pageSize)),
  };
}
