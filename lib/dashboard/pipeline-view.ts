import "server-only";
import { cache } from "react";
import type { Viewer } from "../auth/viewer";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import type { CalendarDate } from "../gtm/calendar-date";
import { parseColumns, type PipelineColumnId } from "../gtm/pipeline-columns";
import { type ParamIssue, type PipelineQuery, parsePipelineQuery, pipelineQueryToParams } from "../gtm/pipeline-query";
import { today } from "../today";

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
}

export function toUrlSearchParams(record: SearchParamsRecord): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(record)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, item);
  }
  return params;
}

/** Reads a page's URL into the one query every widget uses; invalid parameters become issues, never errors. */
export function readPipelineView(record: SearchParamsRecord, context: { viewer: Viewer; repository: OpportunityRepository }): PipelineView {
  const params = toUrlSearchParams(record);
  const now = today();
  const { query, issues } = parsePipelineQuery(params, now);
  const columns = parseColumns(params);
  const canonical = pipelineQueryToParams(query, now);
  if (params.has("columns") && columns.issues.length === 0) canonical.set("columns", columns.columns.join(","));
  return { ...context, query, columns: columns.columns, issues: [...issues, ...columns.issues], today: now, search: canonical.toString() };
}

// Per-request memo: the KPI cards and the charts read one summary, fetched once.
export const loadSummary = cache((view: PipelineView) => view.repository.summarize(view.query));
// The table's total is the summary's totals.count (same query, same set): the page counts once, not twice.
export const loadPage = cache((view: PipelineView) =>
  view.repository.search(view.query, { total: loadSummary(view).then((summary) => summary.totals.count) }),
);
export const loadOwners = cache((view: PipelineView) => view.repository.listOwners(view.query.asOf));
