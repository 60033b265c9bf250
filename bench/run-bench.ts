/**
 * Scale benchmark (issue 7; not a test): one million opportunities, each figure next to
 * the database's own floor (the same SQL straight through `pg`, or psql's \copy).
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm run bench
 *   BENCH_SMOKE=1 npm run bench          # tiny data, every step, < 60 s
 *
 * Steps (BENCH_STEPS=import,history,reads,features,export,load,pglite picks some; history and features are not in the default): generate the demo data
 * deterministically (500 owners in 50 teams of 10, 100,000 customers), write CSV files,
 * import them with importCrmFiles in a child process (rows/s, peak RSS) vs psql \copy into
 * an identical empty database; VACUUM ANALYZE; summary and table reads through the
 * repository vs the captured SQL through pg (medians after warm-up); a full CSV export
 * through the /api/export handler in a child process vs psql \copy (SELECT ...) TO
 * /dev/null; the dashboard page under autocannon (20 connections, 30 s) against
 * `next start` of a production build (built in a copy of the tree, so it never races
 * another `next build`) vs the page's SQL run by 20 pg clients. Then the same reads,
 * export and import on in-memory PGlite at 100,000.
 *
 * BENCH_KEEP=1 keeps the PostgreSQL database (BENCH_DATABASE_NAME=<name> names it); BENCH_REUSE_URL=<its url> then skips
 * generation and import. The history step (issue 14) dates the import BENCH_HISTORY_WEEKS (52) weeks back and writes a
 * week of changes a week through the import up to today, with a VACUUM (ANALYZE) after each (autovacuum's week).
 */
import { type AddressInfo, createServer } from "node:net";
import { createPGlite } from "../lib/db/create-pglite";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createUser } from "../lib/auth/users";
import { csvField } from "../lib/csv/csv-field";
import { migrate } from "../lib/db/migrate";
import { type Database, openDatabase, pgliteDatabase } from "../lib/db/open-database";
import { Prisma, type PrismaClient } from "../lib/db/generated/client";
import { type DemoData, generateDemoData } from "../lib/demo/generate-demo-data";
import { PipelineReadCache } from "../lib/gtm-prisma/pipeline-read-cache";
import { fillHistoryRollups } from "../lib/gtm-prisma/history-rollup";
import { rebuildPipelineRollup } from "../lib/gtm-prisma/pipeline-rollup";
import { PIPELINE_FROM, pipelineOrderSql, statusRankSql } from "../lib/gtm-prisma/pipeline-sql";
import { PrismaOpportunityRepository } from "../lib/gtm-prisma/prisma-opportunity-repository";
import { trendDays } from "../lib/gtm/at-risk-trend";
import { addDays, addMonths, firstOfMonth } from "../lib/gtm/calendar-date";
import { DEFAULT_CHANGED_DEAL_SORT } from "../lib/gtm/changes-repository";
import type { ChangeKind } from "../lib/gtm/pipeline-changes";
import { quarterContaining } from "../lib/gtm/forecast-period";
import { ALL_OWNERS } from "../lib/gtm/pipeline-scope";
import { CHANGES_READ_SETTINGS } from "../lib/gtm-prisma/pipeline-changes-sql";
import { PrismaChangesRepository } from "../lib/gtm-prisma/prisma-changes-repository";
import { PrismaForecastRepository } from "../lib/gtm-prisma/prisma-forecast-repository";
import { importQuotas } from "../lib/import/import-quotas";
import { parsePipelineQuery, type PipelineQuery } from "../lib/gtm/pipeline-query";
import { importCrmFiles } from "../lib/import/import-crm-files";
import { configuredTimeZone, today as todayInZone } from "../lib/today";
import { WeeklyChanges } from "./weekly-changes";
import {
  allOwnersRepository,
  appEnv,
  buildAppCopy,
  measure,
  median,
  medianMs,
  psqlSeconds,
  readCsvExport,
  runChild,
  startCommand,
  throwawayDatabase,
} from "./bench-helpers";

const env = process.env;
const SMOKE = env.BENCH_SMOKE === "1";
const PG_ROWS = SMOKE ? 20_000 : Number(env.BENCH_ROWS ?? 1_000_000);
const PGLITE_ROWS = SMOKE ? 5_000 : Number(env.BENCH_PGLITE_ROWS ?? 100_000);
const OWNERS = SMOKE ? 50 : 500;
const TEAM_SIZE = 10;
const RUNS = SMOKE ? 3 : Number(env.BENCH_RUNS ?? 9);
const LOAD_SECONDS = SMOKE ? 3 : Number(env.BENCH_LOAD_SECONDS ?? 30);
const LOAD_CONNECTIONS = 20;
const WARM_SECONDS = SMOKE ? 1 : 5;
const STEPS = new Set((env.BENCH_STEPS ?? "import,reads,export,load,pglite").split(","));
const BASE_URL = env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL;
const TODAY = todayInZone();
/** With the history step: the import is dated this many weeks back, then one import a week up to today. */
const HISTORY_WEEKS = STEPS.has("history") ? (SMOKE ? 3 : Number(env.BENCH_HISTORY_WEEKS ?? 52)) : 0;
const HISTORY_START = HISTORY_WEEKS > 0 ? addDays(TODAY, -7 * HISTORY_WEEKS) : undefined;
/** The share of deals that change in a week. */
const HISTORY_SHARE = Number(env.BENCH_HISTORY_SHARE ?? 0.025);
const ROOT = path.resolve(__dirname, "..");

