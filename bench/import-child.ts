/** Child of run-bench.ts: one CRM import (importCrmFiles, as the CLI runs it), in its own process so its RSS is the import's. */
import { openDatabase } from "../lib/db/open-database";
import type { CalendarDate } from "../lib/gtm/calendar-date";
import { type ImportFiles, importCrmFiles } from "../lib/import/import-crm-files";
import { measure } from "./bench-helpers";

async function main() {
  // An empty argument leaves that file out; the fifth, when given, is --effective-date.
  const [url, customers, opportunities, teams, effectiveDate] = process.argv.slice(2);
  const files = Object.fromEntries(
    Object.entries({ customers, opportunities, teams }).filter(([, file]) => file),
  ) as ImportFiles;
  const db = await openDatabase(url);
  try {
    const phases: Record<string, number> = {};
    const { result, seconds, peakRssMiB } = await measure(() =>
      importCrmFiles(db, files, {
        effectiveDate: (effectiveDate || undefined) as CalendarDate | undefined,
        onPhase: (name, s) => (phases[name] = Number(s.toFixed(2))),
      }),
    );
    if (result.outcome !== "imported") throw new Error(result.problems.map((p) => p.message).join("\n"));
    console.log(
      JSON.stringify({
        seconds,
        peakRssMiB,
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        opportunities: result.entities.opportunities,
        customers: result.entities.customers,
        phases,
      }),
    );
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
