import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import {
  atRiskHaircut,
  type ForecastDeal,
  forecastCategoryOf,
  forecastTotalsByOwner,
  probabilityOf,
  quotaWithin,
  weightedAmount,
} from "./forecast";
import { assembleForecast, forecastFigures } from "./forecast-figures";
import { parseForecastPeriod } from "./forecast-period";
import {
  DEFAULT_FORECAST_SETTINGS,
  forecastSettingsValues,
  parseCoverageThreshold,
  parseForecastSettings,
  parsePercent,
} from "./forecast-settings";

const q4 = parseForecastPeriod("2026-Q4");
const asOf = "2026-11-24" as CalendarDate;
const settings = DEFAULT_FORECAST_SETTINGS;
const money = (value: Decimal | null) => value?.toFixed(2) ?? null;
const fixed = (value: Decimal | null, places = 4) => value?.toFixed(places) ?? null;

function deal(overrides: Partial<ForecastDeal> = {}): ForecastDeal {
  return {
    salesOwner: "ana",
    stage: "proposal",
    closeDate: "2026-12-15" as CalendarDate,
    createdDate: "2026-09-01" as CalendarDate,
    amount: new Decimal("1000.00"),
    forecastCategory: null,
    probability: null,
    churnRisk: "low",
    ...overrides,
  };
}

const figuresOf = (deals: ForecastDeal[], quotas: { salesOwner: string; period: string; amount: Decimal }[] = []) =>
  forecastFigures(forecastTotalsByOwner(deals, quotas, q4, settings, asOf).get("ana")!);

describe("forecast rules", () => {
  it("takes a deal's own category and probability, else its stage's", () => {
    expect(forecastCategoryOf(deal({ stage: "prospecting" }))).toBe("pipeline");
    expect(forecastCategoryOf(deal({ stage: "qualification" }))).toBe("pipeline");
    expect(forecastCategoryOf(deal({ stage: "proposal" }))).toBe("best_case");
    expect(forecastCategoryOf(deal({ stage: "prospecting", forecastCategory: "commit" }))).toBe("commit");
    expect(probabilityOf(deal({ stage: "prospecting" }), settings)).toBe(10);
    expect(probabilityOf(deal({ stage: "qualification" }), settings)).toBe(25);
    expect(probabilityOf(deal({ stage: "proposal" }), settings)).toBe(50);
    expect(probabilityOf(deal({ stage: "proposal", probability: 0 }), settings)).toBe(0);
  });

  it("rounds a weighted amount and a haircut half-even to the cent", () => {
    expect(money(weightedAmount(new Decimal("0.05"), 50))).toBe("0.02"); // 0.025 -> even
    expect(money(weightedAmount(new Decimal("0.07"), 50))).toBe("0.04"); // 0.035 -> even
    expect(money(weightedAmount(new Decimal("12.34"), 25))).toBe("3.08"); // 3.085 -> even
    expect(money(weightedAmount(new Decimal("12.38"), 25))).toBe("3.10"); // 3.095 -> even (up)
    expect(money(weightedAmount(new Decimal("0.03"), 17))).toBe("0.01"); // 0.0051 -> up
    expect(money(atRiskHaircut(new Decimal("0.05"), 50))).toBe("0.02");
    expect(money(weightedAmount(new Decimal("9999999999999999.99"), 99))).toBe("9899999999999999.99"); // past 20 digits, exact
  });

  it("sums won, lost, pipeline, commit and best case of the period", () => {
    const figures = figuresOf([
      deal({ stage: "closed_won", amount: new Decimal("100.00") }),
      deal({ stage: "closed_lost", amount: new Decimal("40.00") }),
      deal({ stage: "prospecting", forecastCategory: "commit", amount: new Decimal("10.00") }),
      deal({ stage: "proposal", amount: new Decimal("20.00") }),
      deal({ stage: "qualification", amount: new Decimal("30.00") }),
      deal({ stage: "proposal", forecastCategory: "omitted", amount: new Decimal("1000.00") }),
    ]);
    expect(money(figures.won)).toBe("100.00");
    expect(money(figures.lost)).toBe("40.00");
    expect(money(figures.pipeline)).toBe("60.00"); // the omitted deal is not pipeline
    expect(money(figures.commit)).toBe("110.00");
    expect(money(figures.bestCase)).toBe("130.00");
    expect(money(figures.weighted)).toBe("18.50"); // 10 x 10% + 20 x 50% + 30 x 25%
    expect(money(figures.riskAdjusted)).toBe("118.50");
  });

  it("cuts an at-risk deal's weighted amount by the haircut, but not an overdue one's", () => {
    const atRisk = deal({ churnRisk: "high", amount: new Decimal("101.00") }); // weighted 50.50, haircut 25.25
    const overdue = deal({ churnRisk: "high", closeDate: "2026-11-01" as CalendarDate, amount: new Decimal("10.00") }); // weighted 5.00
    const figures = figuresOf([atRisk, overdue]);
    expect(money(figures.weighted)).toBe("55.50");
    expect(money(figures.riskAdjusted)).toBe("30.25");
  });

  it("leaves a won deal outside the period out of won, but counts it in the win rate and cycle", () => {
    const figures = figuresOf([
      deal({
        stage: "closed_won",
        closeDate: "2026-05-10" as CalendarDate,
        createdDate: "2026-04-30" as CalendarDate,
        amount: new Decimal("300.00"),
      }),
      deal({
        stage: "closed_won",
        closeDate: "2026-10-05" as CalendarDate,
        createdDate: "2026-10-01" as CalendarDate,
        amount: new Decimal("100.00"),
      }),
      deal({ stage: "closed_lost", closeDate: "2026-01-02" as CalendarDate, amount: new Decimal("100.00") }),
      deal({ stage: "closed_won", closeDate: "2025-12-31" as CalendarDate, amount: new Decimal("999.00") }), // before the window
      deal({ stage: "closed_won", closeDate: "2027-01-01" as CalendarDate, amount: new Decimal("999.00") }), // after the period
    ]);
    expect(money(figures.won)).toBe("100.00");
    expect([fixed(figures.winRate.byCount), fixed(figures.winRate.byAmount), figures.winRate.n]).toEqual([
      "0.6667",
      "0.8000",
      3,
    ]);
    expect(fixed(figures.salesCycle.averageDays, 1)).toBe("7.0"); // (10 + 4) / 2
    expect(figures.salesCycle.n).toBe(2);
  });

  it("adds up quotas within the period, and derives gap, coverage and attainment", () => {
    const quotas = [
      { salesOwner: "ana", period: "2026-Q4", amount: new Decimal("300.00") },
      { salesOwner: "ana", period: "2026-11", amount: new Decimal("100.00") },
      { salesOwner: "ana", period: "2027-01", amount: new Decimal("999.00") },
    ];
    expect(money(quotaWithin(quotas, q4))).toBe("400.00");
    const figures = figuresOf(
      [deal({ stage: "closed_won", amount: new Decimal("100.00") }), deal({ amount: new Decimal("1000.00") })],
      quotas,
    );
    expect(money(figures.gap)).toBe("300.00");
    expect(fixed(figures.coverage)).toBe("3.3333");
    expect(fixed(figures.attainment)).toBe("0.2500");
  });

  it("has no coverage once the quota is met, and no attainment without a quota", () => {
    const met = figuresOf(
      [deal({ stage: "closed_won", amount: new Decimal("500.00") })],
      [{ salesOwner: "ana", period: "2026-Q4", amount: new Decimal("500.00") }],
    );
    expect(money(met.gap)).toBe("0.00");
    expect(met.coverage).toBeNull();
    expect(fixed(met.attainment)).toBe("1.0000");
    const noQuota = figuresOf([deal()]);
    expect(noQuota.attainment).toBeNull();
    expect(noQuota.coverage).toBeNull();
    expect(noQuota.winRate).toEqual({ byCount: null, byAmount: null, n: 0 });
    expect(noQuota.salesCycle).toEqual({ averageDays: null, n: 0 });
  });

  it("gives an owner with a quota and no deals a row, and sums teams from their owners' gaps", () => {
    const quotas = [
      { salesOwner: "ana", period: "2026-Q4", amount: new Decimal("100.00") },
      { salesOwner: "ben", period: "2026-Q4", amount: new Decimal("100.00") },
    ];
    const byOwner = forecastTotalsByOwner(
      [deal({ stage: "closed_won", amount: new Decimal("150.00") })],
      quotas,
      q4,
      settings,
      asOf,
    );
    expect([...byOwner.keys()].sort()).toEqual(["ana", "ben"]);
    const forecast = assembleForecast(
      q4,
      asOf,
      settings,
      [
        { owner: "ben", ownerName: null, manager: "mgr", totals: byOwner.get("ben")! },
        { owner: "ana", ownerName: "Ana", manager: "mgr", totals: byOwner.get("ana")! },
      ],
      new Map([["mgr", "Mia"]]),
    );
    expect(forecast.rows.map((row) => row.owner)).toEqual(["ana", "ben"]);
    expect(forecast.teams).toHaveLength(1);
    const team = forecastFigures(forecast.teams[0].totals);
    expect(forecast.teams[0].managerName).toBe("Mia");
    expect(money(team.gap)).toBe("100.00"); // ana's surplus does not fill ben's gap
    expect(fixed(team.attainment)).toBe("0.7500"); // recomputed from the sums, not averaged
    expect(money(forecastFigures(forecast.total).quota)).toBe("200.00");
  });
});

