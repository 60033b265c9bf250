import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { seedDemoData } from "../demo/seed-demo-data";
import type { CalendarDate } from "../gtm/calendar-date";
import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { parsePipelineQuery } from "../gtm/pipeline-query";
import { aCustomer, anOpportunity } from "../testing/factories";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { insertPipeline } from "./insert-pipeline";
import { keepPipelineRollupCurrent, readRollupState, rebuildPipelineRollup } from "./pipeline-rollup";
import { PrismaOpportunityRepository } from "./prisma-opportunity-repository";

const monday = "2026-11-23" as CalendarDate;
const tuesday = "2026-11-24" as CalendarDate;
/** The upkeep's clock: one per test file, so each database's suite starts past the other's last check. */
let clock = 0;
const minutesLater = (minutes: number) => (clock += minutes * 60_000);

describeEachDatabase("pipeline rollup upkeep", (kind) => {
  let db: TestDatabase;
  const groups = async () => (await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pipeline_rollup`)[0].n;

  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(() => db?.dispose());

  it("is rebuilt by the seed, in the seed's transaction", async () => {
    await seedDemoData(db, monday);
    expect(await readRollupState(db.prisma)).toEqual({ asOf: monday, fresh: true });
    expect(await groups()).toBeGreaterThan(0);
  });

  it("is rebuilt in the background by the server when the day changes or a write made it stale, at most once a minute", async () => {
    const summaryOn = (day: CalendarDate) =>
      new PrismaOpportunityRepository(db.prisma, ALL_OWNERS).summarize(parsePipelineQuery(new URLSearchParams(), day).query);
    const live = await summaryOn(tuesday); // the rollup is Monday's: Tuesday's month is read live

    await keepPipelineRollupCurrent(db, tuesday, minutesLater(2));
    expect(await readRollupState(db.prisma)).toEqual({ asOf: tuesday, fresh: true });
    expect(await summaryOn(tuesday)).toEqual(live);

    const customer = aCustomer({ churnRisk: "high" });
    await insertPipeline(db.prisma, [customer], [anOpportunity(customer, { closeDate: tuesday })]);
    expect((await readRollupState(db.prisma)).fresh).toBe(false);
    expect(keepPipelineRollupCurrent(db, tuesday, minutesLater(0.5))).toBeUndefined(); // checked 30 s ago
    expect((await readRollupState(db.prisma)).fresh).toBe(false);
    await keepPipelineRollupCurrent(db, tuesday, minutesLater(1));
    expect(await readRollupState(db.prisma)).toEqual({ asOf: tuesday, fresh: true });
  });

  it("keeps readers on the live query when a rebuild fails, and says so in the log", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = { prisma: db.prisma, driver: { withConnection: () => Promise.reject(new Error("connection refused")) } };
    await db.prisma.$executeRaw`UPDATE pipeline_rollup_state SET fresh = false`;
    await keepPipelineRollupCurrent(broken, tuesday, minutesLater(2));
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("connection refused"));
    expect((await readRollupState(db.prisma)).fresh).toBe(false);
    errors.mockRestore();
  });

  it("lets concurrent rebuilds take turns without losing or doubling a group", async () => {
    await Promise.all([rebuildPipelineRollup(db, tuesday), rebuildPipelineRollup(db, tuesday), rebuildPipelineRollup(db, monday)]);
    const [{ opportunities }] = await db.prisma.$queryRaw<{ opportunities: number }[]>`SELECT sum(opportunity_count)::int AS opportunities FROM pipeline_rollup`;
    expect(opportunities).toBe(await db.prisma.opportunity.count());
    expect((await readRollupState(db.prisma)).fresh).toBe(true);
  });
});
