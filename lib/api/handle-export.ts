import { csvExportStream } from "../export/csv-export-stream";
import { contentDisposition, exportFileName } from "../export/export-file-name";
import { exportSummarySheet } from "../export/export-summary-sheet";
import { primedIterator } from "../export/primed-iterator";
import { toPipelineSummaryJson } from "../gtm/pipeline-wire";
import type { ApiDeps } from "./api-deps";
import { type ExportRequest, parseStrictExportRequest } from "./strict-params";
import { type ApiContext, withViewer } from "./with-viewer";

const ROUTE = "GET /api/export";

/**
 * Rows per keyset query on PGlite (each sorts the filtered set again, so fewer, larger batches
 * export faster); 5,000 rows is a few MB, still flat whatever the total. PostgreSQL streams one
 * COPY instead, in the batches the network delivers.
 */
const EXPORT_BATCH_SIZE = 5_000;

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/**
 * GET /api/export?format=csv|xlsx&<page params>&columns=...: every row of the
 * filtered, sorted view (all pages; `page` and `pageSize` are ignored), with the
 * visible columns in the visible order, streamed in constant memory.
 */
export function handleExport(request: Request, deps: ApiDeps, options: { batchSize?: number } = {}): Promise<Response> {
  return withViewer(ROUTE, parseStrictExportRequest, (context) => exportResponse(context, options))(request, deps);
}

async function exportResponse({ request, params, viewer, repository, deps }: ApiContext<ExportRequest>, options: { batchSize?: number }): Promise<Response> {
  const { query, columns, format, bom } = params;
  const search = new URL(request.url).search;
  const streamOptions = {
    signal: request.signal,
    onError: (error: unknown) => console.error(`[api] ${ROUTE}${search} failed while streaming:`, error),
  };
  // Awaiting these and the first batch here turns an unavailable database into a 503, not a broken download.
  // Only the XLSX needs the whole summary (its second sheet); the CSV's audit entry needs just the count.
  const summary = format === "xlsx" ? toPipelineSummaryJson(await repository.summarize(query)) : undefined;
  const rowCount = summary ? summary.totals.count : (await repository.search({ ...query, page: 1, pageSize: 1 })).total;
  await deps.recordExport(viewer, { format, filters: new URL(request.url).searchParams.toString(), rowCount });
  const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE;
  // exceljs (some 30 MB resident) is loaded by the first XLSX export, not by every process that serves CSV.
  const body =
    format === "csv"
      ? csvExportStream(await primedIterator(repository.streamRowTexts(query, { batchSize })), columns, { ...streamOptions, bom })
      : (await import("../export/xlsx-export-stream")).xlsxExportStream(
          await primedIterator(repository.streamRows(query, { batchSize })),
          columns,
          exportSummarySheet(query, columns, summary!),
          streamOptions,
        );
  return new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": contentDisposition(exportFileName(query, format)),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
