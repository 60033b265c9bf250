import { addDays, type CalendarDate, isCalendarDate } from "./calendar-date";
import {
  CHANGED_DEAL_SORT_COLUMNS,
  type ChangedDealSort,
  type ChangedDealSortColumn,
  DEFAULT_CHANGED_DEAL_SORT,
} from "./changes-repository";
import { CHANGE_KINDS, type ChangeKind } from "./pipeline-changes";
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type ParamIssue,
  type PipelineQuery,
  parsePipelineQuery,
} from "./pipeline-query";

/**
 * A Changes view as one value: the dashboard's filters, the two days, and optionally one
 * bucket's deals (kind, sort, page). The page and `/api/changes` parse the same parameters;
 * the page falls back on the issues (last 30 days), the API answers 400.
 */
export interface ChangesQuery {
  query: PipelineQuery;
  from: CalendarDate;
  to: CalendarDate;
  kind?: ChangeKind;
  sort: ChangedDealSort;
  page: number;
  pageSize: number;
}

/** Deal age filters: a deal's age differs on the two days compared, so "in the view" would need a rule of its own. */
const AGE_PARAMS = ["pushedMin", "stalledDays"];
/** Parameters of this view that the dashboard's parser must not read as its own (its sort and page differ, status does not apply). */
const OWN_PARAMS = ["from", "to", "kind", "sort", "page", "pageSize", "format", "status", ...AGE_PARAMS];
export const DEFAULT_CHANGES_DAYS = 30;

function single(params: URLSearchParams, param: string, issues: ParamIssue[]): string | undefined {
  const given = params
    .getAll(param)
    .map((value) => value.trim())
    .filter((value) => value !== "");
  if (given.length > 1) issues.push({ param, message: "was given more than once" });
  return given.length === 1 ? given[0] : undefined;
}

function positive(value: string | undefined, param: string, max: number, issues: ParamIssue[]): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,9}$/.test(value) && Number(value) >= 1 && Number(value) <= max) return Number(value);
  issues.push({ param, message: `must be a whole number from 1 to ${max}` });
  return undefined;
}

export function parseChangesQuery(
  params: URLSearchParams,
  today: CalendarDate,
): { query: ChangesQuery; issues: ParamIssue[] } {
  const filters = new URLSearchParams(params);
  for (const param of OWN_PARAMS) filters.delete(param);
  const { query: parsed, issues } = parsePipelineQuery(filters, today);
  // What changed is defined on the open pipeline (PRODUCT.md): a status would only contradict it.
  const query: PipelineQuery = { ...parsed, status: "open" };
  if (params.getAll("status").some((value) => value.trim() !== "")) {
    issues.push({ param: "status", message: "does not apply: what changed follows the open pipeline" });
  }
  for (const param of AGE_PARAMS) {
    if (params.getAll(param).some((value) => value.trim() !== ""))
      issues.push({ param, message: "does not apply to what changed: a deal's age differs on the two days compared" });
  }

  const day = (param: "from" | "to") => {
    const value = single(params, param, issues);
    if (value === undefined) issues.push({ param, message: "is required: a day in YYYY-MM-DD form" });
    else if (isCalendarDate(value)) return value;
    else issues.push({ param, message: "must be a real calendar date in YYYY-MM-DD form" });
    return undefined;
  };
  let from = day("from");
  let to = day("to");
  if (from && to && from >= to) {
    issues.push({ param: "from", message: `must be before to (${to})` });
    from = to = undefined;
  }

  const kindValue = single(params, "kind", issues);
  let kind: ChangeKind | undefined;
  if (kindValue !== undefined) {
    if ((CHANGE_KINDS as readonly string[]).includes(kindValue)) kind = kindValue as ChangeKind;
    else issues.push({ param: "kind", message: `must be one of ${CHANGE_KINDS.join(", ")}` });
  }

  const sortValue = single(params, "sort", issues);
  let sort: ChangedDealSort = DEFAULT_CHANGED_DEAL_SORT;
  if (sortValue !== undefined) {
    const [column, direction] = sortValue.split(".");
    if (
      (CHANGED_DEAL_SORT_COLUMNS as readonly string[]).includes(column) &&
      (direction === "asc" || direction === "desc")
    )
      sort = { column: column as ChangedDealSortColumn, direction };
    else
      issues.push({
        param: "sort",
        message: `must be <column>.<asc|desc> with column one of ${CHANGED_DEAL_SORT_COLUMNS.join(", ")}`,
      });
  }

  const page = positive(single(params, "page", issues), "page", 10_000_000, issues) ?? 1;
  const pageSize = positive(single(params, "pageSize", issues), "pageSize", MAX_PAGE_SIZE, issues) ?? DEFAULT_PAGE_SIZE;
  const fallbackTo = to ?? today;
  return {
    query: {
      query,
      from: from ?? addDays(fallbackTo, -DEFAULT_CHANGES_DAYS),
      to: fallbackTo,
      kind,
      sort,
      page,
      pageSize,
    },
    issues,
  };
}
