import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../db/database-url";
import { EmbeddedDatabaseIsOneProcess, serverProcessCount } from "./server-processes";

const postgres = parseDatabaseUrl("postgresql://app@db:5432/pipeline");
const embedded = parseDatabaseUrl(undefined, "/srv/app");

describe("how many server processes npm start runs", () => {
  it("runs one per core on PostgreSQL, or WEB_CONCURRENCY", () => {
    expect(serverProcessCount(postgres, {}, 8)).toBe(8);
    expect(serverProcessCount(postgres, { WEB_CONCURRENCY: "3" }, 8)).toBe(3);
  });

  it("runs exactly one on the embedded database, and refuses more with the way out", () => {
    expect(serverProcessCount(embedded, {}, 8)).toBe(1);
    expect(serverProcessCount(parseDatabaseUrl("memory:"), { WEB_CONCURRENCY: "1" }, 8)).toBe(1);
    expect(() => serverProcessCount(embedded, { WEB_CONCURRENCY: "2" }, 8)).toThrow(EmbeddedDatabaseIsOneProcess);
    expect(() => serverProcessCount(embedded, { WEB_CONCURRENCY: "2" }, 8)).toThrow(/use PostgreSQL/);
  });

  it("names a WEB_CONCURRENCY that is not a positive whole number", () => {
    expect(() => serverProcessCount(postgres, { WEB_CONCURRENCY: "two" }, 8)).toThrow(/WEB_CONCURRENCY "two"/);
    expect(() => serverProcessCount(postgres, { WEB_CONCURRENCY: "0" }, 8)).toThrow(/WEB_CONCURRENCY "0"/);
  });
});
