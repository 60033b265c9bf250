"use client";

import { exportHref } from "@/lib/export/export-href";

/**
 * Downloads of the current view (every page, the visible columns) as CSV or
 * Excel. Plain links: the server streams the file, so the browser shows its own
 * progress and nothing large passes through React.
 */
export function ExportButton(props: { search: string; total: number }) {
  const count = props.total.toLocaleString("en-US");
  const rows = props.total === 1 ? "row" : "rows";
  return (
    <div className="export-links" role="group" aria-label="Export this view">
      <span>
        Export {count} {rows}:
      </span>{" "}
      <a
        className="link-button"
        href={exportHref(props.search, "csv")}
        download
        aria-label={`Download ${count} ${rows} as CSV`}
      >
        CSV
      </a>
      <span aria-hidden="true"> | </span>
      <a
        className="link-button"
        href={exportHref(props.search, "xlsx")}
        download
        aria-label={`Download ${count} ${rows} as Excel (XLSX)`}
      >
        Excel
      </a>
    </div>
  );
}
