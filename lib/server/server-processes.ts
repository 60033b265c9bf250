import { availableParallelism } from "node:os";
import type { DatabaseTarget } from "../db/database-url";
import { positiveIntegerSetting } from "../positive-integer-setting";

export class EmbeddedDatabaseIsOneProcess extends Error {
  constructor(workers: number) {
    super(
      `WEB_CONCURRENCY=${workers}: the embedded database (PGlite) belongs to one process; ` +
        `unset WEB_CONCURRENCY or set it to 1, or use PostgreSQL (DATABASE_URL=postgresql://...) for more.`,
    );
    this.name = "EmbeddedDatabaseIsOneProcess";
  }
}

/**
 * How many server processes `npm start` runs on one port (scripts/serve.ts). A page view is
 * CPU-bound Node work (React rendering, the session lookup), so one process keeps one core busy
 * whatever the machine has: on PostgreSQL, one per core unless WEB_CONCURRENCY says otherwise.
 * PGlite lives inside one process's memory, so it is always one.
 */
export function serverProcessCount(
  target: DatabaseTarget,
  env: Record<string, string | undefined> = process.env,
  cores = availableParallelism(),
): number {
  const embedded = target.kind !== "postgres";
  const workers = positiveIntegerSetting("WEB_CONCURRENCY", env.WEB_CONCURRENCY, embedded ? 1 : cores);
  if (embedded && workers > 1) throw new EmbeddedDatabaseIsOneProcess(workers);
  return workers;
}
