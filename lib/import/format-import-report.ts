import type { ImportReport } from "./import-report";

/** The report a person reads after `npm run import`. */
export function formatImportReport(report: ImportReport): string {
  const lines: string[] = [];
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.problemCount > 0) {
    const shown = report.problems.length;
    lines.push(`${report.problemCount} problem${report.problemCount === 1 ? "" : "s"}${shown < report.problemCount ? ` (first ${shown} shown)` : ""}:`);
    for (const problem of report.problems) lines.push(`  ${problem.message}`);
  }
  const verb = report.outcome === "dry-run" ? "would be " : "";
  for (const [entity, counts] of Object.entries(report.entities)) {
    const rejects = counts.rejectsFile ? ` (written to ${counts.rejectsFile})` : "";
    lines.push(
      `${entity} (${counts.file}): ${counts.rows} rows; ${verb}inserted ${counts.inserted}, ${verb}updated ${counts.updated}, unchanged ${counts.unchanged}, rejected ${counts.rejected}${rejects}`,
    );
  }
  if (report.outcome === "rejected") {
    lines.push(report.fileProblem ? "Nothing was imported. Fix the file and import it again." : "Nothing was imported. Fix the rows above, or run with --skip-invalid to import the valid rows only.");
  }
  if (report.outcome === "dry-run") lines.push("Dry run: nothing was written.");
  return lines.join("\n");
}
