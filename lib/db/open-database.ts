import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdirSync } from "node:fs";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { type DatabaseTarget, describeTarget, parseDatabaseUrl } from "./database-url";
import { PrismaClient } from "./generated/client";
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

/** Opens the database DATABASE_URL names (see parseDatabaseUrl for the accepted forms). */
export async function openDatabase(url: string | undefined = process.env.DATABASE_URL): Promise<Database> {
  const target = parseDatabaseUrl(url);
  const description = describeTarget(target);
  try {
    if (target.kind === "postgres") {
      const pool = new pg.Pool({ connectionString: target.url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
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
    if (target.kind === "pglite") mkdirSync(target.dataDir, { recursive: true });
    return pgliteDatabase(await PGlite.create(target.kind === "pglite" ? target.dataDir : undefined), target);
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
