import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import { closeDateRange, presetOf } from "./close-date-presets";

const asOf = "2026-11-24" as CalendarDate;

describe("close date presets", () => {
  it("resolve to inclusive calendar ranges around asOf", () => {
    expect(closeDateRange("this-month", asOf)).toEqual({ closeFrom: "2026-11-01", closeTo: "2026-11-30" });
    expect(closeDateRange("this-quarter", asOf)).toEqual({ closeFrom: "2026-10-01", closeTo: "2026-12-31" });
    expect(closeDateRange("next-quarter", asOf)).toEqual({ closeFrom: "2027-01-01", closeTo: "2027-03-31" });
    expect(closeDateRange("next-90-days", asOf)).toEqual({ closeFrom: "2026-11-24", closeTo: "2027-02-21" });
    expect(closeDateRange("this-month", "2028-02-10" as CalendarDate)).toEqual({
      closeFrom: "2028-02-01",
      closeTo: "2028-02-29",
    });
  });

  it("recognise a range that equals a preset, and no other", () => {
    expect(presetOf({ closeFrom: "2026-10-01" as CalendarDate, closeTo: "2026-12-31" as CalendarDate }, asOf)).toBe(
      "this-quarter",
    );
    expect(presetOf({ closeFrom: "2026-10-01" as CalendarDate }, asOf)).toBeUndefined();
  });
});
