import type { PipelineQuery } from "../gtm/pipeline-query";
import { defaultStatusFilter } from "../gtm/status-filter";

/**
 * A file name that says what the file holds: `pipeline[-owner][-stage][-status][-at-risk|-overdue][-filtered]-<asOf>.<ext>`,
 * e.g. `pipeline-at-risk-2026-11-24.csv`, `pipeline-won-2026-11-24.csv`; the status is named
 * where it is not the view's default (the open pipeline, or every deal of picked stages). Only [a-z0-9._-] so every browser and OS keeps it.
 */
export function exportFileName(query: PipelineQuery, extension: string): string {
  const parts = ["pipeline"];
  if (query.owners.length === 1) parts.push(slug(query.owners[0]));
  if (query.stages.length === 1) parts.push(slug(query.stages[0]));
  if (query.status !== defaultStatusFilter(query.stages)) parts.push(query.status);
  if (query.risk) parts.push(query.risk);
  const otherFilters =
    query.owners.length > 1 ||
    query.stages.length > 1 ||
    query.closeFrom ||
    query.closeTo ||
    query.minAmount ||
    query.maxAmount ||
    query.q;
  if (otherFilters) parts.push("filtered");
  parts.push(query.asOf);
  return `${parts.filter(Boolean).join("-")}.${extension}`;
}

function slug(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 40);
}

export function contentDisposition(fileName: string): string {
  return `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
