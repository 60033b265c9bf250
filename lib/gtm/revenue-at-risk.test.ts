import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import type { ChurnRisk } from "./customer";
import { isAtRisk, isOverdue, opportunityStatus } from "./revenue-at-risk";
import type { SalesStage } from "./sales-stage";

const asOf = "2026-11-24" as CalendarDate;
const deal = (stage: SalesStage, closeDate: string) => ({
  stage,
  closeDate: closeDate as CalendarDate,
  amount: new Decimal(100),
});

describe("revenue at risk", () => {
  it("counts an open deal of a high-churn customer closing on asOf itself", () => {
    expect(isAtRisk(deal("proposal", "2026-11-24"), "high", asOf)).toBe(true);
  });

  it("does not count a deal whose close date was the day before asOf: it is overdue instead", () => {
    const slipped = deal("proposal", "2026-11-23");
    expect(isAtRisk(slipped, "high", asOf)).toBe(false);
    expect(isOverdue(slipped, asOf)).toBe(true);
    expect(opportunityStatus(slipped, "high", asOf)).toBe("overdue");
  });

  it.each<SalesStage>(["prospecting", "qualification", "proposal"])("counts every open stage (%s)", (stage) => {
    expect(isAtRisk(deal(stage, "2027-01-01"), "high", asOf)).toBe(true);
  });

  it.each<SalesStage>(["closed_won", "closed_lost"])(
    "never counts a closed deal (%s), nor calls it overdue",
    (stage) => {
      const closed = deal(stage, "2027-01-01");
      expect(isAtRisk(closed, "high", asOf)).toBe(false);
      expect(isOverdue(deal(stage, "2020-01-01"), asOf)).toBe(false);
      expect(opportunityStatus(closed, "high", asOf)).toBe(stage);
    },
  );

  it.each<ChurnRisk>(["low", "medium"])(
    "requires high churn risk, unlike the seed (%s is not at risk)",
    (churnRisk) => {
      const future = deal("proposal", "2027-01-01");
      expect(isAtRisk(future, churnRisk, asOf)).toBe(false);
      expect(opportunityStatus(future, churnRisk, asOf)).toBe("open");
    },
  );

  it("calls an open deal past its close date overdue whatever the churn risk", () => {
    for (const churnRisk of ["low", "medium", "high"] as const) {
      expect(opportunityStatus(deal("qualification", "2026-01-01"), churnRisk, asOf)).toBe("overdue");
    }
  });

  it("moves with asOf: the same deal is at risk before its close date and overdue after", () => {
    const opportunity = deal("proposal", "2026-12-31");
    expect(opportunityStatus(opportunity, "high", "2026-12-31" as CalendarDate)).toBe("at_risk");
    expect(opportunityStatus(opportunity, "high", "2027-01-01" as CalendarDate)).toBe("overdue");
  });
});
