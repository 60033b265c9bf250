import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  type CalendarDate,
  calendarDateAt,
  isCalendarDate,
  parseCalendarDate,
} from "./calendar-date";
import { InvalidCalendarDate } from "./errors";

describe("CalendarDate", () => {
  it("accepts real dates only", () => {
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-02-30")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("3/1/2017")).toBe(false);
    expect(isCalendarDate("2026-1-05")).toBe(false);
    expect(() => parseCalendarDate("2026-02-30", "close_date")).toThrow(InvalidCalendarDate);
  });

  it("is today's date in the given time zone, not the server's", () => {
    const instant = new Date("2026-11-24T23:30:00Z");
    expect(calendarDateAt(instant, "UTC")).toBe("2026-11-24");
    expect(calendarDateAt(instant, "Europe/Berlin")).toBe("2026-11-25");
    expect(calendarDateAt(instant, "America/Los_Angeles")).toBe("2026-11-24");
  });

  it("adds days across month and year ends, and months clamped to the month's length", () => {
    expect(addDays("2026-12-31" as CalendarDate, 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01" as CalendarDate, -1)).toBe("2026-02-28");
    expect(addMonths("2027-01-31" as CalendarDate, 1)).toBe("2027-02-28");
    expect(addMonths("2026-11-24" as CalendarDate, -6)).toBe("2026-05-24");
    expect(addMonths("2026-11-24" as CalendarDate, 12)).toBe("2027-11-24");
  });
});
