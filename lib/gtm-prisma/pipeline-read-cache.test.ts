import Decimal from "decimal.js";
import { afterEach, beforeEach, expect, it } from "vitest";
import { Prisma, type PrismaClient } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import { parseForecastPeriod } from "../gtm/forecast-period";
import { parsePipelineQuery } from "../gtm/pipeline-query";
import { ALL_OWNERS, ownersScope, type PipelineScope } from "../gtm/pipeline-scope";
import { aCustomer, anOpportunity } from "../testing/factories";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { insertPipeline } from "./insert-pipeline";
import { rebuildPipelineRollup } from "./pipeline-rollup";
import { PipelineReadCache } from "./pipeline-read-cache";
import { PrismaChangesRepository } from "./prisma-changes-repository";
import { PrismaForecastRepository } from "./prisma-forecast-repository";
import { PrismaOpportunityRepository } from "./prisma-opportunity-repository";

const today = "2026-12-01" as CalendarDate;
const query = (search = "") => parsePipelineQuery(new URLSearchParams(search), today).query;

/** The client, the statements it ran other than the cache's version reads, and how many version reads. */
function counting(prisma: PrismaClient): { client: PrismaClient; statements: string[]; versionReads: () => number } {
  const statements: string[] = [];
  let versionReads = 0;
  const client = new Proxy(prisma, {
    get(target, prop, receiver) {
      if (prop !== "$queryRaw") return Reflect.get(target, prop, receiver);
      return (strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        const sql = strings instanceof Prisma.Sql ? strings : Prisma.sql(strings, ...values);
        if (sql.text.includes("FROM pipeline_version")) versionReads++;
        else statements.push(sql.text);
        return target.$queryRaw(sql);
      };
    },
  });
  return { client, statements, versionReads: () => versionReads };
}

