import { createServer, type Server, Socket } from "node:net";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrate } from "../db/migrate";
import { type Database, openDatabase } from "../db/open-database";
import { generateDemoData } from "../demo/generate-demo-data";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import type { CalendarDate } from "../gtm/calendar-date";
import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { importCrmFiles } from "../import/import-crm-files";
import { postgresTestUrl } from "../testing/test-databases";
import { adminApiDeps } from "../testing/viewers";
import type { ApiDeps } from "./api-deps";
import { handleExport } from "./handle-export";
import { handleOpportunities } from "./handle-opportunities";
import { handleSummary } from "./handle-summary";

/**
 * A database outage, simulated with a TCP proxy between the app's pool and the shared
 * PostgreSQL server: cutting the proxy drops every connection and refuses new ones,
 * exactly what a stopped or unreachable server looks like to the driver, without
 * stopping the server other people use.
 */
class CuttableProxy {
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  bytes = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => this.sockets.delete(socket));
      }
      client.on("data", (chunk) => (this.bytes += chunk.length));
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    this.server.listen(this.port, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as { port: number }).port;
  }

  /** The outage: established connections reset, new ones refused. */
  async cut(): Promise<void> {
    const closed = this.server ? new Promise((resolve) => this.server!.close(resolve)) : Promise.resolve();
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    await closed;
    this.server = undefined;
  }
}

const today = "2026-11-24" as CalendarDate;
const adminUrl = postgresTestUrl();
const HANDLERS = {
  "/api/opportunities": handleOpportunities,
  "/api/summary": handleSummary,
  "/api/export": handleExport,
} as const;
const request = (route: string) => new Request(`http://localhost${route}?format=csv&risk=at-risk`);

describe.skipIf(!adminUrl)("database outage (PostgreSQL through a cuttable proxy)", () => {
  const name = `pipeline_risk_outage_${randomBytes(5).toString("hex")}`;
  let proxy: CuttableProxy;
  let db: Database;
  let direct: pg.Client;
  let deps: ApiDeps;
  let dir: string;

  beforeAll(async () => {
    if (!adminUrl) console.warn("\n*** TEST_DATABASE_URL is not set: the database outage tests are SKIPPED. ***\n");
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    direct = new pg.Client({ connectionString: url.toString() });
    await direct.connect();

    proxy = new CuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    db = await openDatabase(proxied.toString());
    await migrate(db.driver);
    const data = generateDemoData({ today, seed: 5, customers: 40, opportunities: 500, owners: 4 });
    await insertPipeline(db.prisma, data.customers, data.opportunities);
    deps = adminApiDeps(new PrismaOpportunityRepository(db.prisma, ALL_OWNERS), () => today);
    dir = mkdtempSync(path.join(tmpdir(), "outage-"));
  });

  afterAll(async () => {
    await proxy?.start().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await direct?.end().catch(() => undefined);
    await proxy?.cut();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const state = async () =>
    (
      await direct.query<{ state: string }>(
        `SELECT (SELECT count(*) FROM customers) || ' customers, ' || (SELECT count(*) || ' opportunities, sum ' || sum(amount) FROM opportunities) AS state`,
      )
    ).rows[0].state;

  it("answers 503 with Retry-After while the database is down, stays up, and recovers by itself when it returns", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const [route, handle] of Object.entries(HANDLERS)) {
      const response = await handle(request(route), deps);
      expect(response.status, route).toBe(200);
      await response.arrayBuffer();
    }

    await proxy.cut();
    for (let round = 0; round < 3; round++) {
      for (const [route, handle] of Object.entries(HANDLERS)) {
        const started = Date.now();
        const response = await handle(request(route), deps);
        expect(response.status, `${route} while down`).toBe(503);
        expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
        const body = await response.text();
        expect(body).toMatch(/database is unavailable/);
        expect(body).not.toMatch(/ECONN|at .*\.(ts|js)|Error:/);
        expect(Date.now() - started, "fails fast, does not hang").toBeLessThan(10_000);
      }
    }
    expect(error).toHaveBeenCalled();
    expect(String(error.mock.calls[0][0])).toContain("(database)");

    await proxy.start();
    // The first request after the database returns succeeds: the pool drops dead connections and opens new ones.
    for (const [route, handle] of Object.entries(HANDLERS)) {
      const response = await handle(request(route), deps);
      expect(response.status, `${route} after recovery`).toBe(200);
      await response.arrayBuffer();
    }
    error.mockRestore();
  });

  it("an import cut off by the outage leaves nothing half-written", async () => {
    const before = await state();
    const rows = 60_000;
    const customers = path.join(dir, "customers.csv");
    const opportunities = path.join(dir, "opportunities.csv");
    writeFileSync(
      customers,
      `customer_id,name,churn_risk\n${Array.from({ length: rows }, (_, i) => `X-${i},Outage Customer ${i},high`).join("\n")}\n`,
    );
    writeFileSync(
      opportunities,
      `opp_id,customer_id,stage,close_date,amount,sales_owner\n${Array.from({ length: rows }, (_, i) => `XO-${i},X-${i},proposal,2027-01-01,100.00,rep.x`).join("\n")}\n`,
    );

    const bytesBefore = proxy.bytes;
    const importing = importCrmFiles(db, { customers, opportunities }, { batchSize: 1_000 });
    // Cut once the import has sent a good part of its rows (staging is under way).
    while (proxy.bytes - bytesBefore < 1_500_000) await new Promise((resolve) => setTimeout(resolve, 5));
    await proxy.cut();
    await expect(importing).rejects.toThrow();
    await proxy.start();

    expect(await state()).toBe(before);
    const leftovers = await direct.query(`SELECT count(*)::int AS n FROM customers WHERE customer_id LIKE 'X-%'`);
    expect(leftovers.rows[0].n).toBe(0);

    // And the same import, run again once the database is back, goes through completely.
    const report = await importCrmFiles(db, { customers, opportunities }, { batchSize: 1_000 });
    expect(report.outcome).toBe("imported");
    expect(report.entities.opportunities?.inserted).toBe(rows);
  }, 120_000);
});
