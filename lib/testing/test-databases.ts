import { createPGlite } from "../db/create-pglite";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, inject } from "vitest";
import { migrate } from "../db/migrate";
import { type Database, openDatabase, pgliteDatabase } from "../db/open-database";
import { pgliteDriver } from "../db/sql-driver";
import { adminQuery, databaseUrl, dropDatabase } from "./migrated-templates";

export interface TestDatabase extends Database {
  /** Closes the connection and deletes the throwaway database. */
  dispose(): Promise<void>;
}

export interface TestDatabaseKind {
  name: string;
  /** A new, empty database with the schema migrated unless `migrated: false`; `poolSize` sets PostgreSQL's pool. */
  create(options?: { migrated?: boolean; poolSize?: number }): Promise<TestDatabase>;
}

const postgresUrl = process.env.TEST_DATABASE_URL;
let warned = false;

// initdb and the migrations take seconds in PGlite; a dumped data directory loads in well under one.
// The global setup dumps them once per run (lib/testing/migrated-templates.ts).
const pgliteSnapshots = new Map<boolean, Promise<Blob>>();

function pgliteSnapshot(migrated: boolean): Promise<Blob> {
  let snapshot = pgliteSnapshots.get(migrated);
  if (!snapshot) {
    const dumps = inject("pgliteDumps");
    snapshot = dumps
      ? Promise.resolve(new Blob([readFileSync(migrated ? dumps.migrated : dumps.empty)]))
      : dumpFreshPGlite(migrated);
    pgliteSnapshots.set(migrated, snapshot);
  }
  return snapshot;
}

/** Without the global setup (a test run outside vitest.config.ts): made here, once per file. */
async function dumpFreshPGlite(migrated: boolean): Promise<Blob> {
  const pglite = await createPGlite();
  if (migrated) await migrate(pgliteDriver(pglite));
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  return dump;
}

const pgliteMemory: TestDatabaseKind = {
  name: "PGlite (in memory)",
  async create({ migrated = true } = {}) {
    const db = pgliteDatabase(await createPGlite(undefined, { loadDataDir: await pgliteSnapshot(migrated) }));
    return { ...db, dispose: db.close };
  },
};

/**
 * Each test database is its own PostgreSQL database, created from TEST_DATABASE_URL and dropped after;
 * a migrated one is a copy of the template the global setup migrated once for the run.
 */
const postgres: TestDatabaseKind = {
  name: "PostgreSQL",
  async create({ migrated = true, poolSize } = {}) {
    const name = `pipeline_risk_test_${randomBytes(6).toString("hex")}`;
    const template = migrated ? inject("migratedPostgresTemplate") : null;
    await adminQuery(postgresUrl!, `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    const db = await openDatabase(databaseUrl(postgresUrl!, name), { poolSize });
    if (migrated && !template) await migrate(db.driver);
    return {
      ...db,
      async dispose() {
        await db.close();
        await dropDatabase(postgresUrl!, name);
      },
    };
  },
};

export function postgresTestUrl(): string | undefined {
  return postgresUrl;
}

/**
 * Runs one suite on every database the product supports: in-memory PGlite always,
 * PostgreSQL when TEST_DATABASE_URL is set (skipped loudly otherwise).
 */
export function describeEachDatabase(title: string, suite: (kind: TestDatabaseKind) => void): void {
  describe(`${title} [${pgliteMemory.name}]`, () => suite(pgliteMemory));
  if (postgresUrl) {
    describe(`${title} [${postgres.name}]`, () => suite(postgres));
  } else {
    if (!warned) {
      console.warn(
        "\n*** TEST_DATABASE_URL is not set: the PostgreSQL variants of the database suites are SKIPPED. ***\n",
      );
      warned = true;
    }
    describe.skip(`${title} [PostgreSQL: skipped, TEST_DATABASE_URL not set]`, () => suite(postgres));
  }
}
