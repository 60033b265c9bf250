import Decimal from "decimal.js";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { seedDemoData } from "../demo/seed-demo-data";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import type { Customer } from "../gtm/customer";
import type { Opportunity } from "../gtm/opportunity";
import { parsePipelineQuery } from "../gtm/pipeline-query";
import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { aCustomer, anOpportunity } from "../testing/factories";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { insertPipeline } from "./insert-pipeline";
import {
  keepPipelineRollupCurrent,
  readRollupState,
  rebuildPipelineRollup,
  refreshPipelineRollup,
} from "./pipeline-rollup";
import { PrismaOpportunityRepository } from "./prisma-opportunity-repository";

const monday = "2026-11-23" as CalendarDate;
const tuesday = "2026-11-24" as CalendarDate;

/**
 * A clock of its own for one test. The upkeep remembers its last check for the whole process,
 * so each clock starts a day past every clock made before it, whatever order tests run in.
 */
let clocksMade = 0;
function upkeepClock(): (minutesLater: number) => number {
  let now = ++clocksMade * 24 * 60 * 60_000;
  return (minutesLater) => (now += minutesLater * 60_000);
}

function within<T>(ms: number, work: Promise<T>, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A high-churn customer with deals this month and next, for one owner. */
function aPipeline(owner: string): { customer: Customer; opportunities: Opportunity[] } {
  const customer = aCustomer({ churnRisk: "high" });
  const opportunities = [
    anOpportunity(customer, { salesOwner: owner, closeDate: addDays(monday, 3), amount: new Decimal("500.00") }),
    anOpportunity(customer, { salesOwner: owner, closeDate: addDays(monday, 30), amount: new Decimal("250.50") }),
    anOpportunity(customer, {
      salesOwner: owner,
      closeDate: addDays(monday, -2),
      amount: new Decimal("75.25"),
      stage: "closed_won",
    }),
  ];
  return { customer, opportunities };
}

describeEachDatabase("pipeline rollup upkeep", (kind) => {
  let db: TestDatabase;
  const groups = async () =>
    (await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pipeline_rollup`)[0].n;
  const summaryOf = (search: string, day: CalendarDate) =>
    new PrismaOpportunityRepository(db.prisma, ALL_OWNERS).summarize(
      parsePipelineQuery(new URLSearchParams(search), day).query,
    );
  const insert = ({ customer, opportunities }: { customer: Customer; opportunities: Opportunity[] }) =>
    insertPipeline(db.prisma, [customer], opportunities);

  beforeEach(async () => {
    db = await kind.create();
  });
  afterEach(() => db?.dispose());

  it("is rebuilt by the seed, in the seed's transaction", async () => {
    await seedDemoData(db, monday);
    expect(await readRollupState(db.prisma)).toEqual({ asOf: monday, fresh: true });
    expect(await groups()).toBeGreaterThan(0);
  }, 120_000); // the seed writes half a year of weekly history

  it("is rebuilt in the background by the server when the day changes or a write made it stale, at most once a minute", async () => {
    const minutesLater = upkeepClock();
    await insert(aPipeline("rep.one"));
    await rebuildPipelineRollup(db, monday);
    const live = await summaryOf("", tuesday); // the rollup is Monday's: Tuesday's month is read live

    await keepPipelineRollupCurrent(db, tuesday, minutesLater(2));
    expect(await readRollupState(db.prisma)).toEqual({ asOf: tuesday, fresh: true });
    expect(await summaryOf("", tuesday)).toEqual(live);

    const customer = aCustomer({ churnRisk: "high" });
    await insertPipeline(db.prisma, [customer], [anOpportunity(customer, { closeDate: tuesday })]);
    expect((await readRollupState(db.prisma)).fresh).toBe(false);
    expect(keepPipelineRollupCurrent(db, tuesday, minutesLater(0.5))).toBeUndefined(); // checked 30 s ago
    expect((await readRollupState(db.prisma)).fresh).toBe(false);
    await keepPipelineRollupCurrent(db, tuesday, minutesLater(1));
    expect(await readRollupState(db.prisma)).toEqual({ asOf: tuesday, fresh: true });
  });

  it("keeps readers on the live query when a rebuild fails, and says so in the log", async () => {
    const minutesLater = upkeepClock();
    await insert(aPipeline("rep.one"));
    await rebuildPipelineRollup(db, tuesday);
    await insert(aPipeline("rep.two"));
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const broken = {
        prisma: db.prisma,
        driver: { withConnection: () => Promise.reject(new Error("connection refused")) },
      };
      await keepPipelineRollupCurrent(broken, tuesday, minutesLater(2));
      expect(errors).toHaveBeenCalledWith(expect.stringContaining("connection refused"));
    } finally {
      errors.mockRestore();
    }
    expect((await readRollupState(db.prisma)).fresh).toBe(false);
    expect((await summaryOf("owner=rep.two", tuesday)).totals.openPipeline.toFixed(2)).toBe("750.50");
  });

  it("lets concurrent rebuilds take turns without losing or doubling a group", async () => {
    await insert(aPipeline("rep.one"));
    await insert(aPipeline("rep.two"));
    await Promise.all([
      rebuildPipelineRollup(db, tuesday),
      rebuildPipelineRollup(db, tuesday),
      rebuildPipelineRollup(db, monday),
    ]);
    const [{ opportunities }] = await db.prisma.$queryRaw<
      { opportunities: number }[]
    >`SELECT sum(opportunity_count)::int AS opportunities FROM pipeline_rollup`;
    expect(opportunities).toBe(6);
    expect((await readRollupState(db.prisma)).fresh).toBe(true);
  });

  it("is stale after any write to opportunities or customers, and current again after a rollback", async () => {
    const { customer, opportunities } = aPipeline("rep.one");
    await insert({ customer, opportunities });
    const writes: [string, () => Promise<unknown>][] = [
      [
        "update an opportunity",
        () => db.prisma.opportunity.update({ where: { oppId: opportunities[0].oppId }, data: { amount: "501.00" } }),
      ],
      ["delete an opportunity", () => db.prisma.opportunity.delete({ where: { oppId: opportunities[1].oppId } })],
      ["insert an opportunity", () => insertPipeline(db.prisma, [], [anOpportunity(customer)])],
      [
        "change a customer's churn risk",
        () => db.prisma.customer.update({ where: { customerId: customer.customerId }, data: { churnRisk: "low" } }),
      ],
      ["insert a customer", () => insertPipeline(db.prisma, [aCustomer()], [])],
    ];
    for (const [write, run] of writes) {
      await rebuildPipelineRollup(db, monday);
      expect((await readRollupState(db.prisma)).fresh, write).toBe(true);
      await run();
      expect((await readRollupState(db.prisma)).fresh, write).toBe(false);
    }
    await rebuildPipelineRollup(db, monday);
    const rolledBack = new Error("rolled back");
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.opportunity.update({ where: { oppId: opportunities[0].oppId }, data: { amount: "9999.00" } });
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await readRollupState(db.prisma)).toEqual({ asOf: monday, fresh: true });
  });

  it("stays stale after a write that follows the rebuild in the writer's own transaction", async () => {
    const { customer, opportunities } = aPipeline("rep.one");
    await db.prisma.$transaction(async (tx) => {
      await insertPipeline(tx, [customer], opportunities);
      await refreshPipelineRollup((statement) => tx.$executeRaw(statement), monday);
      await tx.opportunity.update({ where: { oppId: opportunities[0].oppId }, data: { amount: "1500.00" } });
    });
    expect(await readRollupState(db.prisma)).toEqual({ asOf: monday, fresh: false });
    expect((await summaryOf("", monday)).totals.openPipeline.toFixed(2)).toBe("1750.50");
  });

  // Two connections with a controlled commit order: PostgreSQL only (PGlite has one connection).
  it.skipIf(kind.name !== "PostgreSQL").each(["stale", "current"])(
    "never calls the rollup current when a write committed while it was rebuilt (rollup %s before the write)",
    async (before) => {
      const race = aPipeline("rep.race");
      await insert(race);
      await rebuildPipelineRollup(db, monday);
      if (before === "stale") await insert(aPipeline("rep.other"));
      const opened = (await summaryOf("owner=rep.race", monday)).totals.openPipeline;

      // The writer's transaction stays open while a rebuild runs and finishes, then commits.
      await db.driver.withConnection((writer) =>
        writer.transaction(async (tx) => {
          await tx.query("UPDATE opportunities SET amount = amount + 1000000 WHERE opp_id = $1", [
            race.opportunities[0].oppId,
          ]);
          await within(15_000, rebuildPipelineRollup(db, monday), "the rebuild waited for the open write");
        }),
      );

      expect(await readRollupState(db.prisma)).toEqual({ asOf: monday, fresh: false });
      expect((await summaryOf("owner=rep.race", monday)).totals.openPipeline.toFixed(2)).toBe(
        opened.plus(1_000_000).toFixed(2),
      );
      await rebuildPipelineRollup(db, monday);
      expect((await readRollupState(db.prisma)).fresh).toBe(true);
      expect((await summaryOf("owner=rep.race", monday)).totals.openPipeline.toFixed(2)).toBe(
        opened.plus(1_000_000).toFixed(2),
      );
    },
  );
});
