import { addDays, addMonths, type CalendarDate, firstOfMonth, firstOfQuarter } from "./calendar-date";

export const CLOSE_DATE_PRESETS = [
  { id: "this-month", label: "This month" },
  { id: "this-quarter", label: "This quarter" },
  { id: "next-quarter", label: "Next quarter" },
  { id: "next-90-days", label: "Next 90 days" },
] as const;

export type CloseDatePreset = (typeof CLOSE_DATE_PRESETS)[number]["id"];

/** The inclusive close-date range a preset means, relative to `asOf` (calendar quarters). */
export function closeDateRange(
  preset: CloseDatePreset,
  asOf: CalendarDate,
): { closeFrom: CalendarDate; closeTo: CalendarDate } {
  switch (preset) {
    case "this-month": {
      const start = firstOfMonth(asOf);
      return { closeFrom: start, closeTo: addDays(addMonths(start, 1), -1) };
    }
    case "this-quarter": {
      const start = firstOfQuarter(asOf);
      return { closeFrom: start, closeTo: addDays(addMonths(start, 3), -1) };
    }
    case "next-quarter": {
      const start = addMonths(firstOfQuarter(asOf), 3);
      return { closeFrom: start, closeTo: addDays(addMonths(start, 3), -1) };
    }
    case "next-90-days":
      return { closeFrom: asOf, closeTo: addDays(asOf, 89) };
  }
}

/** The preset a range equals, if any, so the filter bar can show it as chosen. */
export function presetOf(
  range: { closeFrom?: CalendarDate; closeTo?: CalendarDate },
  asOf: CalendarDate,
): CloseDatePreset | undefined {
  return CLOSE_DATE_PRESETS.map((preset) => preset.id).find((id) => {
    const candidate = closeDateRange(id, asOf);
    return candidate.closeFrom === range.closeFrom && candidate.closeTo === range.closeTo;
  });
}
