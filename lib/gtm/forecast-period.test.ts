import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import {
  InvalidForecastPeriod,
  isForecastPeriodKey,
  liesWithin,
  parseForecastPeriod,
  periodKeysWithin,
  quarterContaining,
  shiftQuarter,
  winRateWindow,
} from "./forecast-period";

const day = (value: string) => value as CalendarDate;

describe("forecast periods", () => {
  it("reads a month and a quarter with their first and last days", () => {
    expect(parseForecastPeriod("2026-02")).toEqual({
      key: "2026-02",
      kind: "month",
      start: "2026-02-01",
      end: "2026-02-28",
    });
    expect(parseForecastPeriod("2028-02").end).toBe("2028-02-29");
    expect(parseForecastPeriod("2026-Q1")).toEqual({
      key: "2026-Q1",
      kind: "quarter",
      start: "2026-01-01",
      end: "2026-03-31",
    });
    expect(parseForecastPeriod("2026-Q4")).toEqual({
      key: "2026-Q4",
      kind: "quarter",
      start: "2026-10-01",
      end: "2026-12-31",
    });
  });

  it.each([
    "2026-13",
    "2026-00",
    "2026-Q5",
    "2026-Q0",
    "2026-q1",
    "26-Q1",
    "2026-1",
    "2026-01-01",
    "0000-Q1",
    " 2026-Q1",
    "",
    "2026Q1",
  ])("refuses %j with a message that shows both forms", (value) => {
    expect(isForecastPeriodKey(value)).toBe(false);
    expect(() => parseForecastPeriod(value)).toThrow(InvalidForecastPeriod);
    expect(() => parseForecastPeriod(value)).toThrow(/use YYYY-MM for a month or YYYY-Qn for a quarter/);
  });

  it("finds the quarter of a day, and the quarters around it", () => {
    expect(quarterContaining(day("2026-11-24")).key).toBe("2026-Q4");
    expect(quarterContaining(day("2026-01-01")).key).toBe("2026-Q1");
    expect(quarterContaining(day("2026-03-31")).key).toBe("2026-Q1");
    expect(shiftQuarter(parseForecastPeriod("2026-Q1"), -1).key).toBe("2025-Q4");
    expect(shiftQuarter(parseForecastPeriod("2026-Q4"), 2).key).toBe("2027-Q2");
    expect(shiftQuarter(parseForecastPeriod("2026-05"), 0).key).toBe("2026-Q2");
  });

  it("counts a quarter's own quota and its months' towards the quarter, only the month's towards a month", () => {
    const q2 = parseForecastPeriod("2026-Q2");
    expect(periodKeysWithin(q2)).toEqual(["2026-Q2", "2026-04", "2026-05", "2026-06"]);
    expect(periodKeysWithin(parseForecastPeriod("2026-05"))).toEqual(["2026-05"]);
    for (const key of ["2026-Q2", "2026-04", "2026-06"]) expect(liesWithin(parseForecastPeriod(key), q2)).toBe(true);
    for (const key of ["2026-Q1", "2026-03", "2026-07", "2025-Q2"])
      expect(liesWithin(parseForecastPeriod(key), q2)).toBe(false);
    expect(liesWithin(q2, parseForecastPeriod("2026-05"))).toBe(false);
  });

  it("measures win rates over the 12 months ending with the period", () => {
    expect(winRateWindow(parseForecastPeriod("2026-Q2"))).toEqual({ start: "2025-07-01", end: "2026-06-30" });
    expect(winRateWindow(parseForecastPeriod("2026-02"))).toEqual({ start: "2025-03-01", end: "2026-02-28" });
  });
});