describeEachDatabase("pipeline read cache", (kind) => {
  let db: TestDatabase;
  const alice = aCustomer({ churnRisk: "high" });

  beforeEach(async () => {
    db = await kind.create();
    await insertPipeline(
      db.prisma,
      [alice],
      [
        anOpportunity(alice, {
          salesOwner: "rep.one",
          closeDate: "2026-12-10" as CalendarDate,
          amount: new Decimal("1000.00"),
        }),
        anOpportunity(alice, {
          salesOwner: "rep.two",
          closeDate: "2027-01-15" as CalendarDate,
          amount: new Decimal("250.00"),
        }),
      ],
    );
    await rebuildPipelineRollup(db, today);
  });
  afterEach(() => db?.dispose());

  function repositories(scope: PipelineScope = ALL_OWNERS) {
    const { client, statements } = counting(db.prisma);
    const cache = new PipelineReadCache(client);
    return {
      cached: new PrismaOpportunityRepository(client, scope, { cache }),
      uncached: new PrismaOpportunityRepository(db.prisma, scope),
      statements,
      cache,
    };
  }

  /** A write to the pipeline: a new customer with one 40.00 deal of rep.three. */
  async function addRepThreeDeal() {
    const bob = aCustomer({ churnRisk: "low" });
    const deal = anOpportunity(bob, {
      salesOwner: "rep.three",
      closeDate: "2026-12-20" as CalendarDate,
      amount: new Decimal("40.00"),
    });
    await insertPipeline(db.prisma, [bob], [deal]);
  }

  it("answers a view read before from memory, with the same figures, rows and owners", async () => {
    const { cached, uncached, statements } = repositories();
    const first = {
      summary: await cached.summarize(query()),
      page: await cached.search(query("sort=amount.desc")),
      owners: await cached.listOwners(),
    };
    expect(statements.length).toBeGreaterThan(0);
    statements.length = 0;
    const again = {
      summary: await cached.summarize(query()),
      page: await cached.search(query("sort=amount.desc")),
      owners: await cached.listOwners(),
    };
    expect(statements).toEqual([]);
    expect(again).toEqual(first);
    expect(again).toEqual({
      summary: await uncached.summarize(query()),
      page: await uncached.search(query("sort=amount.desc")),
      owners: await uncached.listOwners(),
    });
  });

  it("reads again after any write to the pipeline, through any path: the figures are the new ones", async () => {
    const { cached, uncached } = repositories();
    expect((await cached.summarize(query())).totals.amount.toFixed(2)).toBe("1250.00");

    await addRepThreeDeal();
    expect((await cached.summarize(query())).totals.amount.toFixed(2)).toBe("1290.00");
    expect(await cached.listOwners()).toEqual(["rep.one", "rep.three", "rep.two"]);

    // A customer's churn risk is part of the at-risk figure: a write to customers counts too.
    await db.prisma.$executeRaw`UPDATE customers SET churn_risk = 'low' WHERE customer_id = ${alice.customerId}`;
    const summary = await cached.summarize(query());
    expect(summary.totals.atRisk.toFixed(2)).toBe("0.00");
    expect(summary).toEqual(await uncached.summarize(query()));
    expect((await cached.search(query("risk=at-risk"))).total).toBe(0);
  });

  it("keeps nothing read while a write committed: the next read runs again", async () => {
    const { cache } = repositories();
    let loads = 0;
    const load = async () => {
      loads++;
      const [{ n }] = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM opportunities`;
      if (loads === 1)
        await db.prisma.$executeRaw`UPDATE opportunities SET amount = amount + 1 WHERE sales_owner = 'rep.one'`;
      return n;
    };
    await cache.read("count", load);
    await cache.read("count", load);
    expect(loads).toBe(2);
    await cache.read("count", load);
    expect(loads).toBe(2); // now kept: nothing was written during the second read
  });

  it("serves one request's reads for one version, read once: a page shows one state, the next page the new one", async () => {
    const { client, statements, versionReads } = counting(db.prisma);
    const cache = new PipelineReadCache(client);
    const page = () => new PrismaOpportunityRepository(client, ALL_OWNERS, { cache: cache.forRequest() });
    const view = async (repository: PrismaOpportunityRepository) => ({
      summary: await repository.summarize(query()),
      page: await repository.search(query("sort=amount.desc")),
      owners: await repository.listOwners(),
    });
    const first = await view(page());

    statements.length = 0;
    const before = versionReads();
    const again = page();
    expect(await view(again)).toEqual(first);
    expect(statements).toEqual([]);
    expect(versionReads() - before).toBe(1);

    await addRepThreeDeal();
    // The request under way keeps to the state it began with; the next one reads the new state.
    expect((await again.summarize(query())).totals.amount.toFixed(2)).toBe("1250.00");
    const next = page();
    expect((await next.summarize(query())).totals.amount.toFixed(2)).toBe("1290.00");
    expect(await next.listOwners()).toEqual(["rep.one", "rep.three", "rep.two"]);
  });

  it("keeps each viewer's scope apart", async () => {
    const { client } = counting(db.prisma);
    const cache = new PipelineReadCache(client);
    const repOne = new PrismaOpportunityRepository(client, ownersScope(["rep.one"]), { cache });
    const everyone = new PrismaOpportunityRepository(client, ALL_OWNERS, { cache });
    expect((await everyone.summarize(query())).totals.count).toBe(2);
    expect((await repOne.summarize(query())).totals.count).toBe(1);
    expect(await repOne.listOwners()).toEqual(["rep.one"]);
  });

  it("keeps the forecast, what changed and the at-risk trend too, and shows a quota, settings or team change at once", async () => {
    const { client, statements } = counting(db.prisma);
    const cache = new PipelineReadCache(client);
    const forecasts = new PrismaForecastRepository(client, ALL_OWNERS, undefined, cache);
    const changes = new PrismaChangesRepository(client, ALL_OWNERS, { today, timeZone: "UTC" }, cache);
    const pipeline = new PrismaOpportunityRepository(client, ALL_OWNERS, { cache });
    const q4 = parseForecastPeriod("2026-Q4");
    const window = { query: query(), from: "2026-11-20" as CalendarDate, to: today };
    const trendDays = ["2026-11-24", today] as CalendarDate[];
    const read = async () => ({
      forecast: await forecasts.forecast(q4, query()),
      changes: await changes.summarize(window),
      trend: await pipeline.atRiskTrend(query(), trendDays),
      starts: await pipeline.historyStarts(),
    });
    const first = await read();
    statements.length = 0;
    expect(await read()).toEqual(first);
    expect(statements).toEqual([]);

    const repOne = () => forecasts.forecast(q4, query()).then((f) => f.rows.find((row) => row.owner === "rep.one")!);
    await db.prisma.$executeRaw`INSERT INTO quotas (sales_owner, period, amount) VALUES ('rep.one', '2026-Q4', 5000)`;
    expect((await repOne()).totals.quota.toFixed(2)).toBe("5000.00");
    await db.prisma
      .$executeRaw`UPDATE forecast_settings SET prospecting_probability = 0, qualification_probability = 0, proposal_probability = 0`;
    expect((await repOne()).totals.weighted.toFixed(2)).toBe("0.00");
    await db.prisma
      .$executeRaw`INSERT INTO sales_teams (sales_owner, manager, owner_name) VALUES ('rep.one', 'boss', 'Rep One')`;
    expect((await repOne()).ownerName).toBe("Rep One");
    expect(await forecasts.forecast(q4, query())).toEqual(
      await new PrismaForecastRepository(db.prisma, ALL_OWNERS).forecast(q4, query()),
    );
  });
});