interface Row {
  db: string;
  measure: string;
  ours: string;
  floor: string;
  ratio: string;
  target: string;
}
const table: Row[] = [];
function report(row: Row) {
  table.push(row);
  console.log(
    `${row.db.padEnd(10)} ${row.measure.padEnd(58)} ours ${row.ours.padStart(16)}  floor ${row.floor.padStart(16)}  ${row.ratio.padStart(6)}  target ${row.target}`,
  );
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-US")} rows/s`;
const ratio = (ours: number, floor: number) => `${(ours / floor).toFixed(2)}x`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

// ---------------------------------------------------------------- data

interface Files {
  customers: string;
  opportunities: string;
  teams: string;
  owners: string[];
  data: DemoData;
}

async function writeLines(file: string, header: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (const line of lines) if (!out.write(`${line}\n`)) await once(out, "drain");
  out.end();
  await once(out, "close");
}

/** The deterministic demo data as the import's three CSV files. */
async function writeDataFiles(dir: string, rows: number): Promise<Files> {
  const started = performance.now();
  const data = generateDemoData({
    today: TODAY,
    customers: Math.max(100, Math.round(rows / 10)),
    opportunities: rows,
    owners: OWNERS,
  });
  const owners = [...new Set(data.opportunities.map((o) => o.salesOwner))].sort();
  const files = {
    customers: path.join(dir, `customers-${rows}.csv`),
    opportunities: path.join(dir, `opportunities-${rows}.csv`),
    teams: path.join(dir, `teams-${rows}.csv`),
    owners,
    data,
  };
  await writeLines(
    files.customers,
    "customer_id,name,churn_risk",
    (function* () {
      for (const c of data.customers) yield `${c.customerId},${csvField(c.name)},${c.churnRisk}`;
    })(),
  );
  await writeLines(
    files.opportunities,
    "opp_id,customer_id,stage,close_date,amount,sales_owner",
    (function* () {
      for (const o of data.opportunities)
        yield `${o.oppId},${o.customerId},${o.stage},${o.closeDate},${o.amount.toFixed(2)},${o.salesOwner}`;
    })(),
  );
  await writeLines(
    files.teams,
    "sales_owner,manager",
    (function* () {
      for (let i = 0; i < owners.length; i++)
        yield `${owners[i]},manager.${String(Math.floor(i / TEAM_SIZE)).padStart(2, "0")}`;
    })(),
  );
  console.log(
    `generated ${rows.toLocaleString("en-US")} opportunities (${(statSync(files.opportunities).size / 2 ** 20).toFixed(0)} MiB), ${data.customers.length} customers, ${owners.length} owners in ${((performance.now() - started) / 1000) | 0} s`,
  );
  return files;
}

// ---------------------------------------------------------------- reads

/** A Prisma client that records the SQL of every $queryRaw, in or out of its transactions (what the floor re-runs). */
function capturing(prisma: PrismaClient): { client: PrismaClient; log: Prisma.Sql[] } {
  const log: Prisma.Sql[] = [];
  const wrap = <C extends object>(inner: C): C =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === "$queryRaw") {
          return (strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
            const sql = strings instanceof Prisma.Sql ? strings : Prisma.sql(strings, ...values);
            log.push(sql);
            return (target as unknown as PrismaClient).$queryRaw(sql);
          };
        }
        if (prop === "$transaction") {
          return (work: (tx: object) => Promise<unknown>, options: unknown) =>
            (target as unknown as { $transaction: (w: unknown, o: unknown) => Promise<unknown> }).$transaction(
              (tx: object) => work(wrap(tx)),
              options,
            );
        }
        return Reflect.get(target, prop, receiver);
      },
    });
  return { client: wrap(prisma), log };
}

type Floor = (sql: Prisma.Sql) => Promise<unknown>;
/** The floor of a read made in one transaction with planner settings: its statements in one such transaction, in turn. */
type FloorInTransaction = (settings: readonly string[], statements: Prisma.Sql[]) => Promise<unknown>;

/** BENCH_CASES=changes,forecast: only the read cases whose name contains one of the words. */
const chosen = ({ name }: { name: string }) =>
  !env.BENCH_CASES || env.BENCH_CASES.split(",").some((word) => name.includes(word));

interface ReadCase {
  name: string;
  target: string;
  run(repository: PrismaOpportunityRepository): Promise<unknown>;
}

const query = (search: string): PipelineQuery => {
  const parsed = parsePipelineQuery(new URLSearchParams(search), TODAY);
  if (parsed.issues.length > 0) throw new Error(`${search}: ${JSON.stringify(parsed.issues)}`);
  return parsed.query;
};

function readCases(owners: string[], rows: number): ReadCase[] {
  const team = owners
    .slice(0, TEAM_SIZE)
    .map((o) => `owner=${o}`)
    .join("&");
  const cases: ReadCase[] = [
    { name: "summary: everything", target: "<= 150 ms, <= 1.5x", run: (r) => r.summarize(query("")) },
    {
      name: `summary: one team (${TEAM_SIZE} owners)`,
      target: "<= 150 ms, <= 1.5x",
      run: (r) => r.summarize(query(team)),
    },
    { name: "summary: one owner", target: "<= 150 ms, <= 1.5x", run: (r) => r.summarize(query(`owner=${owners[0]}`)) },
    // Its two boundary months are read live from opportunities, the rest from the rollup.
    {
      name: "summary: closing in the next 90 days",
      target: "<= 150 ms, <= 1.5x",
      run: (r) => r.summarize(query(`closeFrom=${TODAY}&closeTo=${addDays(TODAY, 90)}`)),
    },
    { name: "owner list (filter bar)", target: "-", run: (r) => r.listOwners() },
    // A text search cuts inside every rollup group: the summary reads the pipeline live.
    { name: "summary: a search (q=acme: 2% of deals)", target: "-", run: (r) => r.summarize(query("q=acme")) },
    {
      name: "table rows (total known): a search (q=acme), amount.desc, page 1",
      target: "<= 50 ms",
      run: (r) => r.search(query("q=acme&sort=amount.desc"), { total: 1 }),
    },
  ];
  const deep = Math.max(2, Math.min(2000, Math.floor((rows * 0.3) / 50)));
  const filter = `stage=prospecting&stage=qualification&closeFrom=${TODAY}`;
  for (const sort of ["amount.desc", "closeDate.asc"]) {
    for (const [label, filters] of [
      ["", ""],
      [" filtered", `&${filter}`],
    ]) {
      for (const page of [1, deep]) {
        cases.push({
          name: `table: ${sort}${label}, page ${page}`,
          target: "<= 50 ms",
          run: (r) => r.search(query(`sort=${sort}&page=${page}${filters}`)),
        });
      }
      // The dashboard passes the summary's totals.count, so its table read is the rows alone.
      cases.push({
        name: `table rows (total known): ${sort}${label}, page ${deep}`,
        target: "<= 50 ms",
        run: (r) => r.search(query(`sort=${sort}&page=${deep}${filters}`), { total: 1 }),
      });
    }
  }
  return cases;
}

