/** Child of run-bench.ts: one CRM import (importCrmFiles, as the CLI runs it), in its own process so its RSS is the import's. */
import { openDatabase } from "../lib/db/open-database";
import { importCrmFiles } from "../lib/import/import-crm-files";
import { measure } from "./bench-helpers";

async function main() {
  const [url, customers, opportunities, teams] = process.argv.slice(2);
  const db = await openDatabase(url);
  try {
    const phases: Record<string, number> = {};
    const { result, seconds, peakRssMiB } = await measure(() => importCrmFiles(db, { customers, opportunities, teams }, { onPhase: (name, s) => (phases[name] = Number(s.toFixed(2))) }));
    if (result.outcome !== "imported") throw new Error(result.problems.map((p) => p.message).join("\n"));
    console.log(JSON.stringify({ seconds, peakRssMiB, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), opportunities: result.entities.opportunities, phases }));
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
