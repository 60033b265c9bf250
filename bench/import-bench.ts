/**
 * CRM import benchmark (not a test): generates a customers file and an opportunities
 * file, imports them into a throwaway PostgreSQL database (BENCH_DATABASE_URL or
 * TEST_DATABASE_URL; 1,000,000 opportunities) and into in-memory PGlite (100,000),
 * then imports the same files again (all unchanged). Prints rows/s and peak RSS.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm run bench:import
 *   BENCH_ROWS=200000 npm run bench:import      # smaller PostgreSQL run
 */
import { createPGlite } from "../lib/db/create-pglite";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { type Database, openDatabase, pgliteDatabase } from "../lib/db/open-database";
import { pgliteDriver } from "../lib/db/sql-driver";
import { importCrmFiles } from "../lib/import/import-crm-files";
import { measure } from "./bench-helpers";

const STAGES = ["prospecting", "qualification", "proposal", "closed_won", "closed_lost"];

async function writeLines(file: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
}

async function generate(dir: string, opportunities: number) {
  const customers = Math.max(1, Math.round(opportunities / 20));
  const files = {
    customers: path.join(dir, `customers-${opportunities}.csv`),
    opportunities: path.join(dir, `opportunities-${opportunities}.csv`),
  };
  await writeLines(
    files.customers,
    "customer_id,name,churn_risk",
    customers,
    (i) => `C-${i},"Customer ${i}, Inc.",${["low", "medium", "high"][i % 3]}`,
  );
  await writeLines(
    files.opportunities,
    "opp_id,customer_id,stage,close_date,amount,sales_owner",
    opportunities,
    (i) =>
      `O-${i},C-${(i * 7919) % customers},${STAGES[i % 5]},20${26 + (i % 3)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")},${(i % 100000) * 3}.${String(i % 100).padStart(2, "0")},rep.${i % 200}`,
  );
  return files;
}

/**
 * CPU seconds used so far by each server process connected to this database, read from
 * /proc (a local server only). CPU time, unlike wall time, hardly changes with the load
 * other work puts on the machine, so it compares two versions more reliably.
 */
async function serverCpuSeconds(db: Database): Promise<Map<number, number>> {
  const cpu = new Map<number, number>();
  if (db.target.kind !== "postgres") return cpu;
  const backends = await db.driver.withConnection((c) =>
    c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"),
  );
  for (const { pid } of backends) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in clock ticks of 1/100 s
    } catch {
      // Not a local server, or the backend has gone.
    }
  }
  return cpu;
}

async function run(label: string, db: Database, files: { customers: string; opportunities: string }, rows: number) {
  for (const pass of ["first import (all inserted)", "re-import (all unchanged)"]) {
    const phases: string[] = [];
    const serverBefore = await serverCpuSeconds(db);
    const nodeBefore = process.cpuUsage();
    const { result, seconds, peakRssMiB } = await measure(() =>
      importCrmFiles(db, files, { onPhase: (name, s) => phases.push(`${name} ${s.toFixed(2)}`) }),
    );
    const node = process.cpuUsage(nodeBefore);
    let server = 0;
    for (const [pid, cpu] of await serverCpuSeconds(db)) server += cpu - (serverBefore.get(pid) ?? 0);
    if (result.outcome !== "imported") throw new Error(`${label}: ${result.problems.map((p) => p.message).join("\n")}`);
    const o = result.entities.opportunities!;
    console.log(
      `${label.padEnd(11)} ${String(rows).padStart(9)} opps  ${pass.padEnd(28)} ${seconds.toFixed(1).padStart(6)} s  ${Math.round(
        rows / seconds,
      )
        .toLocaleString("en-US")
        .padStart(
          8,
        )} opp rows/s  peak RSS ${peakRssMiB} MiB  (inserted ${o.inserted}, updated ${o.updated}, unchanged ${o.unchanged})`,
    );
    console.log(
      `${"".padEnd(11)} CPU: node ${((node.user + node.system) / 1e6).toFixed(1)} s${db.target.kind === "postgres" ? `, server backends ${server.toFixed(1)} s` : ""}; phases (s): ${phases.join(", ")}`,
    );
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "import-bench-"));
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const pgRows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const pgliteRows = Number(process.env.BENCH_PGLITE_ROWS ?? 100_000);
  console.log(`Node ${process.version}, ${(await import("node:os")).cpus().length} CPUs; files in ${dir}`);
  try {
    if (postgresUrl) {
      const files = await generate(dir, pgRows);
      console.log(`opportunities file: ${(statSync(files.opportunities).size / 2 ** 20).toFixed(0)} MiB`);
      const name = `pipeline_risk_bench_${randomBytes(4).toString("hex")}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      const db = await openDatabase(url.toString());
      try {
        await migrate(db.driver);
        await run("PostgreSQL", db, files, pgRows);
      } finally {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      }
    } else {
      console.log("BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL run skipped.");
    }
    if (pgliteRows > 0) {
      const files = await generate(dir, pgliteRows);
      const pglite = await createPGlite();
      await migrate(pgliteDriver(pglite));
      const db = pgliteDatabase(pglite);
      try {
        await run("PGlite", db, files, pgliteRows);
      } finally {
        await db.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
