import type { ImportReport } from "./import-report";

/** The report a person reads after `npm run import`. */
export function formatImportReport(report: ImportReport): string {
  const lines: string[] = [];
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.problemCount > 0) {
    const shown = report.problems.length;
    lines.push(
      `${report.problemCount} problem${report.problemCount === 1 ? "" : "s"}${shown < report.problemCount ? ` (first ${shown} shown)` : ""}:`,
    );
    for (const problem of report.problems) lines.push(`  ${problem.message}`);
  }
  if (report.refusal) lines.push(report.refusal);
  const verb = report.outcome === "dry-run" ? "would be " : "";
  for (const [entity, counts] of Object.entries(report.entities)) {
    const rejects = counts.rejectsFile ? ` (written to ${counts.rejectsFile})` : "";
    // Only opportunities are ever removed (by a snapshot import).
    const removed = entity === "opportunities" ? `, ${verb}removed ${counts.removed}` : "";
    lines.push(
      `${entity} (${counts.file}): ${counts.rows} rows; ${verb}inserted ${counts.inserted}, ${verb}updated ${counts.updated}, unchanged ${counts.unchanged}${removed}, rejected ${counts.rejected}${rejects}`,
    );
  }
  if (report.outcome === "rejected") {
    lines.push(
      report.fileProblem
        ? "Nothing was imported. Fix the file and import it again."
        : "Nothing was imported. Fix the rows above, or run with --skip-invalid to import the valid rows only.",
    );
  }
  if (report.outcome === "refused") lines.push("Nothing was imported.");
  if (report.outcome === "dry-run") lines.push("Dry run: nothing was written.");
  if (report.effective && report.outcome !== "refused") {
    const when = report.effective.given
      ? `as of ${report.effective.given} (from ${report.effective.at.toISOString()})`
      : `as of now (${report.effective.at.toISOString()})`;
    lines.push(
      report.runId === undefined
        ? `Changes would take effect ${when}.`
        : `Recorded as import run ${report.runId}, changes in effect ${when}.`,
    );
  }
  return lines.join("\n");
}
