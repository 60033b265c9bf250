import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { rebuildPipelineRollup } from "../lib/gtm-prisma/pipeline-rollup";
import { formatImportReport } from "../lib/import/format-import-report";
import { formatQuotaImportReport } from "../lib/import/format-quota-import-report";
import { importCrmFiles } from "../lib/import/import-crm-files";
import { importQuotas } from "../lib/import/import-quotas";
import { IMPORT_USAGE, parseImportArgs, UsageError } from "../lib/import/parse-import-args";
import { today } from "../lib/today";
import { runScript } from "./run-script";

runScript(async () => {
  let parsed;
  try {
    parsed = parseImportArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${IMPORT_USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(IMPORT_USAGE);
    return;
  }
  const db = await openDatabase();
  try {
    await migrate(db.driver);
    const started = performance.now();
    const crmFiles = Object.values(parsed.files).some((file) => file !== undefined);
    const report = crmFiles ? await importCrmFiles(db, parsed.files, parsed.options) : undefined;
    if (report) console.log(formatImportReport(report));
    // Quotas (always all-or-nothing) only after the CRM files went in.
    const crmWentIn = report === undefined || report.outcome === "imported" || report.outcome === "dry-run";
    const quotaReport =
      parsed.quotas && crmWentIn ? await importQuotas(db, parsed.quotas, { dryRun: parsed.options.dryRun }) : undefined;
    if (quotaReport) console.log(formatQuotaImportReport(quotaReport));
    console.log(`${db.description}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (report?.outcome === "rejected" || report?.outcome === "refused" || quotaReport?.outcome === "rejected")
      process.exitCode = 1;
    if (report?.outcome === "imported") {
      // The import marked the summary rollup stale (dashboards read live meanwhile, exactly); rebuild it now.
      const rebuilding = performance.now();
      await rebuildPipelineRollup(db, today());
      console.log(`Dashboard summary rollup rebuilt in ${((performance.now() - rebuilding) / 1000).toFixed(1)} s`);
      // A weekly file changes a tenth of the deals, and autovacuum waits for a fifth: meanwhile their
      // dead index entries and cleared visibility bits slow every read and the next import (at a
      // year of weekly imports without it, 5x larger indexes; BENCHMARKS.md, session 10). Readers
      // are not blocked by it.
      const vacuuming = performance.now();
      await db.driver.withConnection((connection) => connection.exec("VACUUM (ANALYZE) opportunities, customers"));
      console.log(`Tables vacuumed in ${((performance.now() - vacuuming) / 1000).toFixed(1)} s`);
    }
  } finally {
    await db.close();
  }
});