async function runReads(label: string, db: Database, floor: Floor, owners: string[], rows: number): Promise<void> {
  const repository = allOwnersRepository(db.prisma);
  for (const c of readCases(owners, rows).filter(chosen)) {
    const { client, log } = capturing(db.prisma);
    await c.run(allOwnersRepository(client));
    // The floor runs the same statements with the same concurrency (the repository issues them in one Promise.all).
    const statements = [...log];
    const ours = await medianMs(() => c.run(repository), RUNS);
    const floorMs = await medianMs(() => Promise.all(statements.map(floor)), RUNS);
    report({
      db: label,
      measure: `${c.name} (${statements.length} SQL)`,
      ours: ms(ours),
      floor: ms(floorMs),
      ratio: ratio(ours, floorMs),
      target: c.target,
    });
  }
}

// ---------------------------------------------------------------- history, changes, forecast (issues 14, 15, 16)

interface FeatureCase {
  name: string;
  target: string;
  /** The read, through the adapter built on `prisma` (so its statements can be captured), and `cache` when given. */
  run(prisma: PrismaClient, cache?: PipelineReadCache): Promise<unknown>;
  /** What the product reads before it through the same cache (a bucket's page: its view's summary); timed apart. */
  before?(prisma: PrismaClient, cache: PipelineReadCache): Promise<unknown>;
  /** The settings of the transaction the read runs in (what changed's): its floor runs with them too. */
  settings?: readonly string[];
}

/** A past day in the history's span: a quarter back. */
const PAST = addDays(TODAY, -91);
/** A past day inside a month: the summary splits that month's close dates at it (at risk from it on, overdue before). */
const PAST_MID_MONTH = addDays(firstOfMonth(PAST), 14);

function featureCases(owners: string[]): FeatureCase[] {
  const clock = { today: TODAY, timeZone: configuredTimeZone() };
  const past = (prisma: PrismaClient, cache?: PipelineReadCache) =>
    allOwnersRepository(prisma, undefined, clock, cache);
  const changes = (prisma: PrismaClient, cache?: PipelineReadCache) =>
    new PrismaChangesRepository(prisma, ALL_OWNERS, clock, cache);
  const forecast = (prisma: PrismaClient, cache?: PipelineReadCache) =>
    new PrismaForecastRepository(prisma, ALL_OWNERS, clock, cache);
  const window = { query: query(""), from: addDays(TODAY, -90), to: TODAY };
  const team = owners
    .slice(0, TEAM_SIZE)
    .map((o) => `owner=${o}`)
    .join("&");
  const period = quarterContaining(TODAY);
  // The view's summary, in what changed's transaction (CHANGES_READ_SETTINGS), as its floor is too.
  const summaryCase = (label: string, view: typeof window): FeatureCase => ({
    name: `changes: summary, ${label}`,
    target: "<= 1 s p50",
    run: (p, c) => changes(p, c).summarize(view),
    settings: CHANGES_READ_SETTINGS,
  });
  // A bucket's first page in the default order, last 90 days; the product reads the view's summary first.
  const bucketPage = (label: string, search: string, kind: ChangeKind): FeatureCase => {
    const view = { ...window, query: query(search) };
    return {
      name: `changes: ${label}, first page`,
      target: "<= 200 ms p50",
      run: (p, c) => changes(p, c).deals({ ...view, kind, sort: DEFAULT_CHANGED_DEAL_SORT, page: 1, pageSize: 50 }),
      before: (p, c) => changes(p, c).summarize(view),
      settings: CHANGES_READ_SETTINGS,
    };
  };
  return [
    {
      name: `history: summary as of ${PAST}`,
      target: "<= 500 ms p50",
      run: (p, c) => past(p, c).summarize(query(`asOf=${PAST}`)),
    },
    {
      name: `history: summary as of ${PAST_MID_MONTH} (a day inside its month)`,
      target: "<= 500 ms p50",
      run: (p, c) => past(p, c).summarize(query(`asOf=${PAST_MID_MONTH}`)),
    },
    {
      name: `history: summary as of ${PAST}, one team`,
      target: "<= 500 ms p50",
      run: (p, c) => past(p, c).summarize(query(`asOf=${PAST}&${team}`)),
    },
    {
      name: `history: first page as of ${PAST} (rows, total known)`,
      target: "<= 100 ms p50",
      run: (p, c) => past(p, c).search(query(`asOf=${PAST}&sort=amount.desc`), { total: 1 }),
    },
    {
      name: `history: first page as of ${PAST} with its count (API)`,
      target: "-",
      run: (p, c) => past(p, c).search(query(`asOf=${PAST}&sort=amount.desc`)),
    },
    summaryCase("last 90 days", window),
    summaryCase("last 7 days", { ...window, from: addDays(TODAY, -7) }),
    summaryCase("last 90 days, overdue", { ...window, query: query("risk=overdue") }),
    summaryCase("last 90 days, at risk (every deal read)", { ...window, query: query("risk=at-risk") }),
    summaryCase("last 90 days, a search (q=acme: 2% of deals)", { ...window, query: query("q=acme") }),
    summaryCase("last 90 days, a broad search (q=e: 45% of deals)", { ...window, query: query("q=e") }),
    summaryCase("last 90 days, one team", { ...window, query: query(team) }),
    // Pushed out of a close window (without one, nothing can be: that bucket is empty by the rule).
    bucketPage(`pushed_out of ${period.key}`, `closeFrom=${period.start}&closeTo=${period.end}`, "pushed_out"),
    bucketPage("new", "", "new"),
    bucketPage("won", "", "won"),
    // Deals in both sets (no one day's amount orders their change) and a risk view's buckets (the
    // customer and the day move deals too): no walk, the summary keeps their first pages' ids.
    bucketPage("increased", "", "increased"),
    bucketPage("decreased", "", "decreased"),
    bucketPage("at risk, won", "risk=at-risk", "won"),
    {
      name: "changes: at-risk trend, 12 weeks",
      target: "<= 300 ms p50",
      run: (p, c) => past(p, c).atRiskTrend(query(""), trendDays(TODAY)),
    },
    {
      name: `forecast: ${period.key}, all ${owners.length} owners`,
      target: "<= 300 ms p50",
      run: (p, c) => forecast(p, c).forecast(period, query("")),
    },
    {
      name: `forecast: ${period.key}, one team`,
      target: "<= 300 ms p50",
      run: (p, c) => forecast(p, c).forecast(period, query(team)),
    },
  ];
}

