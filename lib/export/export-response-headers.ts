import type { PipelineQuery } from "../gtm/pipeline-query";
import { contentDisposition, exportFileName } from "./export-file-name";

const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/** The headers of an export's response: the same for GET and for HEAD. */
export function exportResponseHeaders(
  query: PipelineQuery,
  format: keyof typeof CONTENT_TYPES,
): Record<string, string> {
  return {
    "Content-Type": CONTENT_TYPES[format],
    "Content-Disposition": contentDisposition(exportFileName(query, format)),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
