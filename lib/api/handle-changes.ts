import type { Viewer } from "../auth/viewer";
import type { CalendarDate } from "../gtm/calendar-date";
import { type ChangesQuery, parseChangesQuery } from "../gtm/changes-query";
import type { ChangesRepository } from "../gtm/changes-repository";
import { readChangesJson } from "../gtm/changes-wire";
import {
  type ChangedDealsFormat,
  changedDealsCsv,
  changedDealsFileName,
  changedDealsXlsx,
} from "../export/changed-deals-export";
import { contentDisposition } from "../export/export-file-name";
import type { ApiDeps } from "./api-deps";
import { badRequest, jsonResponse } from "./api-response";
import type { StrictResult } from "./strict-params";
import { withViewer } from "./with-viewer";

export interface ChangesApiDeps extends ApiDeps {
  /** A changes repository narrowed to what the viewer may see. */
  changes: (viewer: Viewer) => Promise<ChangesRepository>;
}

interface ChangesApiRequest {
  changes: ChangesQuery;
  format: "json" | ChangedDealsFormat;
}

const FORMATS = ["json", "csv", "xlsx"] as const;

/** Any issue is a 400 (the page would fall back to the last 30 days instead). */
export function parseStrictChangesRequest(
  params: URLSearchParams,
  today: CalendarDate,
): StrictResult<ChangesApiRequest> {
  const { query, issues } = parseChangesQuery(params, today);
  const formats = params.getAll("format").map((value) => value.trim());
  if (formats.length > 1) issues.push({ param: "format", message: "was given more than once" });
  else if (formats.length === 1 && !(FORMATS as readonly string[]).includes(formats[0]!))
    issues.push({ param: "format", message: `must be one of ${FORMATS.join(", ")}` });
  const format = FORMATS.find((candidate) => candidate === formats[0]) ?? "json";
  if (format !== "json" && !query.kind)
    issues.push({ param: "kind", message: `is required with format=${format}: the bucket whose deals to export` });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { changes: query, format } };
}

/**
 * GET /api/changes?from=&to=&<the dashboard's filters>[&kind=&page=&pageSize=&sort=]: the
 * waterfall between the end of `from` and the end of `to` and, with `kind`, a page of that
 * bucket's deals; `format=csv|xlsx` downloads the bucket's deals as the page lists them
 * (logged like every export).
 */
export function handleChanges(request: Request, deps: ChangesApiDeps): Promise<Response> {
  return withViewer("GET /api/changes", parseStrictChangesRequest, async ({ params, viewer }) => {
    const { changes: query, format } = params;
    const repository = await deps.changes(viewer);
    const firstDay = await repository.firstDayWithHistory();
    if (firstDay === null || query.from < firstDay) {
      return badRequest([
        {
          param: "from",
          message: firstDay
            ? `must not be before history starts (${firstDay})`
            : "has no history to compare: nothing is recorded yet",
        },
      ]);
    }
    if (format !== "json") {
      const kind = query.kind!;
      const deals = await repository.deals({
        query: query.query,
        from: query.from,
        to: query.to,
        kind,
        sort: query.sort,
        page: 1,
        pageSize: Number.MAX_SAFE_INTEGER,
      });
      const filters = new URL(request.url).searchParams;
      await deps.recordExport(viewer, { format, filters: filters.toString(), rowCount: deals.data.length });
      for (const param of ["from", "to", "kind", "format", "sort", "page", "pageSize"]) filters.delete(param);
      const body =
        format === "csv"
          ? changedDealsCsv(deals.data)
          : await changedDealsXlsx(deals.data, { kind, from: query.from, to: query.to, filters: filters.toString() });
      return new Response(body, {
        headers: {
          "Content-Type":
            format === "csv"
              ? "text/csv; charset=utf-8"
              : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "Content-Disposition": contentDisposition(changedDealsFileName(kind, query.from, query.to, format)),
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
        },
      });
    }
    return jsonResponse(await readChangesJson(repository, query));
  })(request, deps);
}
