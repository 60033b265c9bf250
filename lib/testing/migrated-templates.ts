import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createPGlite } from "../db/create-pglite";
import { migrate } from "../db/migrate";
import { openDatabase } from "../db/open-database";
import { pgliteDriver } from "../db/sql-driver";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite data directories made once for the whole run, dumped to files (`dumpDataDir`): fresh, and migrated. */
    pgliteDumps: { empty: string; migrated: string };
    /** A PostgreSQL database migrated once for the whole run; test databases are created from it as a template. */
    migratedPostgresTemplate: string | null;
  }
}

/**
 * Vitest global setup: creates a PGlite database and runs every migration once per run, on PGlite and on PostgreSQL, and
 * hands the result to the test workers, which copy it for each test database instead of
 * migrating again (lib/testing/test-databases.ts). The migrations themselves are still
 * applied and checked from scratch on both databases by lib/db/migrate.test.ts.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(tmpdir(), "pipeline-risk-vitest-"));
  const postgresUrl = process.env.TEST_DATABASE_URL;
  const [dumps, template] = await Promise.all([
    pgliteDumps(dir),
    postgresUrl ? migratedPostgresTemplate(postgresUrl) : Promise.resolve(null),
  ]);
  project.provide("pgliteDumps", dumps);
  project.provide("migratedPostgresTemplate", template);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (postgresUrl && template) await dropDatabase(postgresUrl, template);
  };
}

async function pgliteDumps(dir: string): Promise<{ empty: string; migrated: string }> {
  const pglite = await createPGlite();
  const dump = async (name: string) => {
    const file = path.join(dir, `${name}.tar`);
    writeFileSync(file, Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer()));
    return file;
  };
  try {
    const empty = await dump("empty");
    await migrate(pgliteDriver(pglite));
    return { empty, migrated: await dump("migrated") };
  } finally {
    await pglite.close();
  }
}

async function migratedPostgresTemplate(postgresUrl: string): Promise<string> {
  const name = `pipeline_risk_template_${randomBytes(6).toString("hex")}`;
  await adminQuery(postgresUrl, `CREATE DATABASE "${name}"`);
  try {
    const db = await openDatabase(databaseUrl(postgresUrl, name), { poolSize: 1 });
    try {
      await migrate(db.driver);
    } finally {
      // CREATE DATABASE … TEMPLATE refuses a template that anyone is connected to.
      await db.close();
    }
    return name;
  } catch (error) {
    await dropDatabase(postgresUrl, name);
    throw error;
  }
}

export function databaseUrl(postgresUrl: string, name: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(postgresUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export function dropDatabase(postgresUrl: string, name: string): Promise<void> {
  return adminQuery(postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
