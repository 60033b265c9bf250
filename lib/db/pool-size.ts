import { positiveIntegerSetting } from "../positive-integer-setting";

export const DEFAULT_POOL_SIZE = 10;

/** PostgreSQL connections per server process (DATABASE_POOL_SIZE). */
export function databasePoolSize(env: Record<string, string | undefined> = process.env): number {
  return positiveIntegerSetting("DATABASE_POOL_SIZE", env.DATABASE_POOL_SIZE, DEFAULT_POOL_SIZE);
}
