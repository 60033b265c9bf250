import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { parsePipelineQuery } from "../gtm/pipeline-query";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import type { PipelineRow } from "../gtm/pipeline-row";
import { describeFilters } from "./describe-filters";
import { atRiskShare, dealChart, isEmptyChart, monthChart, ownerChart, stageChart, winRates } from "./view-models";

const d = (value: string) => new Decimal(value);
const summary = (overrides: Partial<PipelineSummary> = {}): PipelineSummary => ({
  asOf: "2026-11-24" as CalendarDate,
  totals: {
    count: 0,
    amount: d("0"),
    openPipeline: d("300.00"),
    openCount: 3,
    atRisk: d("37.05"),
    atRiskCount: 1,
    overdue: d("0"),
    overdueCount: 0,
    won: d("0"),
    wonCount: 0,
    lost: d("0"),
    lostCount: 0,
  },
  byStage: [],
  byOwner: [],
  byCloseMonth: [],
  ...overrides,
});

describe("chart series", () => {
  it("splits each open stage into at risk and the rest, with exact strings for tooltips", () => {
    const bars = stageChart(
      summary({
        byStage: [{ stage: "proposal", count: 2, amount: d("100.30"), open: d("100.30"), atRisk: d("0.10") }],
      }),
    );
    expect(bars.map((b) => b.key)).toEqual(["prospecting", "qualification", "proposal"]);
    expect(bars[2]).toMatchObject({ label: "Proposal", atRisk: "0.10", other: "100.20", atRiskValue: 0.1 });
    expect(bars[0]).toMatchObject({ atRisk: "0.00", other: "0.00" });
  });

  it("shows twelve months from asOf's month, empty ones as zero", () => {
    const bars = monthChart(
      summary({
        byCloseMonth: [
          { month: "2027-02", open: d("5"), atRisk: d("2.50") },
          { month: "2026-10", open: d("9"), atRisk: d("0") },
        ],
      }),
      "2026-11-24" as CalendarDate,
    );
    expect(bars).toHaveLength(12);
    expect(bars[0].key).toBe("2026-11");
    expect(bars[11].key).toBe("2027-10");
    expect(bars.find((b) => b.key === "2027-02")?.atRisk).toBe("2.50");
    expect(bars[0].label).toBe("Nov 2026");
    expect(bars[2].label).toBe("Jan 2027");
  });

  it("draws the top ten owners by revenue at risk and counts the rest under the chart, summed exactly, never as a bar", () => {
    const byOwner = Array.from({ length: 13 }, (_, i) => ({
      owner: `rep${String(i).padStart(2, "0")}`,
      open: d("100.10"),
      openCount: 2,
      atRisk: d(`${i}.10`),
      atRiskCount: 1,
      overdue: d("0"),
      overdueCount: 0,
    }));
    const { bars, rest } = ownerChart(summary({ byOwner }), {});
    expect(bars).toHaveLength(10);
    expect(bars[0]).toMatchObject({ key: "rep12", atRisk: "12.10", other: "88.00" });
    expect(bars.map((bar) => bar.key)).not.toContain("rep00");
    expect(rest).toEqual({ count: 3, atRisk: "3.30" });
    expect(ownerChart(summary({ byOwner: byOwner.slice(0, 4) }), {}).rest).toBeNull();
  });

  it("names a rep's largest at-risk deals by customer and sums what is left of the view's revenue at risk", () => {
    const deal = (oppId: string, amount: string): PipelineRow => ({
      oppId,
      name: null,
      customerId: "C-1",
      customerName: "Acme Labs",
      churnRisk: "high",
      stage: "proposal",
      closeDate: "2026-12-01" as CalendarDate,
      amount: d(amount),
      salesOwner: "rep.one",
      status: "at_risk",
      firstSeen: "2026-10-01" as CalendarDate,
      daysInStage: 12,
      pushCount: 1,
    });
    const totals = { ...summary().totals, atRisk: d("1000.05"), atRiskCount: 5 };
    const { bars, rest } = dealChart([deal("O-1", "600.00"), deal("O-2", "300.00")], summary({ totals }));
    expect(bars.map((bar) => [bar.key, bar.label, bar.atRisk])).toEqual([
      ["O-1", "Acme Labs", "600.00"],
      ["O-2", "Acme Labs", "300.00"],
    ]);
    expect(bars[0].detail).toBe("O-1 · closes 2026-12-01");
    expect(rest).toEqual({ count: 3, atRisk: "100.05" });
    expect(dealChart([], summary({ totals: { ...totals, atRisk: d("0"), atRiskCount: 0 } }))).toEqual({
      bars: [],
      rest: null,
    });
  });

  it("knows a chart with nothing to draw", () => {
    expect(isEmptyChart(stageChart(summary()))).toBe(true);
    expect(
      isEmptyChart(
        stageChart(
          summary({ byStage: [{ stage: "proposal", count: 1, amount: d("5"), open: d("5"), atRisk: d("0") }] }),
        ),
      ),
    ).toBe(false);
  });

  it("gives the at-risk share of open pipeline, rounded half up", () => {
    expect(atRiskShare(summary())).toBe("12.4%");
    expect(atRiskShare(summary({ totals: { ...summary().totals, openPipeline: d("0") } }))).toBe("0.0%");
  });
});

describe("closed deals and filters of a view", () => {
  it("gives the win rate by count and by amount, none without closed deals", () => {
    const totals = { ...summary().totals, won: d("300.00"), wonCount: 1, lost: d("100.00"), lostCount: 3 };
    expect(winRates(summary({ totals }))).toEqual({ byCount: "25.0%", byAmount: "75.0%", closedCount: 4 });
    expect(winRates(summary())).toEqual({ byCount: null, byAmount: null, closedCount: 0 });
  });

  it("lists a status as an active filter only where it is not the view's default", () => {
    const today = "2026-11-24" as CalendarDate;
    const filters = (search: string) =>
      describeFilters(parsePipelineQuery(new URLSearchParams(search), today).query, today).map((filter) => filter.text);
    expect(filters("")).toEqual([]);
    expect(filters("status=open&stage=proposal")).toEqual(["Stage is Proposal"]);
    expect(filters("status=won")).toEqual(["Status: Won"]);
    expect(filters("stage=closed_lost")).toEqual(["Stage is Closed lost"]);
    expect(filters("stage=closed_lost&status=lost")).toEqual(["Stage is Closed lost", "Status: Lost"]);
  });

  it("names owners in the active filters by their display names, ids where there is none", () => {
    const today = "2026-11-24" as CalendarDate;
    const query = parsePipelineQuery(new URLSearchParams("owner=ana.silva&owner=cy.noname"), today).query;
    expect(describeFilters(query, today, { "ana.silva": "Ana Silva" }).map((filter) => filter.text)).toEqual([
      "Owner is Ana Silva or cy.noname",
    ]);
  });
});