/** Quotas for every owner for the current quarter and its months (the forecast reads them), once. */
async function ensureQuotas(db: Database, dir: string, owners: string[]): Promise<void> {
  const [{ n }] = await db.driver.withConnection((c) =>
    c.query<{ n: number }>("SELECT count(*)::int AS n FROM quotas"),
  );
  if (n > 0) return;
  const period = quarterContaining(TODAY);
  const months = [0, 1, 2].map((i) => addMonths(period.start, i).slice(0, 7));
  const file = path.join(dir, "quotas.csv");
  await writeLines(
    file,
    "sales_owner,period,amount",
    (function* () {
      for (const [i, owner] of owners.entries()) {
        yield `${owner},${period.key},${300_000 + (i % 7) * 50_000}`;
        for (const month of months) yield `${owner},${month},${100_000 + (i % 7) * 15_000}`;
      }
    })(),
  );
  const report = await importQuotas(db, file);
  if (report.outcome !== "imported") throw new Error(`quotas: ${JSON.stringify(report.problems)}`);
}

async function runFeatureReads(
  label: string,
  db: Database,
  floor: Floor,
  floorInTransaction: FloorInTransaction,
  owners: string[],
  dir: string,
): Promise<void> {
  await ensureQuotas(db, dir, owners);
  const [{ versions }] = await db.driver.withConnection((c) =>
    c.query<{ versions: number }>("SELECT count(*)::int AS versions FROM opportunity_versions"),
  );
  console.log(`${versions.toLocaleString("en-US")} opportunity versions; load average ${load()}`);
  // What the server's upkeep does in the background after imports: the history rollups a past day reads.
  const filled = await measure(() => fillHistoryRollups(db));
  if (filled.result > 0)
    report({
      db: label,
      measure: `history rollups built from the versions (the server's upkeep, in the background): ${filled.result} instants`,
      ours: `${(filled.seconds / filled.result).toFixed(2)} s each`,
      floor: "-",
      ratio: "-",
      target: "-",
    });
  for (const c of featureCases(owners).filter(chosen)) {
    const { client, log } = capturing(db.prisma);
    await c.run(client);
    const statements = [...log];
    const ours = await medianMs(() => c.run(db.prisma), RUNS);
    const floorMs = await medianMs(
      () => (c.settings ? floorInTransaction(c.settings, statements) : Promise.all(statements.map(floor))),
      RUNS,
    );
    report({
      db: label,
      measure: `${c.name} (${statements.length} SQL; load ${os.loadavg()[0].toFixed(1)})`,
      ours: ms(ours),
      floor: ms(floorMs),
      ratio: ratio(ours, floorMs),
      target: c.target,
    });
    if (c.before) {
      // As the product reads it: after what comes before it, in a read cache of its own each time.
      const times: number[] = [];
      for (let run = -2; run < RUNS; run++) {
        const cache = new PipelineReadCache(db.prisma);
        await c.before(db.prisma, cache);
        const started = performance.now();
        await c.run(db.prisma, cache);
        if (run >= 0) times.push(performance.now() - started);
      }
      report({
        db: label,
        measure: `${c.name}, after its view's summary (read cache; load ${os.loadavg()[0].toFixed(1)})`,
        ours: ms(median(times)),
        floor: ms(floorMs),
        ratio: ratio(median(times), floorMs),
        target: c.target,
      });
    }
    // The same view again in the same state, as the server reads it: through the read cache.
    const cache = new PipelineReadCache(db.prisma);
    await c.run(db.prisma, cache);
    const repeated = await medianMs(() => c.run(db.prisma, cache), RUNS);
    report({
      db: label,
      measure: `${c.name}, repeated (read cache; load ${os.loadavg()[0].toFixed(1)})`,
      ours: ms(repeated),
      floor: ms(floorMs),
      ratio: ratio(repeated, floorMs),
      target: c.target,
    });
  }
}

// ---------------------------------------------------------------- export

const EXPORT_SEARCH = "sort=amount.desc";

/** The export's rows as one SELECT (same FROM, status expression and ORDER BY as the repository), literals inlined for psql. */
function exportSelectSql(): string {
  const q = query(EXPORT_SEARCH);
  const sql = Prisma.sql`SELECT o.opp_id, c.name, o.customer_id, c.churn_risk, o.stage, o.close_date, o.amount, o.sales_owner, ${statusRankSql(q.asOf)} AS status_rank
    FROM ${PIPELINE_FROM} ORDER BY ${pipelineOrderSql(q)}`;
  return sql.text.replace(/\$(\d+)/g, (_, i) => `'${String(sql.values[Number(i) - 1]).replace(/'/g, "''")}'`);
}

async function runPostgresExport(url: string, rows: number): Promise<void> {
  const ours = await runChild<{ seconds: number; rows: number; bytes: number; peakRssMiB: number; maxRssMiB: number }>(
    path.join(ROOT, "bench/export-child.ts"),
    [url, EXPORT_SEARCH, TODAY],
  );
  if (ours.rows !== rows) throw new Error(`export wrote ${ours.rows} rows, expected ${rows}`);
  const floorSeconds = median(
    [0, 1, 2].map(() => psqlSeconds(url, [`\\copy (${exportSelectSql()}) TO '/dev/null' WITH (FORMAT csv, HEADER)`])),
  );
  report({
    db: "PostgreSQL",
    measure: `CSV export, all ${rows.toLocaleString("en-US")} rows (${(ours.bytes / 2 ** 20).toFixed(0)} MiB)`,
    ours: perSecond(rows / ours.seconds),
    floor: perSecond(rows / floorSeconds),
    ratio: ratio(ours.seconds, floorSeconds).replace("x", "x time"),
    target: ">= 200,000 rows/s",
  });
  report({
    db: "PostgreSQL",
    measure: "CSV export, peak RSS of the exporting process",
    ours: `${ours.maxRssMiB} MiB`,
    floor: "-",
    ratio: "-",
    target: "<= 300 MB",
  });
}

