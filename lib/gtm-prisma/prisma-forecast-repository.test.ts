import Decimal from "decimal.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { forecastFigures } from "../gtm/forecast-figures";
import { parseForecastPeriod } from "../gtm/forecast-period";
import { DEFAULT_FORECAST_SETTINGS, type ForecastSettings } from "../gtm/forecast-settings";
import { parsePipelineQuery, type PipelineQuery } from "../gtm/pipeline-query";
import { ALL_OWNERS, ownersScope, type PipelineScope } from "../gtm/pipeline-scope";
import { aCustomer } from "../testing/factories";
import { aForecastDeal, figuresText, storeForecastData } from "../testing/forecast-data";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { PrismaForecastRepository } from "./prisma-forecast-repository";
import { listForecastSettingsAudit, readForecastSettings, updateForecastSettings } from "./prisma-forecast-settings";

const asOf = "2026-11-24" as CalendarDate;
const q4 = parseForecastPeriod("2026-Q4");
const query = (search = ""): PipelineQuery => parsePipelineQuery(new URLSearchParams(search), asOf).query;
const money = (value: string) => new Decimal(value);

describeEachDatabase("PrismaForecastRepository", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(() => db?.dispose());

  const forecast = (scope: PipelineScope = ALL_OWNERS, search = "", period = q4) =>
    new PrismaForecastRepository(db.prisma, scope).forecast(period, query(search));
  const figuresOf = async (owner: string, scope?: PipelineScope, search?: string) => {
    const row = (await forecast(scope, search)).rows.find((r) => r.owner === owner);
    return row && figuresText(forecastFigures(row.totals));
  };

  const low = aCustomer({ churnRisk: "low" });
  const high = aCustomer({ churnRisk: "high" });

  it("rounds each deal's weighted amount and haircut half-even at the half cent, where ROUND would go up", async () => {
    await storeForecastData(db.prisma, {
      customers: [low, high],
      deals: [
        aForecastDeal(low, { salesOwner: "ana", amount: money("0.05"), probability: 50 }), // 0.025 -> 0.02
        aForecastDeal(low, { salesOwner: "ana", amount: money("0.07"), probability: 50 }), // 0.035 -> 0.04
        aForecastDeal(low, { salesOwner: "ben", amount: money("12.34"), stage: "qualification" }), // 25 %: 3.085 -> 3.08
        aForecastDeal(high, { salesOwner: "cara", amount: money("0.10"), probability: 50 }), // weighted 0.05, haircut 0.025 -> 0.02
      ],
    });
    expect(await figuresOf("ana")).toMatchObject({ weighted: "0.06", riskAdjusted: "0.06" });
    expect(await figuresOf("ben")).toMatchObject({ weighted: "3.08" });
    expect(await figuresOf("cara")).toMatchObject({ weighted: "0.05", riskAdjusted: "0.03" });
  });

  it("leaves omitted deals out of pipeline, commit, best case and weighted, but a won one counts as won", async () => {
    await storeForecastData(db.prisma, {
      customers: [low],
      deals: [
        aForecastDeal(low, { salesOwner: "ana", amount: money("100.00"), forecastCategory: "omitted" }),
        aForecastDeal(low, {
          salesOwner: "ana",
          amount: money("10.00"),
          forecastCategory: "commit",
          stage: "prospecting",
        }),
        aForecastDeal(low, { salesOwner: "ana", amount: money("20.00"), stage: "proposal" }),
        aForecastDeal(low, {
          salesOwner: "ana",
          amount: money("5.00"),
          stage: "closed_won",
          forecastCategory: "omitted",
        }),
      ],
    });
    expect(await figuresOf("ana")).toMatchObject({
      won: "5.00",
      pipeline: "30.00",
      commit: "15.00",
      bestCase: "35.00",
      weighted: "11.00",
      riskAdjusted: "16.00",
    });
  });

  it("cuts an at-risk deal's weighted amount by the admin's haircut, evaluated on asOf; an overdue deal is not cut", async () => {
    await storeForecastData(db.prisma, {
      customers: [high],
      deals: [
        aForecastDeal(high, { salesOwner: "ana", amount: money("1000.00"), closeDate: asOf }), // at risk: weighted 500, cut 150
        aForecastDeal(high, { salesOwner: "ana", amount: money("100.00"), closeDate: "2026-11-23" as CalendarDate }), // overdue: weighted 50
      ],
      settings: { ...DEFAULT_FORECAST_SETTINGS, atRiskHaircutPercent: 30 },
    });
    expect(await figuresOf("ana")).toMatchObject({ pipeline: "1100.00", weighted: "550.00", riskAdjusted: "400.00" });
    expect(await figuresOf("ana", ALL_OWNERS, "risk=at-risk")).toMatchObject({
      pipeline: "1000.00",
      riskAdjusted: "350.00",
    });
  });

  it("counts a won deal outside the period in the win rate and sales cycle, not in won", async () => {
    await storeForecastData(db.prisma, {
      customers: [low],
      deals: [
        aForecastDeal(low, {
          salesOwner: "ana",
          stage: "closed_won",
          amount: money("300.00"),
          closeDate: "2026-05-10" as CalendarDate,
          createdDate: "2026-04-30" as CalendarDate,
        }),
        aForecastDeal(low, {
          salesOwner: "ana",
          stage: "closed_lost",
          amount: money("100.00"),
          closeDate: "2026-02-01" as CalendarDate,
        }),
        aForecastDeal(low, {
          salesOwner: "ana",
          stage: "closed_won",
          amount: money("900.00"),
          closeDate: "2025-12-31" as CalendarDate,
        }),
      ],
    });
    expect(await figuresOf("ana")).toMatchObject({
      won: "0.00",
      winRateByCount: "0.5000",
      winRateByAmount: "0.7500",
      winRateN: "2",
      averageCycleDays: "10.0",
      cycleN: "1",
    });
  });

  it("gives an owner with a quota and no deals a row; once won meets quota the gap is 0 and coverage none", async () => {
    await storeForecastData(db.prisma, {
      customers: [low],
      deals: [
        aForecastDeal(low, { salesOwner: "ana", stage: "closed_won", amount: money("500.00") }),
        aForecastDeal(low, { salesOwner: "ana", amount: money("800.00") }),
      ],
      quotas: [
        { salesOwner: "ana", period: "2026-10", amount: money("200.00") },
        { salesOwner: "ana", period: "2026-Q4", amount: money("300.00") },
        { salesOwner: "ana", period: "2027-01", amount: money("999.00") },
        { salesOwner: "ben", period: "2026-Q4", amount: money("400.00") },
      ],
    });
    expect(await figuresOf("ana")).toMatchObject({ quota: "500.00", gap: "0.00", coverage: "-", attainment: "1.0000" });
    expect(await figuresOf("ben")).toMatchObject({
      quota: "400.00",
      gap: "400.00",
      pipeline: "0.00",
      coverage: "0.0000",
      attainment: "0.0000",
    });
    const october = await forecast(ALL_OWNERS, "", parseForecastPeriod("2026-10"));
    expect(october.rows.map((row) => [row.owner, figuresText(forecastFigures(row.totals)).quota])).toEqual([
      ["ana", "200.00"],
    ]);
  });

  it("narrows rows, quotas and teams to the viewer's owners, and groups teams by manager with their names", async () => {
    const deals = ["ana", "ben", "cara", "dev"].map((owner) =>
      aForecastDeal(low, { salesOwner: owner, amount: money("100.00") }),
    );
    await storeForecastData(db.prisma, {
      customers: [low],
      deals,
      quotas: [{ salesOwner: "cara", period: "2026-Q4", amount: money("1000.00") }],
      teams: [
        { salesOwner: "ana", manager: "mgr.n", ownerName: "Ana Silva", managerName: "Nora North" },
        { salesOwner: "ben", manager: "mgr.n" },
        { salesOwner: "cara", manager: "mgr.s" },
      ],
    });
    const all = await forecast();
    expect(all.rows.map((row) => [row.owner, row.ownerName, row.manager])).toEqual([
      ["ana", "Ana Silva", "mgr.n"],
      ["ben", null, "mgr.n"],
      ["cara", null, "mgr.s"],
      ["dev", null, null],
    ]);
    expect(all.teams.map((team) => [team.manager, team.managerName, team.owners])).toEqual([
      ["mgr.n", "Nora North", ["ana", "ben"]],
      ["mgr.s", null, ["cara"]],
      [null, null, ["dev"]],
    ]);
    expect(forecastFigures(all.total).pipeline.toFixed(2)).toBe("400.00");
    const manager = await forecast(ownersScope(["ana", "ben"]));
    expect(manager.rows.map((row) => row.owner)).toEqual(["ana", "ben"]);
    expect(manager.teams.map((team) => team.manager)).toEqual(["mgr.n"]);
    expect(forecastFigures(manager.total).quota.toFixed(2)).toBe("0.00");
    expect((await forecast(ownersScope(["ana"]), "owner=cara")).rows).toEqual([]);
    expect(
      (await forecast(ALL_OWNERS, `q=${deals[1].oppId}`)).rows.map((row) => [
        row.owner,
        forecastFigures(row.totals).pipeline.toFixed(2),
      ]),
    ).toEqual([
      ["ben", "100.00"],
      ["cara", "0.00"], // her quota still counts
    ]);
    expect(
      (await forecast(ALL_OWNERS, "owner=cara&stage=qualification")).rows.map(
        (row) => figuresText(forecastFigures(row.totals)).quota,
      ),
    ).toEqual(["1000.00"]);
  });

  it("reads the admin's settings and records every change with who made it", async () => {
    // A database of its own: the settings it changes would change the other tests' figures.
    const db = await kind.create();
    try {
      await storeForecastData(db.prisma, { customers: [], deals: [], settings: DEFAULT_FORECAST_SETTINGS });
      const text = (s: ForecastSettings) => ({ ...s, coverageThreshold: s.coverageThreshold.toFixed(2) });
      expect(text(await readForecastSettings(db.prisma))).toEqual(text(DEFAULT_FORECAST_SETTINGS));
      const who = { userId: "u-1", email: "admin@example.com" };
      const next = {
        ...DEFAULT_FORECAST_SETTINGS,
        stageProbabilities: { ...DEFAULT_FORECAST_SETTINGS.stageProbabilities, proposal: 60 },
        coverageThreshold: new Decimal("2.5"),
      };
      expect(await updateForecastSettings(db.prisma, who, next)).toEqual([
        { field: "proposalProbability", oldValue: "50", newValue: "60" },
        { field: "coverageThreshold", oldValue: "3.00", newValue: "2.50" },
      ]);
      expect(await updateForecastSettings(db.prisma, who, next)).toEqual([]);
      const settings = await readForecastSettings(db.prisma);
      expect([settings.stageProbabilities.proposal, settings.coverageThreshold.toFixed(2)]).toEqual([60, "2.50"]);
      const audit = await listForecastSettingsAudit(db.prisma);
      expect(audit.map((entry) => [entry.field, entry.oldValue, entry.newValue, entry.userEmail]).sort()).toEqual([
        ["coverageThreshold", "3.00", "2.50", "admin@example.com"],
        ["proposalProbability", "50", "60", "admin@example.com"],
      ]);
      expect(
        (await new PrismaForecastRepository(db.prisma, ALL_OWNERS).forecast(q4, query(""))).settings.stageProbabilities
          .proposal,
      ).toBe(60);
    } finally {
      await db.dispose();
    }
  });
});
