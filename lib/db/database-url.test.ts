import path from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidDatabaseUrl, parseDatabaseUrl, redact } from "./database-url";

describe("DATABASE_URL", () => {
  it("defaults to embedded PGlite in ./data/pglite", () => {
    expect(parseDatabaseUrl(undefined, "/srv/app")).toEqual({
      kind: "pglite",
      dataDir: path.resolve("/srv/app/data/pglite"),
    });
    expect(parseDatabaseUrl("  ", "/srv/app")).toEqual({
      kind: "pglite",
      dataDir: path.resolve("/srv/app/data/pglite"),
    });
  });

  it("selects in-memory PGlite, a PGlite directory, or PostgreSQL", () => {
    expect(parseDatabaseUrl("memory:")).toEqual({ kind: "pglite-memory" });
    expect(parseDatabaseUrl("pglite:./x", "/srv")).toEqual({ kind: "pglite", dataDir: "/srv/x" });
    expect(parseDatabaseUrl("postgres://u@h:5432/db")).toEqual({ kind: "postgres", url: "postgres://u@h:5432/db" });
    expect(parseDatabaseUrl("postgresql://u@h/db")).toEqual({ kind: "postgres", url: "postgresql://u@h/db" });
  });

  it("rejects anything else, naming the accepted forms and hiding the password", () => {
    expect(() => parseDatabaseUrl("mysql://root:secret@localhost/db")).toThrow(InvalidDatabaseUrl);
    expect(() => parseDatabaseUrl("mysql://root:secret@localhost/db")).toThrow(
      /memory:.*pglite:<directory>.*postgresql:\/\//,
    );
    expect(() => parseDatabaseUrl("mysql://root:secret@localhost/db")).not.toThrow(/secret/);
    expect(() => parseDatabaseUrl("file:./dev.db")).toThrow(InvalidDatabaseUrl);
  });

  it("redacts passwords", () => {
    expect(redact("postgres://app:hunter2@db:5432/x")).toBe("postgres://app:***@db:5432/x");
  });
});