describe("forecast settings input", () => {
  it("accepts whole percents and a positive coverage threshold", () => {
    expect(parsePercent(" 25 ", "proposal")).toBe(25);
    expect(parsePercent("100", "proposal")).toBe(100);
    expect(parseCoverageThreshold("2.5").toFixed(2)).toBe("2.50");
  });

  it.each(["-1", "101", "2.5", "", "ten"])("refuses the percent %j", (value) => {
    expect(() => parsePercent(value, "proposal")).toThrow(/whole percent from 0 to 100/);
  });

  it.each(["0", "-3", "1.234", "101", "x"])("refuses the coverage threshold %j", (value) => {
    expect(() => parseCoverageThreshold(value)).toThrow(/above 0 and at most 100/);
  });
});

describe("forecast settings form", () => {
  it("gives the settings when every field is valid, else an error under each bad field and no settings", () => {
    const valid = {
      prospectingProbability: "5",
      qualificationProbability: "30",
      proposalProbability: "60",
      atRiskHaircutPercent: "40",
      coverageThreshold: "2.5",
    };
    const parsed = parseForecastSettings(valid);
    expect(parsed.ok && forecastSettingsValues(parsed.settings)).toEqual({ ...valid, coverageThreshold: "2.50" });
    const invalid = parseForecastSettings({ ...valid, proposalProbability: "120", coverageThreshold: "0" });
    expect(invalid.ok).toBe(false);
    expect(!invalid.ok && Object.keys(invalid.errors)).toEqual(["proposalProbability", "coverageThreshold"]);
    expect(!invalid.ok && invalid.errors.proposalProbability).toBe(
      '"120" is not valid: use a whole percent from 0 to 100, like 25',
    );
  });
});
