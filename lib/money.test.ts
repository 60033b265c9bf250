import { describe, expect, it } from "vitest";
import { Decimal, formatUsd, sumMoney, toMoneyString } from "./money";

describe("money", () => {
  it("adds cents exactly where floats do not", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumMoney([new Decimal("0.10"), new Decimal("0.20")]).equals("0.30")).toBe(true);
  });

  it("sums a hundred thousand cents to exactly 1,000.00", () => {
    const cents = Array.from({ length: 100_000 }, () => new Decimal("0.01"));
    let float = 0;
    for (let i = 0; i < 100_000; i++) float += 0.01;
    expect(float).not.toBe(1_000);
    expect(toMoneyString(sumMoney(cents))).toBe("1000.00");
  });

  it("formats USD without losing digits on amounts past float precision", () => {
    expect(formatUsd(new Decimal("9007199254740993.27"))).toBe("$9,007,199,254,740,993.27");
    expect(formatUsd("1234.5")).toBe("$1,234.50");
    expect(formatUsd(new Decimal(0))).toBe("$0.00");
  });
});
