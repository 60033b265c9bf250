/**
 * Export benchmark (not a test): 100,000 demo opportunities in a throwaway
 * database, exported through the real /api/export handler as CSV and XLSX; the
 * body is read as a client would. Reports rows/s and peak memory above the
 * baseline, for the whole set and for a ~20% subset: if memory were not
 * constant, the 100k run would need about five times what the subset needs.
 *
 *   npm run bench:export                       # PGlite in memory, plus PostgreSQL
 *   BENCH_DATABASE_URL=postgresql://... npm run bench:export   # (or TEST_DATABASE_URL)
 *   BENCH_ROWS=200000 NODE_OPTIONS=--expose-gc npm run bench:export
 */
import { createPGlite } from "../lib/db/create-pglite";
import { ALL_OWNERS } from "../lib/gtm/pipeline-scope";
import { adminApiDeps } from "../lib/testing/viewers";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { handleExport } from "../lib/api/handle-export";
import { migrate } from "../lib/db/migrate";
import { type Database, openDatabase, pgliteDatabase } from "../lib/db/open-database";
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { insertPipeline } from "../lib/gtm-prisma/insert-pipeline";
import { PrismaOpportunityRepository } from "../lib/gtm-prisma/prisma-opportunity-repository";
import type { CalendarDate } from "../lib/gtm/calendar-date";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const today = "2026-11-24" as CalendarDate;
const MB = 1024 * 1024;

interface Target {
  name: string;
  open(): Promise<{ db: Database; dispose(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: "PGlite (in memory)",
    async open() {
      const db = pgliteDatabase(await createPGlite());
      await migrate(db.driver);
      return { db, dispose: db.close };
    },
  },
];
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (postgresUrl) {
  targets.push({
    name: "PostgreSQL",
    async open() {
      const name = `pipeline_risk_bench_${randomBytes(5).toString("hex")}`;
      const admin = async (sql: string) => {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(sql);
        await client.end();
      };
      await admin(`CREATE DATABASE "${name}"`);
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      const db = await openDatabase(url.toString());
      await migrate(db.driver);
      return {
        db,
        async dispose() {
          await db.close();
          await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        },
      };
    },
  });
} else {
  console.warn("BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL skipped.");
}

const gc = (globalThis as { gc?: () => void }).gc;

async function run(db: Database, search: string) {
  const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS);
  gc?.();
  const base = process.memoryUsage();
  let peak = { rss: base.rss, heap: base.heapUsed, external: base.external };
  const sample = () => {
    const now = process.memoryUsage();
    peak = {
      rss: Math.max(peak.rss, now.rss),
      heap: Math.max(peak.heap, now.heapUsed),
      external: Math.max(peak.external, now.external),
    };
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  const response = await handleExport(
    new Request(`http://bench/api/export?${search}`),
    adminApiDeps(repository, () => today),
  );
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  const reader = response.body!.getReader();
  let bytes = 0;
  let chunks = 0;
  let newlines = 0;
  let live = base.heapUsed;
  const csv = search.includes("format=csv");
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (csv) for (const byte of value) if (byte === 10) newlines++;
    if (++chunks % 16 === 0) sample();
    // Live memory (what the export holds on to), not garbage awaiting collection: collect now and then and measure.
    if (gc && chunks % 64 === 0) {
      gc();
      live = Math.max(live, process.memoryUsage().heapUsed);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  sample();
  return {
    seconds,
    bytes,
    rows: csv ? newlines - 1 : undefined,
    heap: (peak.heap - base.heapUsed) / MB,
    live: (live - base.heapUsed) / MB,
    rss: (peak.rss - base.rss) / MB,
    external: (peak.external - base.external) / MB,
  };
}

async function main() {
  console.log(`Generating ${ROWS.toLocaleString("en-US")} opportunities...`);
  const data = generateDemoData({
    today,
    customers: Math.max(300, Math.round(ROWS / 20)),
    opportunities: ROWS,
    owners: 40,
  });
  const lines: string[] = [];
  for (const target of targets) {
    const { db, dispose } = await target.open();
    try {
      const loadStart = performance.now();
      await insertPipeline(db.prisma, data.customers, data.opportunities);
      console.log(`${target.name}: loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
      const subset = data.opportunities.filter((o) => o.stage === "proposal").length;
      for (const format of ["csv", "xlsx"] as const) {
        for (const [label, search, rows] of [
          ["20% subset (stage=proposal)", `format=${format}&stage=proposal&sort=closeDate.asc`, subset],
          ["all rows", `format=${format}&sort=closeDate.asc`, ROWS],
        ] as const) {
          await run(db, `format=${format}&pageSize=1`); // warm up (JIT, pools), not reported
          const result = await run(db, search);
          if (result.rows !== undefined && result.rows !== rows)
            throw new Error(`CSV had ${result.rows} rows, expected ${rows}`);
          const line = `| ${target.name} | ${format.toUpperCase()} | ${label} | ${rows.toLocaleString("en-US")} | ${result.seconds.toFixed(2)} | ${Math.round(rows / result.seconds).toLocaleString("en-US")} | ${(result.bytes / MB).toFixed(1)} | ${gc ? result.live.toFixed(1) : "n/a"} | ${result.heap.toFixed(1)} | ${result.rss.toFixed(1)} |`;
          console.log(line);
          lines.push(line);
        }
      }
    } finally {
      await dispose();
    }
  }
  console.log(
    "\n| Database | Format | Set | Rows | Seconds | Rows/s | File MB | Live heap over baseline, peak (MB) | Heap incl. garbage, peak (MB) | RSS over baseline, peak (MB) |",
  );
  console.log("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const line of lines) console.log(line);
  console.log(
    `\nNode ${process.version}, ${gc ? "with" : "without (live heap needs NODE_OPTIONS=--expose-gc)"} --expose-gc; sort=closeDate.asc; the export's keyset batch size.`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
