import { autoImplementMethods } from "next/dist/server/route-modules/app-route/helpers/auto-implement-methods";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as exportRoute from "@/app/api/export/route";
import { generateDemoData } from "../demo/generate-demo-data";
import { ExportIdleTimeout } from "../export/end-when-idle";
import { type ExportLimits, exportLimits } from "../export/export-limits";
import { exportCursorDriver } from "../gtm-prisma/export-cursor";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import type { CalendarDate } from "../gtm/calendar-date";
import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { adminApiDeps } from "../testing/viewers";
import type { ApiDeps, ExportAuditEntry } from "./api-deps";
import { handleExport, handleExportHead } from "./handle-export";
import { handleOpportunities } from "./handle-opportunities";
import { handleSummary } from "./handle-summary";

/**
 * Issue 13: one signed-in user could take the app down by holding export connections (HEAD
 * requests, or downloads read a little and then left open) until no request could get one.
 * With a pool of 4, exports may hold at most 2, and those only while their client reads.
 */

const today = "2026-11-24" as CalendarDate;
const POOL_SIZE = 4;
// Long enough for the steps a test takes while its downloads stall, on a busy machine.
const IDLE_TIMEOUT_MS = 3_000;
const SLOT_WAIT_MS = 200;

const request = (path: string, search = "") => new Request(`http://localhost${path}?${search}`);

/** `promise`, or a failure naming `what` if it has not settled in `ms` (a request that hangs fails the test, not the run). */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)),
  );
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe("HEAD /api/export in Next", () => {
  it("goes to the route's own HEAD handler, not to GET with its body dropped", () => {
    const methods = autoImplementMethods(exportRoute as unknown as Parameters<typeof autoImplementMethods>[0]);
    expect(methods.HEAD).toBe(exportRoute.HEAD);
    expect(methods.HEAD).not.toBe(exportRoute.GET);
  });
});

