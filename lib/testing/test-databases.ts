import { createPGlite } from "../db/create-pglite";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";
import { migrate } from "../db/migrate";
import { type Database, openDatabase, pgliteDatabase } from "../db/open-database";
import { pgliteDriver } from "../db/sql-driver";

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

// initdb takes seconds in PGlite; a data directory dumped once per process loads in well under one.
const pgliteSnapshots = new Map<boolean, Promise<File | Blob>>();

function pgliteSnapshot(migrated: boolean): Promise<File | Blob> {
  let snapshot = pgliteSnapshots.get(migrated);
  if (!snapshot) {
    snapshot = (async () => {
      const pglite = await createPGlite();
      if (migrated) await migrate(pgliteDriver(pglite));
      const dump = await pglite.dumpDataDir("none");
      await pglite.close();
      return dump;
    })();
    pgliteSnapshots.set(migrated, snapshot);
  }
  return snapshot;
}

const pgliteMemory: TestDatabaseKind = {
  name: "PGlite (in memory)",
  async create({ migrated = true } = {}) {
    const db = pgliteDatabase(await createPGlite(undefined, { loadDataDir: await pgliteSnapshot(migrated) }));
    return { ...db, dispose: db.close };
  },
};

/** Each test file gets its own PostgreSQL database, created from TEST_DATABASE_URL and dropped after. */
const postgres: TestDatabaseKind = {
  name: "PostgreSQL",
  async create({ migrated = true, poolSize } = {}) {
    const name = `pipeline_risk_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    const db = await openDatabase(url.toString(), { poolSize });
    if (migrated) await migrate(db.driver);
    return {
      ...db,
      async dispose() {
        await db.close();
        const cleanup = new pg.Client({ connectionString: postgresUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await cleanup.end();
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
