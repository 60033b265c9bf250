import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DatabaseTarget } from "../db/database-url";

export class MissingAuthSecret extends Error {
  constructor() {
    super(
      "BETTER_AUTH_SECRET is not set. Set it to a random string of at least 32 characters (for example: openssl rand -base64 32).",
    );
    this.name = "MissingAuthSecret";
  }
}

/**
 * The key that signs session cookies. On PostgreSQL it must be configured; on the
 * embedded database a random one is made once and kept beside the data, so a demo
 * needs no setup and sessions survive restarts.
 */
export function authSecret(target: DatabaseTarget, env = process.env.BETTER_AUTH_SECRET): string {
  if (env && env.length >= 32) return env;
  if (env) throw new MissingAuthSecret();
  if (target.kind === "postgres") throw new MissingAuthSecret();
  if (target.kind === "pglite-memory") return randomBytes(32).toString("base64url");
  const file = path.join(path.dirname(target.dataDir), `${path.basename(target.dataDir)}.auth-secret`);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return readFileSync(file, "utf8").trim();
}
