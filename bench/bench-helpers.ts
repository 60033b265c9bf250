/**
 * Shared by the benches (not tests): throwaway PostgreSQL databases, peak-RSS
 * measurement, medians, psql timing, and reading an export through the real handler.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { adminApiDeps } from "../lib/testing/viewers";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { handleExport } from "../lib/api/handle-export";
import type { PrismaClient } from "../lib/db/generated/client";
import type { SqlDriver } from "../lib/db/sql-driver";
import type { PipelineReadCache } from "../lib/gtm-prisma/pipeline-read-cache";
import type { HistoryClock } from "../lib/gtm-prisma/pipeline-source";
import { PrismaOpportunityRepository } from "../lib/gtm-prisma/prisma-opportunity-repository";
import { ALL_OWNERS } from "../lib/gtm/pipeline-scope";
import type { CalendarDate } from "../lib/gtm/calendar-date";
import type { OpportunityRepository } from "../lib/gtm/opportunity-repository";

/** Peak resident set size, sampled every 50 ms while `work` runs. */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      seconds: (performance.now() - started) / 1000,
      peakRssMiB: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20),
    };
  } finally {
    clearInterval(timer);
  }
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Median wall time in ms of `runs` calls after `warmup` unmeasured ones. */
export async function medianMs(work: () => Promise<unknown>, runs: number, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** A fresh database on the server of `baseUrl`; `drop` removes it. */
export async function throwawayDatabase(
  baseUrl: string,
  prefix = "bench",
  exactName?: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = exactName ?? `pipeline_risk_${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Runs psql commands (`-c` each) against `url`; returns wall seconds. */
export function psqlSeconds(url: string, commands: string[]): number {
  const started = performance.now();
  execFileSync("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", ...commands.flatMap((c) => ["-c", c])], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return (performance.now() - started) / 1000;
}

/** Runs a bench child script with tsx; it prints one JSON line last. */
export function runChild<T>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${out}`));
      const last = out.trim().split("\n").pop()!;
      resolve(JSON.parse(last) as T);
    });
  });
}

export interface ExportRead {
  seconds: number;
  bytes: number;
  /** Data rows (CSV lines minus the header). */
  rows: number;
}

/** Exports through the real /api/export handler and reads the body as a client would. */
export async function readCsvExport(
  repository: OpportunityRepository,
  search: string,
  today: CalendarDate,
): Promise<ExportRead> {
  const started = performance.now();
  const response = await handleExport(
    new Request(`http://bench/api/export?format=csv&${search}`),
    adminApiDeps(repository, () => today),
  );
  if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  const reader = response.body!.getReader();
  let bytes = 0;
  let newlines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) newlines++;
  }
  return { seconds: (performance.now() - started) / 1000, bytes, rows: newlines - 1 };
}

/** A repository that sees every owner's rows (the benches measure the whole data set). */
export function allOwnersRepository(
  prisma: PrismaClient,
  exportCursor?: SqlDriver,
  history?: HistoryClock,
  cache?: PipelineReadCache,
): PrismaOpportunityRepository {
  return new PrismaOpportunityRepository(prisma, ALL_OWNERS, { exportCursor, history, cache });
}

/**
 * A production build of the app in `dir`, a copy of the tree at `root` (node_modules
 * hard-linked), so it never races another `next build`. With `reuse`, an existing build is kept.
 */
export function buildAppCopy(root: string, dir: string, reuse = false): string {
  if (reuse && existsSync(path.join(dir, ".next/BUILD_ID"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const skip = new Set(["node_modules", ".next", ".git", "data", ".reports", "test-results", "playwright-report"]);
  const entries = execFileSync("ls", ["-A", root]).toString().split("\n").filter(Boolean);
  for (const entry of entries) if (!skip.has(entry)) execFileSync("cp", ["-r", path.join(root, entry), dir]);
  // Turbopack refuses a node_modules symlinked from outside the project root: hard-link
  // the files instead (instant on one filesystem), or copy them across filesystems.
  try {
    execFileSync("cp", ["-al", path.join(root, "node_modules"), dir], { stdio: "ignore" });
  } catch {
    rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
    execFileSync("cp", ["-r", path.join(root, "node_modules"), dir]);
  }
  const started = performance.now();
  execFileSync(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "build"], {
    cwd: dir,
    env: { ...appEnv(), NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  console.log(`next build in ${dir}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}

/** `npm start` in the built copy `dir` (scripts/serve.ts: a server process per core on PostgreSQL), on 127.0.0.1:`port`. */
export function startCommand(dir: string, port: number): [string, string[]] {
  return [
    process.execPath,
    ["--import", "tsx", path.join(dir, "scripts/serve.ts"), "-H", "127.0.0.1", "-p", String(port)],
  ];
}

/**
 * process.env without npm's variables: under `npm run`, npm_config_local_prefix and
 * friends name this tree, and a build or server in the copy must not look here.
 */
export function appEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD"),
  ) as NodeJS.ProcessEnv;
}
