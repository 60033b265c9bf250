import type { CalendarDate } from "../gtm/calendar-date";
import { type PipelineColumnId, parseColumns } from "../gtm/pipeline-columns";
import { type ParamIssue, type PipelineQuery, parsePipelineQuery } from "../gtm/pipeline-query";

export type StrictResult<T> = { ok: true; value: T } | { ok: false; issues: ParamIssue[] };
export type StrictParser<T> = (params: URLSearchParams, today: CalendarDate) => StrictResult<T>;

/**
 * The API's strict reading of the page's parameters: the same parser, but any
 * issue is an error (the page would silently fall back). Parameters the
 * contract does not name are ignored, so a page URL can be pasted as is.
 */
export function parseStrictPipelineQuery(params: URLSearchParams, today: CalendarDate): StrictResult<PipelineQuery> {
  const { query, issues } = parsePipelineQuery(params, today);
  return issues.length ? { ok: false, issues } : { ok: true, value: query };
}

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  query: PipelineQuery;
  columns: PipelineColumnId[];
  format: ExportFormat;
  /** Start the CSV with a UTF-8 byte order mark, so Excel reads accents correctly. */
  bom: boolean;
}

export function parseStrictExportRequest(params: URLSearchParams, today: CalendarDate): StrictResult<ExportRequest> {
  const { query, issues } = parsePipelineQuery(params, today);
  const columns = parseColumns(params);
  issues.push(...columns.issues);

  const formats = params.getAll("format").map((value) => value.trim());
  let format: ExportFormat | undefined;
  if (formats.length !== 1)
    issues.push({ param: "format", message: formats.length ? "was given more than once" : "is required: csv or xlsx" });
  else if ((EXPORT_FORMATS as readonly string[]).includes(formats[0])) format = formats[0] as ExportFormat;
  else issues.push({ param: "format", message: "must be csv or xlsx" });

  const boms = params.getAll("bom").map((value) => value.trim());
  let bom = false;
  if (boms.length > 1) issues.push({ param: "bom", message: "was given more than once" });
  else if (boms.length === 1) {
    if (boms[0] === "1" || boms[0] === "true") bom = true;
    else if (boms[0] !== "0" && boms[0] !== "false" && boms[0] !== "")
      issues.push({ param: "bom", message: "must be 1 or 0" });
    else bom = false;
    if (bom && format === "xlsx") issues.push({ param: "bom", message: "applies to csv only" });
  }

  return issues.length || !format
    ? { ok: false, issues }
    : { ok: true, value: { query, columns: columns.columns, format, bom } };
}
