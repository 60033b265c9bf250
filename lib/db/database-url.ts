import path from "node:path";

export const DEFAULT_PGLITE_DIR = "./data/pglite";

export type DatabaseTarget =
  { kind: "pglite"; dataDir: string } | { kind: "pglite-memory" } | { kind: "postgres"; url: string };

export class InvalidDatabaseUrl extends Error {
  constructor(value: string) {
    super(
      `DATABASE_URL "${redact(value)}" is not supported. Use one of: unset (embedded PGlite in ${DEFAULT_PGLITE_DIR}), ` +
        `"memory:" (in-memory PGlite), "pglite:<directory>" (PGlite in that directory), ` +
        `or "postgres://user@host:5432/db" / "postgresql://..." (PostgreSQL).`,
    );
    this.name = "InvalidDatabaseUrl";
  }
}

/** Which database DATABASE_URL names; relative PGlite directories resolve against `cwd`. */
export function parseDatabaseUrl(value: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const url = value?.trim() ?? "";
  if (url === "") return { kind: "pglite", dataDir: path.resolve(cwd, DEFAULT_PGLITE_DIR) };
  if (url === "memory:" || url === "memory://") return { kind: "pglite-memory" };
  if (url.startsWith("pglite:")) {
    const dir = url.slice("pglite:".length).replace(/^\/\/(?=\/)/, "");
    if (dir === "") throw new InvalidDatabaseUrl(value!);
    return { kind: "pglite", dataDir: path.resolve(cwd, dir) };
  }
  if (/^postgres(ql)?:\/\/./.test(url)) return { kind: "postgres", url };
  throw new InvalidDatabaseUrl(value!);
}

export function describeTarget(target: DatabaseTarget): string {
  switch (target.kind) {
    case "pglite":
      return `PGlite (${target.dataDir})`;
    case "pglite-memory":
      return "PGlite (in memory)";
    case "postgres":
      return `PostgreSQL (${redact(target.url)})`;
  }
}

/** Hides a password in a connection URL before it reaches a log or an error. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
