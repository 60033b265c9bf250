import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import { churnRiskTimeline } from "./churn-risk-timeline";
import { opportunityTimeline, type OpportunityVersion } from "./opportunity-timeline";

const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
const version = (from: string, to: string | null, fields: Partial<OpportunityVersion> = {}): OpportunityVersion => ({
  validFrom: at(from),
  validTo: to === null ? null : at(to),
  removed: false,
  customerId: "C1",
  stage: "proposal",
  closeDate: "2026-11-10" as CalendarDate,
  amount: new Decimal("1000.00"),
  salesOwner: "rep.a",
  run: null,
  ...fields,
});

describe("opportunityTimeline", () => {
  it("lists what changed between consecutive versions, and removals", () => {
    const timeline = opportunityTimeline([
      version("2026-10-01", "2026-10-08"),
      version("2026-10-08", "2026-10-15", {
        stage: "closed_won",
        closeDate: "2026-12-15" as CalendarDate,
        amount: new Decimal("13000.00"),
        salesOwner: "rep.b",
        run: { id: 4, source: "cli", effectiveDate: "2026-10-08" as CalendarDate },
      }),
      version("2026-10-15", "2026-10-22", {
        stage: "closed_won",
        closeDate: "2026-12-15" as CalendarDate,
        amount: new Decimal("13000.00"),
        salesOwner: "rep.b",
        removed: true,
      }),
    ]);
    expect(timeline.map((entry) => entry.kind)).toEqual(["recorded", "changed", "removed"]);
    const changed = timeline[1]!;
    expect(changed.kind === "changed" && changed.run?.id).toBe(4);
    expect(
      changed.kind === "changed" &&
        changed.changes.map((change) => [change.field, String(change.from), String(change.to)]),
    ).toEqual([
      ["stage", "proposal", "closed_won"],
      ["closeDate", "2026-11-10", "2026-12-15"],
      ["amount", "1000", "13000"],
      ["salesOwner", "rep.a", "rep.b"],
    ]);
    expect(timeline[2]).toEqual({ kind: "removed", at: at("2026-10-22") });
  });

  it("starts afresh after a gap (added back, or back in the viewer's sight)", () => {
    const timeline = opportunityTimeline([
      version("2026-10-01", "2026-10-08"),
      version("2026-10-22", null, { amount: new Decimal("5.00") }),
    ]);
    expect(timeline.map((entry) => entry.kind)).toEqual(["recorded", "recorded"]);
  });
});

describe("churnRiskTimeline", () => {
  const customer = (from: string, to: string | null, churnRisk: "low" | "high", name = "Acme") => ({
    validFrom: at(from),
    validTo: to === null ? null : at(to),
    name,
    churnRisk,
  });

  it("gives each change of churn risk and how long it lasted, newest first, as known on the as-of day", () => {
    const versions = [
      customer("2026-08-01", "2026-09-14", "low"),
      customer("2026-09-14", "2026-10-01", "high"),
      customer("2026-10-01", "2026-12-10", "high", "Acme Inc"),
      customer("2026-12-10", null, "low", "Acme Inc"),
    ];
    expect(churnRiskTimeline(versions, "2026-12-01" as CalendarDate, "UTC")).toEqual([
      { churnRisk: "high", since: "2026-09-14", until: null, days: 78 },
      { churnRisk: "low", since: "2026-08-01", until: "2026-09-14", days: 44 },
    ]);
    expect(churnRiskTimeline(versions, "2026-12-10" as CalendarDate, "UTC")[0]).toEqual({
      churnRisk: "low",
      since: "2026-12-10",
      until: null,
      days: 0,
    });
  });
});
