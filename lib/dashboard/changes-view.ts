import "server-only";
import { cache } from "react";
import type { Viewer } from "../auth/viewer";
import { addDays, type CalendarDate, firstOfQuarter } from "../gtm/calendar-date";
import { type ChangesQuery, DEFAULT_CHANGES_DAYS, parseChangesQuery } from "../gtm/changes-query";
import type { ChangesRepository } from "../gtm/changes-repository";
import { type ChangesJson, type OwnerChangesJson, readChangesJson, toOwnerChangesJson } from "../gtm/changes-wire";
import { type ParamIssue, type PipelineQuery, pipelineQueryToParams } from "../gtm/pipeline-query";
import { today } from "../today";
import { type SearchParamsRecord, toUrlSearchParams } from "./pipeline-view";

export interface ChangesView {
  viewer: Viewer;
  changesRepository: ChangesRepository;
  query: ChangesQuery;
  issues: ParamIssue[];
  today: CalendarDate;
  /** The dashboard's filters of this view, as URL parameters (no days, no bucket). */
  filters: URLSearchParams;
}

/** The URL of this view with some parameters replaced (null: removed). */
export function changesHref(view: ChangesView, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(view.filters);
  const own: Record<string, string | null> = {
    from: view.query.from,
    to: view.query.to,
    kind: view.query.kind ?? null,
    ...changes,
  };
  for (const [param, value] of Object.entries(own)) if (value !== null) params.set(param, value);
  return `/changes?${params.toString()}`;
}

/** The dashboard's filters of a query, without its sort, page and day (the Changes page has its own). */
function viewFilters(query: PipelineQuery, now: CalendarDate): URLSearchParams {
  const params = pipelineQueryToParams(query, now);
  // Status and deal age do not apply to what changed (changes-query.ts).
  for (const param of ["sort", "page", "pageSize", "asOf", "status", "pushedMin", "stalledDays"]) params.delete(param);
  return params;
}

/** The Changes page for a dashboard view's filters (last 30 days). */
export function changesHrefForDashboard(query: PipelineQuery, now: CalendarDate): string {
  const params = viewFilters(query, now);
  return params.size > 0 ? `/changes?${params.toString()}` : "/changes";
}

export function changesPresets(now: CalendarDate): { label: string; from: CalendarDate; to: CalendarDate }[] {
  return [
    { label: "Last 7 days", from: addDays(now, -7), to: now },
    { label: "Last 30 days", from: addDays(now, -30), to: now },
    { label: "This quarter so far", from: addDays(firstOfQuarter(now), -1), to: now },
  ];
}

/**
 * Reads the Changes page's URL into one query: no days means the last 30; invalid parameters
 * become issues, never errors; a `from` before history starts moves to its first day.
 */
export async function readChangesView(
  record: SearchParamsRecord,
  context: { viewer: Viewer; changesRepository: ChangesRepository },
): Promise<ChangesView> {
  const now = today();
  const params = toUrlSearchParams(record);
  if (!params.get("from") && !params.get("to")) {
    params.set("from", addDays(now, -DEFAULT_CHANGES_DAYS));
    params.set("to", now);
  }
  const { query, issues } = parseChangesQuery(params, now);
  const firstDay = await context.changesRepository.firstDayWithHistory();
  if (firstDay && query.from < firstDay && firstDay < query.to) {
    issues.push({ param: "from", message: `is before history starts: showing from ${firstDay}` });
    query.from = firstDay;
  }
  return { ...context, query, issues, today: now, filters: viewFilters(query.query, now) };
}

export const loadChangesOwnerNames = cache((view: ChangesView) => view.changesRepository.ownerNames());

export const loadChanges = cache((view: ChangesView): Promise<ChangesJson> =>
  readChangesJson(view.changesRepository, view.query),
);

/** Per rep, for a viewer who sees more than their own deals (a manager's team, an admin's everyone); null for a rep. */
export const loadOwnerChanges = cache(async (view: ChangesView): Promise<OwnerChangesJson[] | null> => {
  if (view.viewer.role === "rep") return null;
  const { query, changesRepository } = view;
  const rows = await changesRepository.summarizeByOwner({ query: query.query, from: query.from, to: query.to });
  return rows.map(toOwnerChangesJson);
});
