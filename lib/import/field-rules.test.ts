import { describe, expect, it } from "vitest";
import { amount, calendarDate, churnRisk, forecastCategory, probability, stage, text } from "./field-rules";

const reason = (rule: (value: string, column: string) => string, value: string, column = "x") => {
  try {
    rule(value, column);
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
};

describe("import field rules", () => {
  it("amount: a non-negative decimal with at most two places, kept as written", () => {
    for (const ok of ["0", "12", "12.5", "1234.50", "9999999999999999.99"]) expect(amount(ok, "amount")).toBe(ok);
    expect(reason(amount, "1,234.50")).toBe(
      '"1,234.50" is not a valid amount: use a plain decimal without thousands separators, like 1234.50',
    );
    expect(reason(amount, "$12")).toBe('"$12" is not a valid amount: leave out the currency, like 12');
    expect(reason(amount, "-5.00")).toBe('"-5.00" is not a valid amount: amounts cannot be negative');
    expect(reason(amount, "12.345")).toBe('"12.345" is not a valid amount: use at most two decimal places (cents)');
    expect(reason(amount, "12,50")).toBe(
      '"12,50" is not a valid amount: use a dot as the decimal separator and no thousands separators, like 1234.50',
    );
    expect(reason(amount, "12e3")).toBe(
      '"12e3" is not a valid amount: use a plain non-negative decimal with at most two places, like 1234.50',
    );
    expect(reason(amount, "12345678901234567")).toBe(
      '"12345678901234567" is not a valid amount: at most 16 digits before the decimal point',
    );
    expect(reason(amount, "12345678901234567.5")).toBe(
      '"12345678901234567.5" is not a valid amount: at most 16 digits before the decimal point',
    );
    // Leading zeros do not count.
    for (const ok of ["0000000009999999999999999.99", "00", "0.5", "000.00"]) expect(amount(ok, "amount")).toBe(ok);
  });

  it("close_date: a real calendar date in YYYY-MM-DD, with a hint for the usual mistakes", () => {
    expect(calendarDate("2024-02-29", "close_date")).toBe("2024-02-29");
    // Checked the same the second time (valid dates are remembered).
    expect(calendarDate("2024-02-29", "close_date")).toBe("2024-02-29");
    expect(reason(calendarDate, "2023-02-29")).toBe(reason(calendarDate, "2023-02-29"));
    expect(reason(calendarDate, "3/1/2017")).toBe(
      '"3/1/2017" is not a calendar date in YYYY-MM-DD form (ambiguous: it could be 2017-03-01 or 2017-01-03; write it as YYYY-MM-DD)',
    );
    expect(reason(calendarDate, "13/1/2017")).toBe(
      '"13/1/2017" is not a calendar date in YYYY-MM-DD form (write it as YYYY-MM-DD: 2017-01-13)',
    );
    expect(reason(calendarDate, "2023-02-29")).toBe(
      '"2023-02-29" is not a calendar date in YYYY-MM-DD form (2023-02 has no day 29)',
    );
    expect(reason(calendarDate, "2023-13-01")).toBe(
      '"2023-13-01" is not a calendar date in YYYY-MM-DD form (there is no month 13)',
    );
    expect(reason(calendarDate, "2023-03-01T10:00:00Z")).toBe(
      '"2023-03-01T10:00:00Z" is not a calendar date in YYYY-MM-DD form (leave out the time: 2023-03-01)',
    );
    expect(reason(calendarDate, "soon")).toBe('"soon" is not a calendar date in YYYY-MM-DD form');
  });

  it("stage and churn risk are the domain's parsers, any letter case", () => {
    expect(stage("Closed_Won", "stage")).toBe("closed_won");
    expect(reason(stage, "Won")).toBe(
      '"Won" is not a sales stage (expected one of prospecting, qualification, proposal, closed_won, closed_lost)',
    );
    expect(churnRisk("HIGH", "churn_risk")).toBe("high");
    expect(reason(churnRisk, "severe")).toBe('"severe" is not a churn risk (expected low, medium or high)');
  });

  it("forecast category: any letter case; probability: a whole percent from 0 to 100", () => {
    expect(forecastCategory("Best_Case", "forecast_category")).toBe("best_case");
    expect(reason(forecastCategory, "upside", "forecast_category")).toBe(
      '"upside" is not a forecast category (expected one of pipeline, best_case, commit, omitted)',
    );
    for (const [given, stored] of [
      ["0", "0"],
      ["100", "100"],
      ["007", "7"],
    ])
      expect(probability(given, "probability")).toBe(stored);
    expect(reason(probability, "101")).toBe('"101" is not a probability: use a whole percent from 0 to 100, like 25');
    expect(reason(probability, "-5")).toBe('"-5" is not a probability: use a whole percent from 0 to 100, like 25');
    expect(reason(probability, "40 %")).toBe('"40 %" is not a probability: leave out the % sign: 40');
    expect(reason(probability, ".4")).toBe(
      '".4" is not a probability: use a whole percent, not a fraction (0.25 is 25)',
    );
  });

  it("ids: at most 64 characters", () => {
    expect(text(64)("x".repeat(64), "opp_id")).toBe("x".repeat(64));
    expect(reason(text(64), "x".repeat(65))).toBe(`"${"x".repeat(65)}" is too long: at most 64 characters (found 65)`);
  });
});
