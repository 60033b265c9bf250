import { describe, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import type { ChangesJson } from "../gtm/changes-wire";
import { CHANGE_KINDS } from "../gtm/pipeline-changes";
import { isEmptyWaterfall, waterfallSteps } from "./changes-waterfall";

const tally = (amount: string) => ({ amount, count: amount === "0.00" ? 0 : 1 });
const changes = (start: string, added: string): ChangesJson => ({
  from: "2026-11-01" as CalendarDate,
  to: "2026-11-24" as CalendarDate,
  start: tally(start),
  end: tally(added === "0.00" ? start : added),
  buckets: CHANGE_KINDS.map((kind) => ({ kind, ...tally(kind === "new" ? added : "0.00") })),
  pushed: tally("0.00"),
});

describe("the waterfall", () => {
  it("has nothing to draw when nothing was open at either end and nothing moved", () => {
    expect(isEmptyWaterfall(waterfallSteps(changes("0.00", "0.00")))).toBe(true);
    expect(isEmptyWaterfall(waterfallSteps(changes("0.00", "5.00")))).toBe(false);
    expect(isEmptyWaterfall(waterfallSteps(changes("7.00", "0.00")))).toBe(false);
  });
});
