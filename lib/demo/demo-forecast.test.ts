import { afterAll, beforeAll, expect, it } from "vitest";
import { PrismaForecastRepository } from "../gtm-prisma/prisma-forecast-repository";
import type { CalendarDate } from "../gtm/calendar-date";
import { forecastFigures } from "../gtm/forecast-figures";
import { quarterContaining, shiftQuarter } from "../gtm/forecast-period";
import { parsePipelineQuery } from "../gtm/pipeline-query";
import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { generateDemoData } from "./generate-demo-data";
import { seedDemoData } from "./seed-demo-data";

const today = "2026-11-24" as CalendarDate;

describeEachDatabase("demo forecast data", (kind) => {
  let db: TestDatabase;
  // Seeding 5,000 deals with their history takes well over the default hook timeout on a busy machine.
  beforeAll(async () => {
    db = await kind.create();
    await seedDemoData(db, today);
  }, 180_000);
  afterAll(() => db?.dispose());

  const forecastFor = (offset: number) =>
    new PrismaForecastRepository(db.prisma, ALL_OWNERS).forecast(
      shiftQuarter(quarterContaining(today), offset),
      parsePipelineQuery(new URLSearchParams(), today).query,
    );

  it("gives every demo owner a quota in the last 4, the current and the next 2 quarters, and the page something to show", async () => {
    const owners = generateDemoData({ today, opportunities: 0 })
      .teams.map((member) => member.salesOwner)
      .sort();
    for (const offset of [-4, -3, -2, -1, 0, 1, 2]) {
      const forecast = await forecastFor(offset);
      expect(forecast.rows.filter((row) => row.totals.quota.greaterThan(0)).map((row) => row.owner)).toEqual(owners);
    }
    expect((await forecastFor(3)).rows.every((row) => row.totals.quota.isZero())).toBe(true);
    const current = await forecastFor(0);
    const total = forecastFigures(current.total);
    expect(current.teams.map((team) => [team.manager, team.managerName])).toEqual([
      ["mgr.north", "Nora North"],
      ["mgr.south", "Sam South"],
    ]);
    expect(current.rows[0].ownerName).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    for (const figure of [total.won, total.pipeline, total.commit, total.weighted])
      expect(figure.greaterThan(0)).toBe(true);
    expect(total.bestCase.greaterThan(total.commit)).toBe(true);
    expect(total.riskAdjusted.lessThan(total.won.plus(total.weighted))).toBe(true);
    expect(total.winRate.n).toBeGreaterThan(0);
    expect(total.salesCycle.averageDays!.greaterThan(0)).toBe(true);
  });

  it("leaves existing deals as they were when seeded again", async () => {
    const before = await db.prisma.opportunity.findMany({
      select: { oppId: true, name: true, createdDate: true },
      orderBy: { oppId: "asc" },
      take: 50,
    });
    await db.prisma.opportunity.update({ where: { oppId: before[0].oppId }, data: { name: "Renamed by the CRM" } });
    await seedDemoData(db, "2026-12-01" as CalendarDate);
    const after = await db.prisma.opportunity.findMany({
      select: { oppId: true, name: true, createdDate: true },
      orderBy: { oppId: "asc" },
      take: 50,
    });
    expect(after).toEqual([{ ...before[0], name: "Renamed by the CRM" }, ...before.slice(1)]);
  });
});