// ---------------------------------------------------------------- import

/** A CSV file's first line (its column names). */
function headerOf(file: string): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1024);
    return buffer.toString("utf8", 0, readSync(fd, buffer)).split("\n")[0];
  } finally {
    closeSync(fd);
  }
}

interface ChildImport {
  seconds: number;
  peakRssMiB: number;
  maxRssMiB: number;
  phases: Record<string, number>;
}

/**
 * The dashboard's reads (owner list, summary, first page with the summary's count, as
 * lib/dashboard/pipeline-view.ts does them), in `readers` loops until `done` resolves: the
 * longest one and how many ran. No cache: each read goes to the database. `done` resolves a
 * little after the import commits, so the last reads see its rows before the rollup is rebuilt
 * (a live summary of the whole table).
 */
async function dashboardReadsUntil(
  db: Database,
  done: Promise<unknown>,
  readers = 2,
): Promise<{ longestMs: number; medianMs: number; reads: number; overOneSecond: number }> {
  const repository = allOwnersRepository(db.prisma);
  const q = query("");
  let running = true;
  void done.finally(() => (running = false));
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: readers }, async () => {
      while (running) {
        const started = performance.now();
        const summary = repository.summarize(q);
        await Promise.all([
          repository.listOwners(),
          summary,
          repository.search(q, { total: summary.then((s) => s.totals.count) }),
        ]);
        times.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }),
  );
  return {
    longestMs: Math.max(...times),
    medianMs: median(times),
    reads: times.length,
    overOneSecond: times.filter((t) => t > 1_000).length,
  };
}

async function runPostgresImport(url: string, db: Database, files: Files, rows: number): Promise<void> {
  if (HISTORY_START) console.log(`import dated ${HISTORY_START} (history: ${HISTORY_WEEKS} weekly imports follow)`);
  // Two people on the dashboard while the import runs (issue 13 item 10): how long does a page
  // wait? Against the same reads of the same (empty) database just before.
  const idle = await dashboardReadsUntil(db, new Promise((resolve) => setTimeout(resolve, 3_000)));
  const importing = runChild<ChildImport>(path.join(ROOT, "bench/import-child.ts"), [
    url,
    files.customers,
    files.opportunities,
    files.teams,
    HISTORY_START ?? "",
  ]);
  const during = await dashboardReadsUntil(db, importing);
  const ours = await importing;
  console.log(
    `import phases (s): ${Object.entries(ours.phases)
      .map(([name, s]) => `${name} ${s}`)
      .join(", ")}`,
  );
  report({
    db: "PostgreSQL",
    measure: `dashboard reads during the import: longest (median; ${during.reads} reads by 2 readers, ${during.overOneSecond} over 1 s; the last ones read the committed load live)`,
    ours: `${ms(during.longestMs)} (${ms(during.medianMs)})`,
    floor: `${ms(idle.longestMs)} (${ms(idle.medianMs)})`,
    ratio: "-",
    target: "no wait on the import",
  });
  report({
    db: "PostgreSQL",
    measure: "import, peak RSS of the importing process",
    ours: `${ours.maxRssMiB} MiB`,
    floor: "-",
    ratio: "-",
    target: "-",
  });
  if (env.BENCH_IMPORT_FLOOR === "0") {
    report({
      db: "PostgreSQL",
      measure: `import ${rows.toLocaleString("en-US")} opportunities (+ customers, teams), empty db`,
      ours: perSecond(rows / ours.seconds),
      floor: "skipped",
      ratio: "-",
      target: ">= 50,000 rows/s",
    });
    return;
  }
  const floorDb = await throwawayDatabase(BASE_URL!, "floor");
  try {
    const floorTarget = await openDatabase(floorDb.url);
    await migrate(floorTarget.driver);
    await floorTarget.close();
    // The files' columns (the tables have optional ones the files leave out).
    const copy = (table: string, file: string) =>
      `\\copy ${table} (${headerOf(file)}) FROM '${file}' WITH (FORMAT csv, HEADER)`;
    const floorSeconds = psqlSeconds(floorDb.url, [
      copy("customers", files.customers),
      copy("opportunities", files.opportunities),
      copy("sales_teams", files.teams),
    ]);
    report({
      db: "PostgreSQL",
      measure: `import ${rows.toLocaleString("en-US")} opportunities (+ customers, teams), empty db`,
      ours: perSecond(rows / ours.seconds),
      floor: perSecond(rows / floorSeconds),
      ratio: ratio(ours.seconds, floorSeconds).replace("x", "x time"),
      target: ">= 50,000 rows/s",
    });
  } finally {
    await floorDb.drop();
  }
}

// ---------------------------------------------------------------- history (issue 14)

/**
 * A year of history written through the real import, one --effective-date import a week: the
 * changed rows only (what a delta export would carry) for every week but the last, which is the
 * whole CRM (every row, a few % changed), imported in a child process as `npm run import` would.
 * The floor of that last week: psql loading the same file and applying its changed rows with one
 * UPDATE (same triggers, so the same history rows), rolled back.
 */
