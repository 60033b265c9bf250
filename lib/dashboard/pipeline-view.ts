import "server-only";
import { cache } from "react";
import type { Viewer } from "../auth/viewer";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import { trendDays } from "../gtm/at-risk-trend";
import { addDays, type CalendarDate, calendarDateAt } from "../gtm/calendar-date";
import type { PipelineColumnId } from "../gtm/pipeline-columns";
import type { ParamIssue, PipelineQuery } from "../gtm/pipeline-query";
import { configuredTimeZone, today } from "../today";
import { detailSearch, readViewParams, returnSearch } from "./view-search";

export type SearchParamsRecord = Record<string, string | string[] | undefined>;

export interface PipelineView {
  viewer: Viewer;
  /** Narrowed to what the viewer may see. */
  repository: OpportunityRepository;
  query: PipelineQuery;
  columns: PipelineColumnId[];
  issues: ParamIssue[];
  today: CalendarDate;
  /** The view's canonical URL parameters (defaults left out): the key of its data. */
  search: string;
  /**
   * The dashboard view to go back to: on a detail page, the one it was opened from (its
   * `from` parameter), else this page's own search.
   */
  returnSearch: string;
}

export function toUrlSearchParams(record: SearchParamsRecord): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, item);
  }
  return params;
}

/** Reads a page's URL into the one query every widget uses; invalid parameters become issues, never errors. */
export function readPipelineView(
  record: SearchParamsRecord,
  context: { viewer: Viewer; repository: OpportunityRepository },
): PipelineView {
  const params = toUrlSearchParams(record);
  const now = today();
  const { query, columns, issues, search } = readViewParams(params, now);
  return { ...context, query, columns, issues, today: now, search, returnSearch: returnSearch(params, now, search) };
}

/** The query string for links from this page to detail pages, carrying the view to return to. */
export function detailLinkSearch(view: PipelineView): string {
  return detailSearch(view.query.asOf, view.today, view.returnSearch);
}

/** Largest first: the deals a rep's chart names. */
export const TOP_DEALS = 10;

// Per-request memo: the KPI cards and the charts read one summary, fetched once.
export const loadSummary = cache((view: PipelineView) => view.repository.summarize(view.query));
// The table's total is the summary's totals.count (same query, same set): the page counts once, not twice.
export const loadPage = cache((view: PipelineView) =>
  view.repository.search(view.query, { total: loadSummary(view).then((summary) => summary.totals.count) }),
);
export const loadOwners = cache((view: PipelineView) => view.repository.listOwners(view.query.asOf));
export const loadOwnerNames = cache((view: PipelineView) => view.repository.ownerNames());
/** The view's at-risk deals, largest first (none when the view has none: its filters exclude them). */
export const loadTopAtRiskDeals = cache(async (view: PipelineView) => {
  const { totals } = await loadSummary(view);
  if (totals.atRiskCount === 0) return [];
  const query: PipelineQuery = {
    ...view.query,
    risk: "at-risk",
    sort: { column: "amount", direction: "desc" },
    page: 1,
    pageSize: TOP_DEALS,
  };
  return (await view.repository.search(query, { total: totals.atRiskCount })).data;
});

/** A week before the view's day: "vs last week" on the KPI cards. */
export const WEEK = 7;

/**
 * The same view a week earlier (history), for the cards' change; null when history does not
 * reach back that far (a change from nothing would be the whole pipeline, not a change).
 */
export const loadWeekAgo = cache(async (view: PipelineView) => {
  const weekAgo = addDays(view.query.asOf, -WEEK);
  const starts = await view.repository.historyStarts();
  if (!starts || calendarDateAt(starts, configuredTimeZone()) > weekAgo) return null;
  return { asOf: weekAgo, summary: await view.repository.summarize({ ...view.query, asOf: weekAgo }) };
});

/** Revenue at risk at the end of each of the last 12 weeks, for the at-risk card. */
export const loadAtRiskTrend = cache((view: PipelineView) =>
  view.repository.atRiskTrend(view.query, trendDays(view.query.asOf)),
);
