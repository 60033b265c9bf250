/**
 * Soak test (issue 8; not a test, not in npm test): `next start` of a production build
 * on a throwaway PostgreSQL database under a steady mixed load for five minutes,
 * watching the server's memory.
 *
 *   SOAK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:soak
 *   SOAK_SECONDS=30 npm run bench:soak      # a short run
 *
 * Steps: build the app in a copy of the tree (bench-helpers' buildAppCopy; SOAK_APP_DIR
 * reuses an existing build), CREATE DATABASE pipeline_risk_soak_<hex>, migrate, insert
 * SOAK_ROWS generated opportunities (default 50,000 over 100 owners), create an admin
 * user and an API token, `next start` on a free port from 3400, sign in once (sign-in
 * is rate limited) for the page's session cookie, then autocannon with 20 connections
 * for SOAK_SECONDS (default 300) cycling through: the dashboard HTML (cookie), and with
 * `Authorization: Bearer <token>` /api/summary, /api/opportunities with varied
 * filters, sorts and pages, and a one-owner /api/export?format=csv. The next-server
 * process's VmRSS is read from /proc every 5 s. The database is dropped at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createApiToken } from "../lib/auth/api-tokens";
import { createUser } from "../lib/auth/users";
import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { insertPipeline } from "../lib/gtm-prisma/insert-pipeline";
import { today as todayInZone } from "../lib/today";
import { appEnv, buildAppCopy, startCommand, throwawayDatabase } from "./bench-helpers";

const env = process.env;
const SECONDS = Number(env.SOAK_SECONDS ?? 300);
const ROWS = Number(env.SOAK_ROWS ?? 50_000);
const OWNERS = Number(env.SOAK_OWNERS ?? 100);
const CONNECTIONS = Number(env.SOAK_CONNECTIONS ?? 20);
const SAMPLE_MS = 5_000;
const BASE_URL =
  env.SOAK_DATABASE_URL ??
  env.BENCH_DATABASE_URL ??
  env.TEST_DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
const ROOT = path.resolve(__dirname, "..");
const TODAY = todayInZone();
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const mib = (kib: number) => kib / 1024;

/** The part of autocannon's API used here (it ships no types). */
interface SoakRequest {
  method: "GET";
  path: string;
  headers: Record<string, string>;
  onResponse?: (status: number, body: string) => void;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: SoakRequest[];
}) => Promise<{
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  throughput: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}>;

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer().once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}..${from + 99}`);
}

const rssKiB = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return line ? Number(line.split(/\s+/)[1]) : NaN;
};

/** The next-server process: `next start` runs the server in a child named next-server (or itself, if not). */
function serverPid(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  for (const queue = [root]; queue.length > 0;) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  const comm = (pid: number) => readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  return tree.find((pid) => comm(pid).startsWith("next-server")) ?? tree.sort((a, b) => rssKiB(b) - rssKiB(a))[0];
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

function workload(owners: string[], cookie: string, token: string) {
  const api = { authorization: `Bearer ${token}` };
  const paths: { label: string; path: string; headers: Record<string, string> }[] = [];
  const page = (p: string) => paths.push({ label: "page", path: p, headers: { cookie } });
  const json = (label: string, p: string) => paths.push({ label, path: p, headers: api });
  const sorts = ["amount.desc", "closeDate.asc", "customerName.asc", "status.desc", "salesOwner.asc", "oppId.desc"];
  const filters = [
    "",
    "stage=prospecting&stage=qualification",
    `closeFrom=${TODAY}`,
    "risk=at-risk",
    "risk=overdue",
    "minAmount=50000",
    "q=a",
  ];
  for (let i = 0; i < 12; i++) {
    const owner = owners[(i * 7) % owners.length];
    if (i % 3 === 0) page(i % 2 ? `/?owner=${owner}&sort=${sorts[i % sorts.length]}` : "/");
    json("summary", `/api/summary${i % 2 ? `?owner=${owner}` : ""}`);
    const filter = filters[i % filters.length];
    json(
      "opportunities",
      `/api/opportunities?sort=${sorts[i % sorts.length]}&page=${1 + ((i * 5) % 20)}${filter ? `&${filter}` : ""}`,
    );
    json(
      "opportunities",
      `/api/opportunities?owner=${owner}&sort=${sorts[(i + 3) % sorts.length]}&page=${1 + (i % 3)}`,
    );
    if (i % 2 === 0) json("export", `/api/export?format=csv&owner=${owner}&sort=amount.desc`);
  }
  return paths;
}

async function main() {
  console.log(
    `Node ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${load()}`,
  );
  const dir = buildAppCopy(
    ROOT,
    env.SOAK_APP_DIR ?? path.join(os.tmpdir(), "pipeline-risk-soak-app"),
    Boolean(env.SOAK_APP_DIR),
  );
  const database = await throwawayDatabase(BASE_URL, "soak");
  let server: ChildProcess | undefined;
  const logFile = path.join(os.tmpdir(), `${database.name}.server.log`);
  try {
    const db = await openDatabase(database.url);
    const data = generateDemoData({
      today: TODAY,
      opportunities: ROWS,
      customers: Math.max(300, Math.round(ROWS / 10)),
      owners: OWNERS,
    });
    const owners = [...new Set(data.opportunities.map((o) => o.salesOwner))].sort();
    const email = "soak@bench.test";
    const password = `soak-${Math.random().toString(36).slice(2)}-password`;
    let token: string;
    try {
      await migrate(db.driver);
      await insertPipeline(db.prisma, data.customers, data.opportunities);
      await db.prisma.salesTeamMember.createMany({ data: data.teams });
      const user = await createUser(db.prisma, { email, role: "admin", password });
      token = (await createApiToken(db.prisma, user.id, "soak")).token;
    } finally {
      await db.close();
    }
    console.log(
      `${database.name}: ${ROWS.toLocaleString("en-US")} opportunities, ${data.customers.length} customers, ${owners.length} owners`,
    );

    const port = await freePort(Number(env.SOAK_PORT ?? 3400));
    const origin = `http://127.0.0.1:${port}`;
    const log = createWriteStream(logFile);
    server = spawn(...startCommand(dir, port), {
      cwd: dir,
      env: {
        ...appEnv(),
        DATABASE_URL: database.url,
        BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET ?? "soak-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.pipe(log);
    server.stderr!.pipe(log);
    for (let i = 0; ; i++) {
      const ok = await fetch(`${origin}/sign-in`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (i > 120) throw new Error(`next start did not answer within 60 s (log: ${logFile})`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // Once only: sign-in is limited to 5 attempts a minute per address.
    const signIn = await fetch(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email, password }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

    const paths = workload(owners, cookie, token);
    for (const p of paths) {
      const response = await fetch(origin + p.path, { headers: p.headers, redirect: "manual" });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`warm-up: ${p.path} answered ${response.status}`);
    }
    const failures = new Map<string, number>();
    const requests: SoakRequest[] = paths.map((p) => ({
      method: "GET",
      path: p.path,
      headers: p.headers,
      onResponse: (status, body) => {
        if (status >= 200 && status < 300) return;
        const key = `${status} ${p.label}: ${String(body).slice(0, 120)}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      },
    }));
    const counts: Record<string, number> = {};
    for (const p of paths) counts[p.label] = (counts[p.label] ?? 0) + 1;
    console.log(
      `workload: ${paths.length} requests cycled per connection (${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")})`,
    );

    const pid = serverPid(server.pid!);
    const samples: { t: number; kib: number }[] = [];
    const started = performance.now();
    const sample = () => samples.push({ t: (performance.now() - started) / 1000, kib: rssKiB(pid) });
    console.log(
      `server pid ${pid} (${readFileSync(`/proc/${pid}/comm`, "utf8").trim()}); load average before: ${load()}; ${CONNECTIONS} connections for ${SECONDS} s`,
    );
    sample();
    const timer = setInterval(sample, SAMPLE_MS);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types; Autocannon above is the part used
    const autocannon = require("autocannon") as Autocannon;
    const result = await autocannon({ url: origin, connections: CONNECTIONS, duration: SECONDS, requests });
    clearInterval(timer);
    sample();
    console.log(`load average after: ${load()}`);

    const at = (t: number) => samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best));
    const secondHalf = samples.filter((s) => s.t >= SECONDS / 2).map((s) => ({ x: s.t / 60, y: mib(s.kib) }));
    const statuses = Object.entries(result.statusCodeStats ?? {})
      .map(([code, s]) => `${code}: ${s.count}`)
      .join(", ");
    const serverLog = readFileSync(logFile, "utf8");
    const errorLines = serverLog.split("\n").filter((l) => /error|⨯|warn/i.test(l));
    const rows: [string, string][] = [
      ["duration", `${SECONDS} s, ${CONNECTIONS} connections`],
      ["requests", result.requests.total.toLocaleString("en-US")],
      ["requests/s", (result.requests.total / SECONDS).toFixed(1)],
      ["latency p50 / p99 / max", `${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms`],
      ["status codes", statuses],
      ["non-2xx", String(result.non2xx)],
      ["errors / timeouts", `${result.errors} / ${result.timeouts}`],
      [
        "RSS start / middle / end",
        `${mib(samples[0].kib).toFixed(0)} / ${mib(at(SECONDS / 2).kib).toFixed(0)} / ${mib(samples[samples.length - 1].kib).toFixed(0)} MiB`,
      ],
      [
        "RSS min / max",
        `${mib(Math.min(...samples.map((s) => s.kib))).toFixed(0)} / ${mib(Math.max(...samples.map((s) => s.kib))).toFixed(0)} MiB`,
      ],
      [
        "RSS slope, second half (least squares)",
        `${slope(secondHalf).toFixed(2)} MiB/min over ${secondHalf.length} samples`,
      ],
      ["server log lines matching error/warn", String(errorLines.length)],
    ];
    console.log("\n| measure | value |\n| --- | ---: |");
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
    console.log(
      `\nRSS samples (s: MiB): ${samples.map((s) => `${s.t.toFixed(0)}: ${mib(s.kib).toFixed(0)}`).join(", ")}`,
    );
    if (failures.size > 0) {
      console.log("\nnon-2xx responses:");
      for (const [k, n] of failures) console.log(`  ${n} x ${k}`);
    }
    if (errorLines.length > 0)
      console.log(`\nserver log (${logFile}), first error/warn lines:\n${errorLines.slice(0, 20).join("\n")}`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await once(server, "close");
    }
    await database.drop();
    console.log(`dropped ${database.name}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