async function runHistory(url: string, db: Database, files: Files, dir: string): Promise<void> {
  const weekly = new WeeklyChanges(files.data, files.owners, HISTORY_SHARE);
  const deltaSeconds: number[] = [];
  const deltaChanged: number[] = [];
  const vacuumSeconds: number[] = [];
  const started = performance.now();
  for (let week = 1; week <= HISTORY_WEEKS; week++) {
    const whole = week === HISTORY_WEEKS;
    const effectiveDate = addDays(HISTORY_START!, 7 * week);
    const w = await weekly.writeWeek(dir, week, effectiveDate, whole);
    if (!whole) {
      const imported = await measure(() =>
        importCrmFiles(db, { customers: w.customers, opportunities: w.opportunities }, { effectiveDate }),
      );
      if (imported.result.outcome !== "imported")
        throw new Error(
          `week ${week}: ${imported.result.outcome} ${imported.result.refusal ?? ""} ${imported.result.problems.map((p) => p.message).join("\n")}`,
        );
      deltaSeconds.push(imported.seconds);
      deltaChanged.push(w.changedOpportunities + w.changedCustomers);
      // What autovacuum does in the week between two imports. Here they run back to back, and each
      // import's lock cancels autovacuum's run on opportunities: it never finished, and its indexes
      // grew to 5x their size (a year's dead entries) until the week's import was 2x slower.
      vacuumSeconds.push(psqlSeconds(url, ["VACUUM (ANALYZE)"]));
      if (week % 10 === 0)
        console.log(
          `history: week ${week} (${effectiveDate}) ${w.changedOpportunities} deals, ${w.changedCustomers} customers changed, ${imported.seconds.toFixed(1)} s; load average ${load()}`,
        );
    } else {
      psqlSeconds(url, ["VACUUM ANALYZE"]);
      const floorSeconds = psqlSeconds(url, [
        "BEGIN",
        `SELECT set_config('pipeline.effective_at', '${effectiveDate}T00:00:00Z', true)`,
        "CREATE TEMP TABLE week_opps (opp_id text, customer_id text, stage sales_stage, close_date date, amount numeric(18,2), sales_owner text)",
        "CREATE TEMP TABLE week_customers (customer_id text, name text, churn_risk churn_risk)",
        `\\copy week_customers FROM '${w.customers}' WITH (FORMAT csv, HEADER)`,
        `\\copy week_opps FROM '${w.opportunities}' WITH (FORMAT csv, HEADER)`,
        "UPDATE customers c SET churn_risk = w.churn_risk FROM week_customers w WHERE c.customer_id = w.customer_id AND c.churn_risk <> w.churn_risk",
        `UPDATE opportunities o SET stage = w.stage, close_date = w.close_date, amount = w.amount, sales_owner = w.sales_owner FROM week_opps w
           WHERE o.opp_id = w.opp_id AND (o.stage, o.close_date, o.amount, o.sales_owner) IS DISTINCT FROM (w.stage, w.close_date, w.amount, w.sales_owner)`,
        "ROLLBACK",
      ]);
      console.log(`load average before the weekly import: ${load()}`);
      const ours = await runChild<ChildImport>(path.join(ROOT, "bench/import-child.ts"), [
        url,
        w.customers,
        w.opportunities,
        "",
        effectiveDate,
      ]);
      console.log(
        `weekly import phases (s): ${Object.entries(ours.phases)
          .map(([name, s]) => `${name} ${s}`)
          .join(", ")}`,
      );
      const changed = w.changedOpportunities + w.changedCustomers;
      report({
        db: "PostgreSQL",
        measure: `history: weekly import of the whole CRM (${w.opportunityRows.toLocaleString("en-US")} deals, ${changed.toLocaleString("en-US")} rows changed), rows/s`,
        ours: perSecond(w.opportunityRows / ours.seconds),
        floor: perSecond(w.opportunityRows / floorSeconds),
        ratio: ratio(ours.seconds, floorSeconds).replace("x", "x time"),
        target: ">= 50,000 rows/s",
      });
      report({
        db: "PostgreSQL",
        measure: "history: the same import, time per changed row",
        ours: ms((ours.seconds * 1000) / changed),
        floor: ms((floorSeconds * 1000) / changed),
        ratio: ratio(ours.seconds, floorSeconds),
        target: "-",
      });
    }
    rmSync(w.customers);
    rmSync(w.opportunities);
  }
  if (deltaSeconds.length > 0) {
    report({
      db: "PostgreSQL",
      measure: `history: ${deltaSeconds.length} weekly imports of the changed rows only (median ${median(deltaChanged)} rows)`,
      ours: `${median(deltaSeconds).toFixed(2)} s`,
      floor: "-",
      ratio: "-",
      target: "-",
    });
    report({
      db: "PostgreSQL",
      measure: "history: the same, time per changed row (median week)",
      ours: ms((median(deltaSeconds) * 1000) / median(deltaChanged)),
      floor: "-",
      ratio: "-",
      target: "-",
    });
    report({
      db: "PostgreSQL",
      measure: "history: VACUUM (ANALYZE) after each weekly import (autovacuum's work between two; median)",
      ours: `${median(vacuumSeconds).toFixed(2)} s`,
      floor: "-",
      ratio: "-",
      target: "-",
    });
  }
  const [versions] = await db.driver.withConnection((c) =>
    c.query<{ opportunities: number; customers: number }>(
      "SELECT (SELECT count(*)::int FROM opportunity_versions) AS opportunities, (SELECT count(*)::int FROM customer_versions) AS customers",
    ),
  );
  console.log(
    `history written in ${((performance.now() - started) / 1000).toFixed(0)} s: ${versions.opportunities.toLocaleString("en-US")} opportunity versions, ${versions.customers.toLocaleString("en-US")} customer versions`,
  );
}

// ---------------------------------------------------------------- load

/** A production build of the app in a copy of the tree (shared with the soak bench). */
const buildApp = () =>
  buildAppCopy(
    ROOT,
    env.BENCH_APP_DIR ?? path.join(os.tmpdir(), "pipeline-risk-bench-app"),
    Boolean(env.BENCH_APP_DIR),
  );

/** The part of autocannon's API used here (it ships no types). */
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}> & {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, milliseconds: number) => void): void;
};

