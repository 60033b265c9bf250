/** Child of run-bench.ts: one CSV export through the real handler, in its own process so its RSS is the export's. */
import { openDatabase } from "../lib/db/open-database";
import { exportCursorDriver } from "../lib/gtm-prisma/export-cursor";
import type { CalendarDate } from "../lib/gtm/calendar-date";
import { allOwnersRepository, measure, readCsvExport } from "./bench-helpers";

async function main() {
  const [url, search, today] = process.argv.slice(2);
  const db = await openDatabase(url);
  try {
    // As the server builds it: one COPY per export on PostgreSQL.
    const repository = allOwnersRepository(db.prisma, exportCursorDriver(db));
    await readCsvExport(repository, "pageSize=1&owner=nobody", today as CalendarDate); // warm up: pool, JIT
    // What the process holds before the export (tsx, Prisma, pg, the warm-up), to tell the baseline from the export's own memory.
    const rssBeforeMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    const maxRssBeforeMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    const cpuBefore = process.cpuUsage();
    const { result, peakRssMiB } = await measure(() => readCsvExport(repository, search, today as CalendarDate));
    const cpu = process.cpuUsage(cpuBefore);
    console.log(
      JSON.stringify({
        ...result,
        cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
        rssBeforeMiB,
        maxRssBeforeMiB,
        peakRssMiB,
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
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
