import type { CalendarDate } from "../gtm/calendar-date";
import { parseColumns, type PipelineColumnId } from "../gtm/pipeline-columns";
import { type ParamIssue, type PipelineQuery, parsePipelineQuery, pipelineQueryToParams } from "../gtm/pipeline-query";

export interface ViewParams {
  query: PipelineQuery;
  columns: PipelineColumnId[];
  issues: ParamIssue[];
  /** The view's canonical URL parameters (defaults left out, invalid values dropped). */
  search: string;
}

/** A dashboard view from URL parameters: the query, the columns, and the canonical search that reproduces them. */
export function readViewParams(params: URLSearchParams, today: CalendarDate): ViewParams {
  const { query, issues } = parsePipelineQuery(params, today);
  const columns = parseColumns(params);
  const canonical = pipelineQueryToParams(query, today);
  if (params.has("columns") && columns.issues.length === 0) canonical.set("columns", columns.columns.join(","));
  return { query, columns: columns.columns, issues: [...issues, ...columns.issues], search: canonical.toString() };
}

/** The parameter of a detail page's URL that holds the view it was opened from. */
export const RETURN_PARAM = "from";

/**
 * The view a detail page returns to. `from` holds a view's search, never a URL: it is read
 * like a dashboard URL and written back in canonical form, so the back link is always the
 * dashboard ("/?..." on this site) with valid parameters, whatever `from` contains.
 */
export function returnSearch(params: URLSearchParams, today: CalendarDate, ownSearch: string): string {
  const from = params.get(RETURN_PARAM);
  return from === null ? ownSearch : readViewParams(new URLSearchParams(from), today).search;
}

/** The dashboard URL of a view's search. */
export function dashboardHref(search: string): string {
  return search ? `/?${search}` : "/";
}

/** The query string of a link to a detail page: its asOf when not today, and the view to return to. */
export function detailSearch(asOf: CalendarDate, today: CalendarDate, viewSearch: string): string {
  const params = new URLSearchParams();
  if (asOf !== today) params.set("asOf", asOf);
  if (viewSearch && viewSearch !== params.toString()) params.set(RETURN_PARAM, viewSearch);
  const search = params.toString();
  return search ? `?${search}` : "";
}