/** A port nothing listens on now, from the OS (a fixed range met MariaDB's 3306 on these machines). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function runLoad(url: string, db: Database, floor: Floor): Promise<void> {
  const dir = buildApp();
  const port = Number(env.BENCH_PORT ?? (await freePort()));
  const server = spawn(...startCommand(dir, port), {
    cwd: dir,
    env: {
      ...appEnv(),
      DATABASE_URL: url,
      BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET ?? "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const origin = `http://127.0.0.1:${port}`;
  const page = `${origin}/`;
  try {
    // The page needs a session (an admin sees every row): one user, one sign-in (sign-in is rate limited).
    const email = `bench-${Date.now()}@bench.test`;
    const password = "bench-password-2026";
    await createUser(db.prisma, { email, role: "admin", password });
    for (let i = 0; ; i++) {
      const ok = await fetch(`${origin}/sign-in`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (i > 120) throw new Error("next start did not answer 200 within 60 s");
      await new Promise((r) => setTimeout(r, 500));
    }
    const signIn = await fetch(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email, password }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const headers = {
      cookie: signIn.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; "),
    };
    let htmlBytes = 0;
    const single = await medianMs(
      async () => {
        const response = await fetch(page, { headers, redirect: "manual" });
        if (response.status !== 200) throw new Error(`the dashboard answered ${response.status}`);
        htmlBytes = Buffer.byteLength(await response.text());
      },
      RUNS,
      3,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types; Autocannon above is the part used
    const autocannon = require("autocannon") as Autocannon;
    // Steady state: every server process has served the view once (npm start runs one per core; a
    // process's first view reads the database and fills its own read cache).
    await autocannon({ url: page, connections: LOAD_CONNECTIONS, duration: 5, headers });
    const loadBefore = load();
    // The connections all start at once, so the first round of requests queues behind itself (up
    // to 2x the steady latency): latencies count from the first WARM_SECONDS on, when arrivals have
    // spread as 20 users' would; the whole run's p99 (autocannon's) is reported beside.
    const started = performance.now();
    const steady: number[] = [];
    const run = autocannon({
      url: page,
      connections: LOAD_CONNECTIONS,
      duration: WARM_SECONDS + LOAD_SECONDS,
      headers,
    });
    run.on("response", (_client, _status, _bytes, milliseconds) => {
      if (performance.now() - started > WARM_SECONDS * 1000) steady.push(milliseconds);
    });
    const result = await run;
    steady.sort((a, b) => a - b);
    const steadyAt = (share: number) => steady[Math.min(steady.length - 1, Math.floor(steady.length * share))];
    console.log(`load average before the load: ${loadBefore}; after: ${load()}`);
    // Floor: the page's SQL (owner list, summary, first table page), 20 pg clients in a loop for the same time.
    const { client, log } = capturing(db.prisma);
    const repository = allOwnersRepository(client);
    const q = query("");
    await repository.listOwners();
    const ownerSql = [...log];
    log.length = 0;
    // As the page does it (lib/dashboard/pipeline-view.ts): the table's total is the summary's count.
    const summary = repository.summarize(q);
    await Promise.all([summary, repository.search(q, { total: summary.then((s) => s.totals.count) })]);
    const pageSql = [...log];
    const latencies: number[] = [];
    const until = performance.now() + Math.min(LOAD_SECONDS, 10) * 1000;
    await Promise.all(
      Array.from({ length: LOAD_CONNECTIONS }, async () => {
        while (performance.now() < until) {
          const started = performance.now();
          await Promise.all(ownerSql.map(floor));
          await Promise.all(pageSql.map(floor));
          latencies.push(performance.now() - started);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const floorRps = latencies.length / Math.min(LOAD_SECONDS, 10);
    const errors = result.errors + result.timeouts + result.non2xx;
    report({
      db: "PostgreSQL",
      measure: `dashboard HTML (${(htmlBytes / 1024).toFixed(0)} KiB), one request at a time (median)`,
      ours: ms(single),
      floor: "-",
      ratio: "-",
      target: "-",
    });
    report({
      db: "PostgreSQL",
      measure: `dashboard HTML under load: requests/s (${LOAD_CONNECTIONS} conns, ${LOAD_SECONDS} s after ${WARM_SECONDS} s)`,
      ours: (steady.length / LOAD_SECONDS).toFixed(1),
      floor: floorRps.toFixed(1),
      ratio: ratio(floorRps, steady.length / LOAD_SECONDS).replace("x", "x slower"),
      target: "-",
    });
    report({
      db: "PostgreSQL",
      measure: "dashboard HTML under load: p50 latency",
      ours: ms(steadyAt(0.5)),
      floor: ms(latencies[Math.floor(latencies.length * 0.5)]),
      ratio: ratio(steadyAt(0.5), latencies[Math.floor(latencies.length * 0.5)]),
      target: "-",
    });
    report({
      db: "PostgreSQL",
      measure: "dashboard HTML under load: p99 latency",
      ours: ms(steadyAt(0.99)),
      floor: ms(latencies[Math.floor(latencies.length * 0.99)]),
      ratio: ratio(steadyAt(0.99), latencies[Math.floor(latencies.length * 0.99)]),
      target: "<= 500 ms",
    });
    report({
      db: "PostgreSQL",
      measure: "dashboard HTML under load: p99 latency of the whole run, its first round included (autocannon's)",
      ours: ms(result.latency.p99),
      floor: "-",
      ratio: "-",
      target: "-",
    });
    report({
      db: "PostgreSQL",
      measure: "dashboard HTML under load: errors (errors + timeouts + non-2xx)",
      ours: String(errors),
      floor: "-",
      ratio: "-",
      target: "0",
    });
  } finally {
    server.kill("SIGTERM");
    await once(server, "close");
  }
}

// ---------------------------------------------------------------- main

/** What `npm run import` does after committing (the dashboard reads live until it is done). */
async function rebuildRollup(label: string, db: Database, rows: number): Promise<void> {
  const { seconds } = await measure(() => rebuildPipelineRollup(db, TODAY));
  report({
    db: label,
    measure: `summary rollup rebuild, ${rows.toLocaleString("en-US")} opportunities`,
    ours: `${seconds.toFixed(2)} s`,
    floor: "-",
    ratio: "-",
    target: "-",
  });
}