describeEachDatabase("exports cannot exhaust the connection pool", (kind) => {
  let db: TestDatabase;
  let deps: ApiDeps;
  const audited: ExportAuditEntry[] = [];
  const data = generateDemoData({ today, seed: 13, customers: 80, opportunities: 1_500, owners: 6 });

  beforeAll(async () => {
    db = await kind.create({ poolSize: POOL_SIZE });
    await insertPipeline(db.prisma, data.customers, data.opportunities);
    // As the server builds it: CSV exports read one COPY on a connection of their own on PostgreSQL.
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { exportCursor: exportCursorDriver(db) });
    deps = { ...adminApiDeps(repository, () => today), recordExport: async (_, entry) => void audited.push(entry) };
  }, 180_000);
  afterAll(() => db?.dispose());

  const freshLimits = (): ExportLimits =>
    exportLimits({ poolSize: POOL_SIZE, idleTimeoutMs: IDLE_TIMEOUT_MS, slotWaitMs: SLOT_WAIT_MS });
  const startExport = (search: string, limits: ExportLimits) =>
    within(10_000, handleExport(request("/api/export", search), deps, { limits }), `GET /api/export?${search}`);

  /** Connections to this database, other than the asking one, held by an export: sending a COPY or idle inside its transaction. */
  async function heldBackends(): Promise<number> {
    if (db.target.kind !== "postgres") return 0;
    // Asked on a connection of its own: the pool's may all be taken.
    const client = new pg.Client({ connectionString: db.target.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ held: number }>(
        `SELECT count(*)::int AS held FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
           AND (state LIKE 'idle in transaction%' OR (state = 'active' AND query LIKE 'COPY%'))`,
      );
      return rows[0].held;
    } finally {
      await client.end();
    }
  }

  /** Every connection of the pool at once (PostgreSQL; PGlite has one, shared by turns). */
  async function expectWholePool(): Promise<void> {
    if (db.target.kind !== "postgres") return;
    let connected = 0;
    let allConnected!: () => void;
    const all = new Promise<void>((resolve) => (allConnected = resolve));
    const connections = Array.from({ length: POOL_SIZE }, () =>
      db.driver.withConnection(async (connection) => {
        await connection.query("SELECT 1");
        if (++connected === POOL_SIZE) allConnected();
        await all;
      }),
    );
    await within(10_000, Promise.all(connections), `${POOL_SIZE} connections at once`);
  }

  async function expectPagesAnswer(): Promise<void> {
    const summary = await within(
      10_000,
      handleSummary(request("/api/summary", "status=all"), deps),
      "GET /api/summary",
    );
    expect(summary.status).toBe(200);
    expect(((await summary.json()) as { totals: { count: number } }).totals.count).toBe(data.opportunities.length);
    const page = await within(
      10_000,
      handleOpportunities(request("/api/opportunities", "pageSize=5"), deps),
      "GET /api/opportunities",
    );
    expect(page.status).toBe(200);
  }

  async function expectFullExport(limits: ExportLimits): Promise<void> {
    const response = await startExport("format=csv&columns=oppId&status=all", limits);
    expect(response.status).toBe(200);
    expect((await within(20_000, response.text(), "the whole export")).split("\r\n").filter(Boolean)).toHaveLength(
      data.opportunities.length + 1,
    );
  }

  it("answers HEAD with GET's status and headers, and starts no export, however many come", async () => {
    const limits = freshLimits();
    const search = "format=csv&sort=customerName.asc&risk=at-risk";
    audited.length = 0;
    for (let i = 0; i < POOL_SIZE * 3; i++) {
      const head = await within(5_000, handleExportHead(request("/api/export", search), deps), "HEAD /api/export");
      expect(head.status).toBe(200);
      expect(head.body).toBeNull();
      expect(head.headers.get("content-disposition")).toBe(
        "attachment; filename=\"pipeline-at-risk-2026-11-24.csv\"; filename*=UTF-8''pipeline-at-risk-2026-11-24.csv",
      );
    }
    expect(audited).toEqual([]);
    expect(limits.slots.inUse).toBe(0);
    expect(await heldBackends()).toBe(0);

    const get = await startExport(search, limits);
    expect(Object.fromEntries(get.headers)).toEqual(
      Object.fromEntries((await handleExportHead(request("/api/export", search), deps)).headers),
    );
    await get.arrayBuffer();
    // Refused exactly as GET refuses.
    const signedOut: ApiDeps = { ...deps, viewer: async () => null };
    for (const [who, bad] of [
      [signedOut, search],
      [deps, "format=pdf&minAmount=-1"],
    ] as const) {
      const [headAnswer, getAnswer] = [
        await handleExportHead(request("/api/export", bad), who),
        await handleExport(request("/api/export", bad), who, { limits }),
      ];
      expect(headAnswer.status).toBe(getAnswer.status);
      expect(Object.fromEntries(headAnswer.headers)).toEqual(Object.fromEntries(getAnswer.headers));
      expect(await headAnswer.text()).toBe(await getAnswer.text());
    }
    await expectPagesAnswer();
    await expectWholePool();
  });

  it("gives back the connection of an export body never read (how Next answered HEAD) after the idle timeout", async () => {
    const limits = freshLimits();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const dropped = [];
      for (let i = 0; i < limits.slots.capacity; i++) dropped.push(await startExport("format=csv", limits));
      expect(dropped.map((response) => response.status)).toEqual([200, 200]);
      if (db.target.kind === "postgres") expect(await heldBackends()).toBe(2);
      await vi.waitFor(async () => expect([limits.slots.inUse, await heldBackends()]).toEqual([0, 0]), {
        timeout: IDLE_TIMEOUT_MS + 10_000,
        interval: 100,
      });
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
    await expectPagesAnswer();
    await expectWholePool();
    await expectFullExport(limits);
  });

  it("keeps half the pool for the pages whatever slow downloads do: the rest wait 503, stalled ones are ended", async () => {
    const limits = freshLimits();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      // As many downloads as the pool has connections, each read a little and then left open.
      const started = Date.now();
      const responses = [];
      for (let i = 0; i < POOL_SIZE; i++) responses.push(await startExport("format=csv&sort=customerName.asc", limits));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 503, 503]);
      expect(Date.now() - started).toBeLessThan(2 * SLOT_WAIT_MS + 4_000);
      const busy = responses[2];
      expect(busy.headers.get("retry-after")).toBe("5");
      expect(((await busy.json()) as { error: string }).error).toMatch(/too many exports/i);
      const stalled = responses.slice(0, 2).map((response) => response.body!.getReader());
      for (const reader of stalled) expect((await reader.read()).value!.length).toBeGreaterThan(2_048);

      await expectPagesAnswer();

      // A cancelled download gives its slot back at once; an XLSX (keyset batches) counts like a CSV.
      await stalled.pop()!.cancel();
      const xlsx = await startExport("format=xlsx", limits);
      expect(xlsx.status).toBe(200);
      const xlsxReader = xlsx.body!.getReader();
      await xlsxReader.read();
      expect((await startExport("format=csv", limits)).status).toBe(503);

      // Then neither reads for longer than the idle timeout: both are ended and let go.
      await vi.waitFor(async () => expect([limits.slots.inUse, await heldBackends()]).toEqual([0, 0]), {
        timeout: IDLE_TIMEOUT_MS + 10_000,
        interval: 100,
      });
      await expect(stalled[0].read()).rejects.toThrow(ExportIdleTimeout);
      await expect(xlsxReader.read()).rejects.toThrow(ExportIdleTimeout);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("the client read nothing"));
    } finally {
      warn.mockRestore();
    }
    await expectWholePool();
    await expectFullExport(limits);
  });

  it("lets a download wait its turn for a slot that frees within the wait", async () => {
    const limits = exportLimits({ poolSize: 2, idleTimeoutMs: 60_000, slotWaitMs: 5_000 });
    const first = await startExport("format=csv", limits);
    const second = startExport("format=csv", limits);
    await first.arrayBuffer();
    expect((await second).status).toBe(200);
    await (await second).arrayBuffer();
    expect(limits.slots.inUse).toBe(0);
  });
});
