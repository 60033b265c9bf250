import type { QuotaImportReport } from "./import-quotas";

/** The report a person reads after `npm run import -- --quotas`. */
export function formatQuotaImportReport(report: QuotaImportReport): string {
  const lines: string[] = [];
  if (report.problemCount > 0) {
    const shown = report.problems.length;
    lines.push(
      `${report.problemCount} problem${report.problemCount === 1 ? "" : "s"}${shown < report.problemCount ? ` (first ${shown} shown)` : ""}:`,
    );
    for (const problem of report.problems) lines.push(`  ${problem.message}`);
  }
  const verb = report.outcome === "dry-run" ? "would be " : "";
  lines.push(
    `quotas (${report.file}): ${report.rows} rows; ${verb}inserted ${report.inserted}, ${verb}updated ${report.updated}, unchanged ${report.unchanged}`,
  );
  if (report.outcome === "rejected") lines.push("Nothing was imported. Fix the rows above and import the file again.");
  if (report.outcome === "dry-run") lines.push("Dry run: nothing was written.");
  return lines.join("\n");
}
