import { createPGlite } from "./create-pglite";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { type DatabaseTarget, describeTarget, parseDatabaseUrl } from "./database-url";
import { PrismaClient } from "./generated/client";
import { databasePoolSize } from "./pool-size";
import { pgDriver, pgliteDriver, type SqlDriver } from "./sql-driver";

export interface Database {
  prisma: PrismaClient;
  /** Raw driver on the same database, for migrations and bulk writes. */
  driver: SqlDriver;
  target: DatabaseTarget;
  description: string;
  close(): Promise<void>;
}

export class DatabaseUnavailable extends Error {
  constructor(description: string, cause: unknown) {
    super(`Cannot open ${description}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "DatabaseUnavailable";
  }
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connections in the pool (DATABASE_POOL_SIZE when not given). */
  poolSize?: number;
}

/** Opens the database DATABASE_URL names (see parseDatabaseUrl for the accepted forms). */
export async function openDatabase(
  url: string | undefined = process.env.DATABASE_URL,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const target = parseDatabaseUrl(url);
  const description = describeTarget(target);
  const poolSize = options.poolSize ?? databasePoolSize();
  try {
    if (target.kind === "postgres") {
      const pool = new pg.Pool({ connectionString: target.url, max: poolSize });
      // An idle connection dropped by the server (restart, outage) must not become an unhandled "error" event.
      pool.on("error", (error) => console.error(`[db] idle connection to ${description} lost: ${error.message}`));
      const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
      return {
        prisma,
        driver: pgDriver(pool),
        target,
        description,
        close: async () => {
          await prisma.$disconnect();
          await pool.end();
        },
      };
    }
    if (target.kind !== "pglite") return pgliteDatabase(await createPGlite(), target);
    mkdirSync(target.dataDir, { recursive: true });
    const unlock = lockDataDir(target.dataDir);
    try {
      const db = pgliteDatabase(await createPGlite(target.dataDir), target);
      return { ...db, close: () => db.close().finally(unlock) };
    } catch (error) {
      unlock();
      throw error;
    }
  } catch (error) {
    throw new DatabaseUnavailable(description, error);
  }
}

export function pgliteDatabase(pglite: PGlite, target: DatabaseTarget = { kind: "pglite-memory" }): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    driver: pgliteDriver(pglite),
    target,
    description: describeTarget(target),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/**
 * PGlite is single-process, and a second process opening the same data directory is
 * not refused: both run, and the writes of one are silently lost. A lock file beside
 * the directory (`<dir>.lock`, holding the pid) makes the second open fail instead,
 * naming the directory; a lock left by a process that no longer runs is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(path.dirname(path.resolve(dataDir)), `${path.basename(path.resolve(dataDir))}.lock`);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => {
        try {
          if (readFileSync(lockFile, "utf8").trim() === String(process.pid)) unlinkSync(lockFile);
        } catch {}
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = Number.parseInt(readFileSync(lockFile, "utf8").trim(), 10);
      if (holder > 0 && isRunning(holder)) {
        const who = holder === process.pid ? "this process (it is already open)" : `process ${holder}`;
        throw new Error(
          `the data directory ${path.resolve(dataDir)} is in use by ${who}; PGlite allows one process per directory (lock file ${lockFile})`,
        );
      }
      unlinkSync(lockFile);
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
