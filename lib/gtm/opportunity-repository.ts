import type { OwnerNames } from "./owner-names";
import type { TrendPoint } from "./at-risk-trend";
import type { CalendarDate } from "./calendar-date";
import type { CustomerVersion } from "./churn-risk-timeline";
import type { Customer } from "./customer";
import type { Opportunity } from "./opportunity";
import type { OpportunityVersion } from "./opportunity-timeline";
import type { PipelineQuery } from "./pipeline-query";
import type { PipelineRow } from "./pipeline-row";
import type { PipelineRowText } from "./pipeline-wire";
import type { PipelineSummary } from "./pipeline-summary";

export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

export interface SearchOptions {
  /**
   * The number of rows in the whole filtered set, when the caller already has it (or is
   * computing it: a promise is awaited alongside the page's rows), e.g. the summary's
   * `totals.count` for the same query. The repository then skips its own COUNT; the
   * caller is responsible for it being the count of this query's set.
   */
  total?: number | PromiseLike<number>;
}

/** An opportunity with its deal name (null when the CRM file had none). */
export type NamedOpportunity = Opportunity & Pick<PipelineRow, "name">;

/** The port of the GTM context; adapters are named by technology (PrismaOpportunityRepository). */
export interface OpportunityRepository {
  /**
   * Every read below that takes `asOf` reads the data as recorded at the end of that day when
   * it is before today (PRODUCT.md "History"), the current data otherwise (and when left out).
   */
  /** The seed's query: all open opportunities of one customer. */
  getOpenForCustomer(customerId: string, asOf?: CalendarDate): Promise<NamedOpportunity[]>;
  /** One page of the filtered, sorted pipeline, with the total over the whole set (counted unless `options.total` gives it). */
  search(query: PipelineQuery, options?: SearchOptions): Promise<Page<PipelineRow>>;
  /** Totals and chart series over the whole filtered set. */
  summarize(query: PipelineQuery): Promise<PipelineSummary>;
  /** Revenue at risk in the view at the end of each day (history), oldest first: each equals summarize's at-risk for asOf = that day. */
  atRiskTrend(query: PipelineQuery, days: readonly CalendarDate[]): Promise<TrendPoint[]>;
  /** One opportunity with its customer and its status on `asOf`; null when there is none. */
  findOpportunity(oppId: string, asOf: CalendarDate): Promise<PipelineRow | null>;
  findCustomer(customerId: string, asOf?: CalendarDate): Promise<Customer | null>;
  /** Every sales owner with at least one opportunity, sorted, for the owner filter. */
  listOwners(asOf?: CalendarDate): Promise<string[]>;
  /** The display names the teams file gives the sales owners in scope. */
  ownerNames(): Promise<OwnerNames>;
  /** The versions of one deal the viewer may see (those while it was theirs), oldest first. */
  opportunityVersions(oppId: string): Promise<OpportunityVersion[]>;
  /** The versions of one customer the viewer may see, oldest first; none when the customer is out of sight. */
  customerVersions(customerId: string): Promise<CustomerVersion[]>;
  /** The first instant anything was recorded; null while history is empty. */
  historyStarts(): Promise<Date | null>;
  /** Every row of the filtered, sorted set, in batches, in constant memory (exports). */
  streamRows(query: PipelineQuery, options?: { batchSize?: number }): AsyncIterable<PipelineRow>;
  /**
   * The same rows as `streamRows`, same order, as text and in batches (CSV exports of
   * millions of rows): no Decimal per row. Returning the iterator ends the read.
   */
  streamRowTexts(query: PipelineQuery, options?: { batchSize?: number }): AsyncIterable<readonly PipelineRowText[]>;
}
