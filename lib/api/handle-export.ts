import { csvExportStream } from "../export/csv-export-stream";
import { type ExportLimits, openWithinLimits, serverExportLimits } from "../export/export-limits";
import { exportResponseHeaders } from "../export/export-response-headers";
import { scopeName } from "../auth/scope";
import { exportSummarySheet } from "../export/export-summary-sheet";
import { primedIterator } from "../export/primed-iterator";
import { toPipelineSummaryJson } from "../gtm/pipeline-wire";
import type { ApiDeps } from "./api-deps";
import { jsonResponse } from "./api-response";
import { type ExportRequest, parseStrictExportRequest } from "./strict-params";
import { type ApiContext, withViewer } from "./with-viewer";

const ROUTE = "GET /api/export";

/**
 * Rows per keyset query on PGlite (each sorts the filtered set again, so fewer, larger batches
 * export faster); 5,000 rows is a few MB, still flat whatever the total. PostgreSQL streams one
 * COPY instead, in the batches the network delivers.
 */
const EXPORT_BATCH_SIZE = 5_000;

interface ExportOptions {
  batchSize?: number;
  /** The process's (DATABASE_POOL_SIZE, EXPORT_IDLE_TIMEOUT_MS) unless given. */
  limits?: ExportLimits;
}

/**
 * GET /api/export?format=csv|xlsx&<page params>&columns=...: every row of the
 * filtered, sorted view (all pages; `page` and `pageSize` are ignored), with the
 * visible columns in the visible order, streamed in constant memory.
 */
export function handleExport(request: Request, deps: ApiDeps, options: ExportOptions = {}): Promise<Response> {
  return withViewer(ROUTE, parseStrictExportRequest, (context) => exportResponse(context, options))(request, deps);
}

/**
 * HEAD /api/export: the status and headers GET would answer (401 and 400 alike), and nothing
 * else: no export is started, none is logged. Without it Next answers HEAD by running GET and
 * dropping the body unread, which held a database connection for every HEAD.
 */
export const handleExportHead = withViewer(
  "HEAD /api/export",
  parseStrictExportRequest,
  async ({ params }) => new Response(null, { headers: exportResponseHeaders(params.query, params.format) }),
);

async function exportResponse(
  { request, params, viewer, repository, deps }: ApiContext<ExportRequest>,
  options: ExportOptions,
): Promise<Response> {
  const { query, columns, format, bom } = params;
  const search = new URL(request.url).search;
  const streamOptions = {
    signal: request.signal,
    onError: (error: unknown) => console.error(`[api] ${ROUTE}${search} failed while streaming:`, error),
  };
  const limits = options.limits ?? serverExportLimits();
  const body = await openWithinLimits(
    limits,
    async () => {
      // Awaiting these and the first batch here turns an unavailable database into a 503, not a broken download.
      // Only the XLSX needs the whole summary (its second sheet); the CSV's audit entry needs just the count.
      const summary = format === "xlsx" ? toPipelineSummaryJson(await repository.summarize(query)) : undefined;
      const rowCount = summary
        ? summary.totals.count
        : (await repository.search({ ...query, page: 1, pageSize: 1 })).total;
      await deps.recordExport(viewer, { format, filters: new URL(request.url).searchParams.toString(), rowCount });
      const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE;
      // exceljs (some 30 MB resident) is loaded by the first XLSX export, not by every process that serves CSV.
      return format === "csv"
        ? csvExportStream(await primedIterator(repository.streamRowTexts(query, { batchSize })), columns, {
            ...streamOptions,
            bom,
          })
        : (await import("../export/xlsx-export-stream")).xlsxExportStream(
            await primedIterator(repository.streamRows(query, { batchSize })),
            columns,
            exportSummarySheet(query, columns, summary!, scopeName(viewer)),
            streamOptions,
          );
    },
    {
      signal: request.signal,
      onIdle: () =>
        console.warn(`[api] ${ROUTE}${search} ended: the client read nothing for ${limits.idleTimeoutMs} ms`),
    },
  );
  if (!body) return exportsBusy();
  return new Response(body, { headers: exportResponseHeaders(query, format) });
}

function exportsBusy(): Response {
  return jsonResponse(
    { error: "Too many exports are running right now; try again in a few seconds." },
    { status: 503, headers: { "Retry-After": "5" } },
  );
}
