import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import type { SalesStage } from "../gtm/sales-stage";
import { explainStatus } from "./labels";

const asOf = "2026-11-24" as CalendarDate;
const deal = (stage: SalesStage, closeDate: string) => ({
  stage,
  closeDate: closeDate as CalendarDate,
  amount: new Decimal(100),
});

describe("status in words", () => {
  it("explains each status in plain words", () => {
    expect(explainStatus(deal("proposal", "2026-12-01"), "high", asOf)).toMatch(/^At risk: .*high churn risk/);
    expect(explainStatus(deal("proposal", "2026-12-01"), "medium", asOf)).toMatch(
      /^Not at risk: .*churn risk is medium, not high/,
    );
    expect(explainStatus(deal("proposal", "2026-11-01"), "high", asOf)).toMatch(
      /^Overdue, not counted as at risk: .*2026-11-01 is before 2026-11-24/,
    );
    expect(explainStatus(deal("closed_won", "2026-12-01"), "high", asOf)).toMatch(/^Not at risk: the deal is closed/);
  });
});
