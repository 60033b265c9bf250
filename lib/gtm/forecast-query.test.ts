import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import { forecastQueryToParams, parseForecastQuery } from "./forecast-query";

const today = "2026-11-24" as CalendarDate;
const parse = (search: string) => parseForecastQuery(new URLSearchParams(search), today);

describe("forecast query", () => {
  it("defaults to the quarter of today, sorted by owner, and keeps the dashboard's filters", () => {
    const { query, issues } = parse("owner=ana&stage=proposal&risk=at-risk&minAmount=10&q=acme&asOf=2026-11-01");
    expect(issues).toEqual([]);
    expect(query.period.key).toBe("2026-Q4");
    expect(query.sort).toEqual({ column: "owner", direction: "asc" });
    expect(query.filters).toMatchObject({
      owners: ["ana"],
      stages: ["proposal"],
      risk: "at-risk",
      q: "acme",
      asOf: "2026-11-01",
    });
    expect(forecastQueryToParams(query, today).toString()).toBe(
      "owner=ana&stage=proposal&minAmount=10&risk=at-risk&q=acme&asOf=2026-11-01&period=2026-Q4",
    );
  });

  it("reads a month or a quarter and a forecast sort, which the pipeline's sort would refuse", () => {
    const { query, issues } = parse("period=2026-05&sort=coverage.desc&page=3");
    expect(issues).toEqual([]);
    expect([query.period.key, query.period.start, query.period.end]).toEqual(["2026-05", "2026-05-01", "2026-05-31"]);
    expect(forecastQueryToParams(query, today).toString()).toBe("period=2026-05&sort=coverage.desc");
  });

  it("reports a bad period, a bad sort and close dates (the period decides them), and falls back to the defaults", () => {
    const { query, issues } = parse("period=2026-Q5&sort=amount.desc&closeFrom=2026-01-01&period=2026-Q1");
    expect(issues.map((issue) => issue.param)).toEqual(["closeFrom", "period", "sort"]);
    expect(issues[1].message).toBe("was given more than once");
    expect(parse("period=Q1-2026").issues).toEqual([
      { param: "period", message: '"Q1-2026" must be a month YYYY-MM or a quarter YYYY-Qn, like 2026-05 or 2026-Q2' },
    ]);
    expect(query.period.key).toBe("2026-Q4");
    expect(query.sort.column).toBe("owner");
    expect(query.filters.closeFrom).toBeUndefined();
  });

  it("counts won, lost and open deals whatever the dashboard's status: a status is reported, not applied", () => {
    expect(parse("").query.filters.status).toBe("all");
    const { query, issues } = parse("status=open&owner=ana");
    expect(issues).toEqual([
      { param: "status", message: "does not apply to the forecast: it counts won, lost and open deals" },
    ]);
    expect(query.filters).toMatchObject({ status: "all", owners: ["ana"] });
    expect(forecastQueryToParams(query, today).toString()).toBe("owner=ana&period=2026-Q4");
  });
});