async function postgres(dir: string): Promise<void> {
  if (!BASE_URL) {
    console.log("BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL skipped.");
    return;
  }
  const reuse = env.BENCH_REUSE_URL;
  // BENCH_DATABASE_NAME: a database of that name (new), kept afterwards, for BENCH_REUSE_URL.
  const named = env.BENCH_DATABASE_NAME;
  const bench = reuse ? undefined : await throwawayDatabase(BASE_URL, "bench", named);
  const url = reuse ?? bench!.url;
  const db = await openDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: Number(env.DATABASE_POOL_SIZE ?? 10) });
  const floor: Floor = (sql) => pool.query(sql.text, sql.values);
  const floorInTransaction: FloorInTransaction = async (settings, statements) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      for (const setting of settings) await client.query(setting);
      for (const sql of statements) await client.query(sql.text, sql.values);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  };
  try {
    let owners: string[];
    let rows: number;
    if (reuse) {
      owners = (await pool.query<{ sales_owner: string }>("SELECT sales_owner FROM sales_teams ORDER BY 1")).rows.map(
        (r) => r.sales_owner,
      );
      rows = Number((await pool.query("SELECT count(*) AS n FROM opportunities")).rows[0].n);
    } else {
      const files = await writeDataFiles(dir, PG_ROWS);
      owners = files.owners;
      rows = PG_ROWS;
      await migrate(db.driver);
      console.log(`load average before import: ${load()}`);
      await runPostgresImport(url, db, files, rows);
      await pool.query("VACUUM ANALYZE");
      if (HISTORY_WEEKS > 0) await runHistory(url, db, files, dir);
      await pool.query("VACUUM ANALYZE");
    }
    await migrate(db.driver); // a reused database may predate the latest migration
    await rebuildRollup("PostgreSQL", db, rows);
    console.log(`PostgreSQL, ${rows.toLocaleString("en-US")} opportunities; load average ${load()}`);
    console.log(await machineSpeed(db));
    if (STEPS.has("reads")) await runReads("PostgreSQL", db, floor, owners, rows);
    if (STEPS.has("features")) await runFeatureReads("PostgreSQL", db, floor, floorInTransaction, owners, dir);
    if (STEPS.has("export")) await runPostgresExport(url, rows);
    if (STEPS.has("load")) {
      console.log(`load average before the load test: ${load()}`);
      await runLoad(url, db, floor);
    }
  } finally {
    await pool.end();
    await db.close();
    if ((env.BENCH_KEEP === "1" || named) && bench)
      console.log(`kept ${bench.url} (BENCH_REUSE_URL=${bench.url} to iterate; drop it when done)`);
    else await bench?.drop();
  }
}

async function pglite(dir: string): Promise<void> {
  const files = await writeDataFiles(dir, PGLITE_ROWS);
  const instance = await createPGlite();
  const db = pgliteDatabase(instance);
  try {
    await migrate(db.driver);
    const imported = await measure(() => importCrmFiles(db, files));
    if (imported.result.outcome !== "imported")
      throw new Error(imported.result.problems.map((p) => p.message).join("\n"));
    const floorDb = await createPGlite();
    await migrate(pgliteDatabase(floorDb).driver);
    const started = performance.now();
    for (const [table, file] of [
      ["customers", files.customers],
      ["opportunities", files.opportunities],
      ["sales_teams", files.teams],
    ]) {
      await floorDb.query(`COPY ${table} FROM '/dev/blob' WITH (FORMAT csv, HEADER)`, [], {
        blob: new Blob([readFileSync(file)]),
      });
    }
    const floorSeconds = (performance.now() - started) / 1000;
    await floorDb.close();
    report({
      db: "PGlite",
      measure: `import ${PGLITE_ROWS.toLocaleString("en-US")} opportunities (+ customers, teams), empty db`,
      ours: perSecond(PGLITE_ROWS / imported.seconds),
      floor: perSecond(PGLITE_ROWS / floorSeconds),
      ratio: ratio(imported.seconds, floorSeconds).replace("x", "x time"),
      target: "-",
    });
    await instance.query("VACUUM ANALYZE");
    await rebuildRollup("PGlite", db, PGLITE_ROWS);
    await runReads("PGlite", db, (sql) => instance.query(sql.text, sql.values), files.owners, PGLITE_ROWS);
    const repository = allOwnersRepository(db.prisma);
    await readCsvExport(repository, "owner=nobody", TODAY);
    const ours = await readCsvExport(repository, EXPORT_SEARCH, TODAY);
    if (ours.rows !== PGLITE_ROWS) throw new Error(`export wrote ${ours.rows} rows`);
    const floorStart = performance.now();
    await instance.query(exportSelectSql());
    const exportFloor = (performance.now() - floorStart) / 1000;
    report({
      db: "PGlite",
      measure: `CSV export, all ${PGLITE_ROWS.toLocaleString("en-US")} rows`,
      ours: perSecond(PGLITE_ROWS / ours.seconds),
      floor: perSecond(PGLITE_ROWS / exportFloor),
      ratio: ratio(ours.seconds, exportFloor).replace("x", "x time"),
      target: "-",
    });
  } finally {
    await db.close();
  }
}

/**
 * One core's speed as PostgreSQL sees it, to compare runs made on different machines (the VMs
 * these benchmarks run on have differed by up to 2x from one day to the next).
 */
async function machineSpeed(db: Database): Promise<string> {
  const count = () => db.driver.withConnection((c) => c.query("SELECT count(*) FROM generate_series(1, 5000000)"));
  const ms = await medianMs(count, 5, 1);
  return `machine speed: PostgreSQL counts generate_series(1, 5000000) in ${ms.toFixed(0)} ms (median of 5)`;
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "scale-bench-"));
  const started = performance.now();
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; asOf ${TODAY}; ${RUNS} measured runs per read after 2 warm-ups; load average ${load()}`,
  );
  try {
    if (["import", "history", "reads", "features", "export", "load"].some((step) => STEPS.has(step)))
      await postgres(dir);
    if (STEPS.has("pglite")) await pglite(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nload average at the end: ${load()}; total ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  console.log("| database | measure | ours | floor | ours / floor | target |");
  console.log("| --- | --- | ---: | ---: | ---: | --- |");
  for (const row of table)
    console.log(`| ${row.db} | ${row.measure} | ${row.ours} | ${row.floor} | ${row.ratio} | ${row.target} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
