import { describe, expect, it } from "vitest";
import {
  AMOUNT_HINT,
  DATE_HINT,
  formatAmountInput,
  readAmountInput,
  readDateInput,
  readWholeNumberInput,
} from "./filter-inputs";

describe("the count boxes (Pushed ≥, Days in stage ≥) read whole numbers", () => {
  it("reads numbers, with or without thousands separators, and blank as no filter", () => {
    expect(["3", " 0 ", "1,200", ""].map(readWholeNumberInput)).toEqual([
      { ok: true, value: "3" },
      { ok: true, value: "0" },
      { ok: true, value: "1200" },
      { ok: true, value: undefined },
    ]);
  });

  it("says what it wants for anything else", () => {
    for (const text of ["-1", "2.5", "abc", "100001"]) expect(readWholeNumberInput(text).ok, text).toBe(false);
  });
});

describe("the amount boxes read what people type", () => {
  it.each([
    ["1000", "1000"],
    ["1,000", "1000"],
    ["$1,000", "1000"],
    ["$ 1,250,000.50", "1250000.5"],
    ["1k", "1000"],
    ["1K", "1000"],
    ["2.5m", "2500000"],
    ["$2.5M", "2500000"],
    ["1.2345k", "1234.5"],
    ["0.5b", "500000000"],
    [".5", "0.5"],
    ["  750  ", "750"],
  ])("%s is %s", (typed, value) => {
    expect(readAmountInput(typed)).toEqual({ ok: true, value });
  });

  it("reads a blank box as no filter", () => {
    expect(readAmountInput("   ")).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ["abc", AMOUNT_HINT],
    ["1,00", AMOUNT_HINT],
    ["1.000,50", AMOUNT_HINT],
    ["10 dollars", AMOUNT_HINT],
    ["1kk", AMOUNT_HINT],
    ["-5", "Amounts cannot be negative"],
    ["$-5", "Amounts cannot be negative"],
    ["1.005", "Amounts go to the cent: at most two decimal places"],
    ["99999999999999999", "That amount is too large"],
  ])("says in words what it wants for %s", (typed, message) => {
    expect(readAmountInput(typed)).toEqual({ ok: false, message });
  });

  it("shows a URL's amount with thousands separators, which it reads back unchanged", () => {
    for (const value of ["1250000.5", "1000", "999", "0.5", "9999999999999999.99"]) {
      expect(readAmountInput(formatAmountInput(value))).toEqual({ ok: true, value });
    }
    expect(formatAmountInput("1250000.5")).toBe("1,250,000.5");
    expect(formatAmountInput(undefined)).toBe("");
  });

  it("keeps the largest amount the database holds", () => {
    expect(readAmountInput("9999999999999999.99")).toEqual({ ok: true, value: "9999999999999999.99" });
  });
});

describe("the date boxes read YYYY-MM-DD", () => {
  it("pads single-digit months and days", () => {
    expect(readDateInput("2026-1-5")).toEqual({ ok: true, value: "2026-01-05" });
    expect(readDateInput(" 2026-12-31 ")).toEqual({ ok: true, value: "2026-12-31" });
    expect(readDateInput("")).toEqual({ ok: true, value: undefined });
  });

  it("says what it wants for other forms and for days that do not exist", () => {
    expect(readDateInput("12/31/2026")).toEqual({ ok: false, message: DATE_HINT });
    expect(readDateInput("2026-02-30")).toEqual({ ok: false, message: "That day does not exist" });
  });
});
