import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SqlDriver } from "./sql-driver";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

// Prisma Migrate's own lock key, so our runner and `prisma migrate deploy` exclude each other too.
const ADVISORY_LOCK_KEY = 72707369;

// Shaped like Prisma's table so `prisma migrate deploy` on a connected machine agrees with us.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

/** Migrations in Prisma's layout (`<timestamp>_<name>/migration.sql`), in name order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations in order, each in its own transaction, under an
 * advisory lock so concurrent runs apply each migration once. Refuses to go on
 * when an applied migration's file has changed since, or a failed one is recorded.
 */
export async function migrate(
  driver: SqlDriver,
  migrations: Migration[] = readMigrations(),
): Promise<{ applied: string[] }> {
  return driver.withConnection(async (connection) => {
    await connection.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    try {
      await connection.exec(CREATE_MIGRATIONS_TABLE);
      const rows = await connection.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
      );
      const done = new Map(rows.map((row) => [row.migration_name, row]));
      const applied: string[] = [];
      for (const migration of migrations) {
        const row = done.get(migration.name);
        if (row) {
          if (row.finished_at === null) {
            throw new MigrationError(
              `Migration ${migration.name} is recorded as started but never finished; resolve it by hand before migrating.`,
            );
          }
          if (row.checksum !== migration.checksum) {
            throw new MigrationError(
              `Migration ${migration.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${migration.checksum.slice(0, 12)}… on disk). Add a new migration instead of editing an applied one.`,
            );
          }
          continue;
        }
        await connection
          .transaction(async (tx) => {
            await tx.exec(migration.sql);
            await tx.query(
              `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
              [randomUUID(), migration.checksum, migration.name],
            );
          })
          .catch((error: unknown) => {
            throw new MigrationError(
              `Migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
            );
          });
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      await connection.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
    }
  });
}
