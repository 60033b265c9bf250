import { toMoneyString } from "../money";
import type { CalendarDate } from "./calendar-date";
import type { ChangesQuery } from "./changes-query";
import type { ChangedDeal, ChangedDealsPage, ChangesRepository, DealState } from "./changes-repository";
import type { ChangeKind, ChangesSummary, OwnerChanges, Tally } from "./pipeline-changes";
import type { SalesStage } from "./sales-stage";

/**
 * The wire shape of what changed: what `/api/changes` returns and the Changes page renders.
 * Amounts are signed two-place decimal strings ("-1234.50"); every kind is present, in
 * CHANGE_KINDS order.
 */
export interface TallyJson {
  amount: string;
  count: number;
}

export interface DealStateJson {
  stage: SalesStage;
  closeDate: CalendarDate;
  amount: string;
  salesOwner: string;
}

export interface ChangedDealJson {
  oppId: string;
  name: string | null;
  customerName: string;
  salesOwner: string;
  before: DealStateJson | null;
  after: DealStateJson | null;
}

export interface ChangesJson {
  from: CalendarDate;
  to: CalendarDate;
  start: TallyJson;
  end: TallyJson;
  buckets: ({ kind: ChangeKind } & TallyJson)[];
  pushed: TallyJson;
  /** With `kind`: a page of that bucket's deals, and how many it has. */
  data?: ChangedDealJson[];
  total?: number;
}

const tallyJson = (tally: Tally): TallyJson => ({ amount: toMoneyString(tally.amount), count: tally.count });
const stateJson = (state: DealState | null): DealStateJson | null =>
  state && {
    stage: state.stage,
    closeDate: state.closeDate,
    amount: toMoneyString(state.amount),
    salesOwner: state.salesOwner,
  };

export function toChangedDealJson(deal: ChangedDeal): ChangedDealJson {
  return {
    oppId: deal.oppId,
    name: deal.name,
    customerName: deal.customerName,
    salesOwner: deal.salesOwner,
    before: stateJson(deal.before),
    after: stateJson(deal.after),
  };
}

export function toChangesJson(
  from: CalendarDate,
  to: CalendarDate,
  summary: ChangesSummary,
  deals?: ChangedDealsPage,
): ChangesJson {
  const json: ChangesJson = {
    from,
    to,
    start: tallyJson(summary.start),
    end: tallyJson(summary.end),
    buckets: summary.buckets.map((bucket) => ({ kind: bucket.kind, ...tallyJson(bucket) })),
    pushed: tallyJson(summary.pushed),
  };
  if (deals) {
    json.data = deals.data.map(toChangedDealJson);
    json.total = deals.total;
  }
  return json;
}

/**
 * The view's summary and, with `kind`, its bucket's page, read in that order: a repository that
 * holds the summary can read the page without the rest of the bucket (prisma-changes-repository.ts).
 */
export async function readChangesJson(repository: ChangesRepository, query: ChangesQuery): Promise<ChangesJson> {
  const window = { query: query.query, from: query.from, to: query.to };
  const summary = await repository.summarize(window);
  const deals = query.kind
    ? await repository.deals({
        ...window,
        kind: query.kind,
        sort: query.sort,
        page: query.page,
        pageSize: query.pageSize,
      })
    : undefined;
  return toChangesJson(query.from, query.to, summary, deals);
}

/** One rep's part of the waterfall: start, net change, end and the bucket that moved it most. */
export interface OwnerChangesJson {
  owner: string;
  start: TallyJson;
  end: TallyJson;
  net: string;
  largest: ({ kind: ChangeKind } & TallyJson) | null;
}

export function toOwnerChangesJson(row: OwnerChanges): OwnerChangesJson {
  return {
    owner: row.owner,
    start: tallyJson(row.start),
    end: tallyJson(row.end),
    net: toMoneyString(row.net),
    largest: row.largest && { kind: row.largest.kind, ...tallyJson(row.largest) },
  };
}
