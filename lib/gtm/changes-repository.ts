import type { OwnerNames } from "./owner-names";
import type Decimal from "decimal.js";
import type { CalendarDate } from "./calendar-date";
import type { ChangeKind, ChangesSummary, OwnerChanges } from "./pipeline-changes";
import type { PipelineQuery } from "./pipeline-query";
import type { SalesStage } from "./sales-stage";

/** A view's filters and the two days compared; the scope is the repository's. */
export interface ChangesRequest {
  query: PipelineQuery;
  from: CalendarDate;
  to: CalendarDate;
}

export const CHANGED_DEAL_SORT_COLUMNS = ["impact", "amount", "oppId", "customerName", "salesOwner"] as const;
export type ChangedDealSortColumn = (typeof CHANGED_DEAL_SORT_COLUMNS)[number];
/** `impact` is the size of the change whatever its sign: the deals that moved the bar most first. */
export const DEFAULT_CHANGED_DEAL_SORT = { column: "impact", direction: "desc" } as const satisfies ChangedDealSort;
export interface ChangedDealSort {
  column: ChangedDealSortColumn;
  direction: "asc" | "desc";
}

export interface ChangedDealsRequest extends ChangesRequest {
  kind: ChangeKind;
  sort: ChangedDealSort;
  page: number;
  pageSize: number;
}

export interface DealState {
  stage: SalesStage;
  closeDate: CalendarDate;
  amount: Decimal;
  salesOwner: string;
}

/** One deal behind a bucket: its state at the end of `from` and of `to` (null: none then). */
export interface ChangedDeal {
  oppId: string;
  name: string | null;
  customerName: string;
  salesOwner: string;
  kind: ChangeKind;
  /** Signed: what this deal adds to or takes off the bucket. */
  amount: Decimal;
  before: DealState | null;
  after: DealState | null;
}

export interface ChangedDealsPage {
  data: ChangedDeal[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

/** What changed in a view between two days (lib/gtm/pipeline-changes.ts states the rule), narrowed to a viewer's scope. */
export interface ChangesRepository {
  /** The first day whose end has recorded state, or null when nothing is recorded yet. */
  firstDayWithHistory(): Promise<CalendarDate | null>;
  /** The display names the teams file gives the sales owners in scope. */
  ownerNames(): Promise<OwnerNames>;
  summarize(request: ChangesRequest): Promise<ChangesSummary>;
  /** The same per owner of the view (changesByOwner), by owner id. */
  summarizeByOwner(request: ChangesRequest): Promise<OwnerChanges[]>;
  deals(request: ChangedDealsRequest): Promise<ChangedDealsPage>;
}
