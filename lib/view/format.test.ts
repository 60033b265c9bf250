import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { formatCount, formatMonth, formatPercent, formatUsdShort, formatUsdTick, plural } from "./format";

const d = (value: string) => new Decimal(value);

describe("numbers on the screen", () => {
  it("agrees the noun with the count", () => {
    expect(plural(1, "opportunity", "opportunities")).toBe("1 opportunity");
    expect(plural(0, "opportunity", "opportunities")).toBe("0 opportunities");
    expect(plural(2345, "deal")).toBe("2,345 deals");
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  it("writes every percentage with one decimal, rounded half up, and no share of nothing", () => {
    expect(formatPercent(d("37.05"), d("300"))).toBe("12.4%"); // 12.35 -> 12.4
    expect(formatPercent(d("1"), d("3"))).toBe("33.3%");
    expect(formatPercent(d("0"), d("10"))).toBe("0.0%");
    expect(formatPercent(d("10"), d("10"))).toBe("100.0%");
    expect(formatPercent(d("0"), d("0"))).toBeNull();
  });

  it("writes headline money compact with one decimal, and small amounts exactly", () => {
    expect(formatUsdShort(d("156012345.67"))).toBe("$156.0M");
    expect(formatUsdShort("42500")).toBe("$42.5K");
    expect(formatUsdShort("1000")).toBe("$1.0K");
    expect(formatUsdShort("999950")).toBe("$1.0M");
    expect(formatUsdShort("2400000000")).toBe("$2.4B");
    expect(formatUsdShort("950")).toBe("$950.00");
    expect(formatUsdShort(d("0"))).toBe("$0.00");
  });

  it("labels axis ticks without rounding them to another value", () => {
    expect(formatUsdTick(1_350_000)).toBe("$1.35M");
    expect(formatUsdTick(1_050_000.0000000002)).toBe("$1.05M");
    expect(formatUsdTick(1_125_000)).toBe("$1.125M");
    expect(formatUsdTick(500_000)).toBe("$500K");
    expect(formatUsdTick(0)).toBe("$0");
  });

  it("names months as Dec 2026", () => {
    expect(formatMonth("2026-12")).toBe("Dec 2026");
    expect(formatMonth("2027-01")).toBe("Jan 2027");
  });
});
