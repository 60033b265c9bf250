import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import { endOfDay, inForceAt, startOfDay } from "./history-time";

const day = (value: string) => value as CalendarDate;

describe("history's instants", () => {
  it("starts a day at local midnight in the business time zone", () => {
    expect(startOfDay(day("2026-11-24"), "UTC").toISOString()).toBe("2026-11-24T00:00:00.000Z");
    expect(startOfDay(day("2026-11-24"), "Europe/Berlin").toISOString()).toBe("2026-11-23T23:00:00.000Z");
    expect(startOfDay(day("2026-07-01"), "Europe/Berlin").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(startOfDay(day("2026-11-24"), "America/New_York").toISOString()).toBe("2026-11-24T05:00:00.000Z");
    expect(startOfDay(day("2026-11-24"), "Asia/Kolkata").toISOString()).toBe("2026-11-23T18:30:00.000Z");
  });

  it("handles the days clocks change", () => {
    // Berlin: 2026-03-29 02:00 -> 03:00; 2026-10-25 03:00 -> 02:00. Midnight exists on both days.
    expect(startOfDay(day("2026-03-29"), "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfDay(day("2026-03-30"), "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfDay(day("2026-10-26"), "Europe/Berlin").toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("sees an import dated D at the end of D, and one dated D + 1 not yet", () => {
    const dated = (date: string) => ({ validFrom: startOfDay(day(date), "UTC"), validTo: null });
    expect(inForceAt(dated("2026-11-24"), endOfDay(day("2026-11-24"), "UTC"))).toBe(true);
    expect(inForceAt(dated("2026-11-25"), endOfDay(day("2026-11-24"), "UTC"))).toBe(false);
    const replaced = { validFrom: startOfDay(day("2026-11-17"), "UTC"), validTo: startOfDay(day("2026-11-25"), "UTC") };
    expect(inForceAt(replaced, endOfDay(day("2026-11-24"), "UTC"))).toBe(true);
    expect(inForceAt(replaced, endOfDay(day("2026-11-25"), "UTC"))).toBe(false);
  });
});
