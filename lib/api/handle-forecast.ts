import type { Viewer } from "../auth/viewer";
import { contentDisposition } from "../export/export-file-name";
import { forecastCsv, forecastFileName } from "../export/forecast-csv";
import type { CalendarDate } from "../gtm/calendar-date";
import { type ForecastQuery, parseForecastQuery } from "../gtm/forecast-query";
import type { ForecastRepository } from "../gtm/forecast-repository";
import { toForecastJson } from "../gtm/forecast-wire";
import type { ApiDeps } from "./api-deps";
import { jsonResponse } from "./api-response";
import type { StrictResult } from "./strict-params";
import { withViewer } from "./with-viewer";

export interface ForecastApiDeps extends ApiDeps {
  /** A forecast repository narrowed to what the viewer may see. */
  forecastRepository: (viewer: Viewer) => Promise<ForecastRepository>;
}

interface ForecastRequest {
  query: ForecastQuery;
  format: "json" | "csv";
}

/** Any issue is a 400 (the page would fall back to the default instead). */
export function parseStrictForecastRequest(
  params: URLSearchParams,
  today: CalendarDate,
): StrictResult<ForecastRequest> {
  const { query, issues } = parseForecastQuery(params, today);
  const formats = params.getAll("format").map((value) => value.trim());
  if (formats.length > 1) issues.push({ param: "format", message: "was given more than once" });
  else if (formats.length === 1 && formats[0] !== "json" && formats[0] !== "csv")
    issues.push({ param: "format", message: "must be json or csv" });
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, value: { query, format: formats[0] === "csv" ? "csv" : "json" } };
}

/**
 * GET /api/forecast?period=YYYY-MM|YYYY-Qn&<the dashboard's filters>: the viewer's owners,
 * their teams and the total for the period; `format=csv` downloads the forecast table as
 * the page shows it (in its `sort`), and is logged like every export.
 */
export function handleForecast(request: Request, deps: ForecastApiDeps): Promise<Response> {
  return withViewer("GET /api/forecast", parseStrictForecastRequest, async ({ params, viewer }) => {
    const { query, format } = params;
    const forecast = toForecastJson(
      await (await deps.forecastRepository(viewer)).forecast(query.period, query.filters),
    );
    if (format === "json") return jsonResponse(forecast);
    await deps.recordExport(viewer, {
      format,
      filters: new URL(request.url).searchParams.toString(),
      rowCount: forecast.rows.length + forecast.teams.length + 1,
    });
    return new Response(forecastCsv(forecast, query), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition(forecastFileName(forecast)),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  })(request, deps);
}
