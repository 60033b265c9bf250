/** Child of run-bench.ts: one CSV export through the real handler, in its own process so its RSS is the export's. */
import { openDatabase } from "../lib/db/open-database";
import type { CalendarDate } from "../lib/gtm/calendar-date";
import { allOwnersRepository, measure, readCsvExport } from "./bench-helpers";

async function main() {
  const [url, search, today] = process.argv.slice(2);
  const db = await openDatabase(url);
  try {
    const repository = allOwnersRepository(db.prisma);
    await readCsvExport(repository, "pageSize=1&owner=nobody", today as CalendarDate); // warm up: pool, JIT
    const { result, peakRssMiB } = await measure(() => readCsvExport(repository, search, today as CalendarDate));
    console.log(JSON.stringify({ ...result, peakRssMiB, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
