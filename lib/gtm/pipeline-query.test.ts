import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, parsePipelineQuery, pipelineQueryToParams } from "./pipeline-query";

const today = "2026-11-24" as CalendarDate;
const parse = (search: string) => parsePipelineQuery(new URLSearchParams(search), today);

describe("PipelineQuery from URL parameters", () => {
  it("defaults to the open pipeline, sorted by amount descending, page 1 of 50, as of today", () => {
    expect(parse("")).toEqual({
      query: {
        owners: [],
        stages: [],
        status: "open",
        sort: DEFAULT_SORT,
        page: 1,
        pageSize: DEFAULT_PAGE_SIZE,
        asOf: today,
      },
      issues: [],
    });
  });

  it("reads every parameter of the contract", () => {
    const { query, issues } = parse(
      "owner=ana.silva&owner=ben.kim&stage=proposal&stage=prospecting&closeFrom=2026-12-01&closeTo=2027-03-31" +
        "&minAmount=1000&maxAmount=250000.50&risk=at-risk&q=%20acme%20&sort=closeDate.asc&page=3&pageSize=200&asOf=2026-12-01&pushedMin=2&stalledDays=30",
    );
    expect(issues).toEqual([]);
    expect(query).toMatchObject({
      owners: ["ana.silva", "ben.kim"],
      stages: ["proposal", "prospecting"],
      closeFrom: "2026-12-01",
      closeTo: "2027-03-31",
      risk: "at-risk",
      q: "acme",
      sort: { column: "closeDate", direction: "asc" },
      page: 3,
      pageSize: 200,
      asOf: "2026-12-01",
      pushedMin: 2,
      stalledDays: 30,
    });
    expect(query.minAmount?.toFixed(2)).toBe("1000.00");
    expect(query.maxAmount?.toFixed(2)).toBe("250000.50");
  });

  it("treats empty values (an untouched form field) as absent, not invalid", () => {
    expect(parse("owner=&closeFrom=&q=&risk=").issues).toEqual([]);
  });

  it.each([
    ["page=0", "page", /at least 1/],
    ["page=-2", "page", /whole number/],
    ["page=abc", "page", /whole number/],
    ["pageSize=501", "pageSize", /at most 500/],
    ["closeFrom=2026-02-30", "closeFrom", /real calendar date/],
    ["asOf=24/11/2026", "asOf", /real calendar date/],
    ["minAmount=-5", "minAmount", /non-negative decimal/],
    ["maxAmount=1,234.50", "maxAmount", /non-negative decimal/],
    ["minAmount=1.234", "minAmount", /two decimal places/],
    ["risk=maybe", "risk", /at-risk, overdue/],
    ["status=pending", "status", /must be one of open, won, lost, closed, all/],
    ["status=open&status=won", "status", /more than once/],
    ["sort=amount", "sort", /<column>\.<asc\|desc>/],
    ["sort=password.asc", "sort", /<column>\.<asc\|desc>/],
    ["stage=negotiation", "stage", /"negotiation" must be one of prospecting/],
    [`owner=${"x".repeat(65)}`, "owner", /at most 64/],
    [`q=${"x".repeat(201)}`, "q", /at most 200/],
    ["page=1&page=2", "page", /more than once/],
    ["pushedMin=abc", "pushedMin", /whole number/],
    ["pushedMin=-1", "pushedMin", /whole number/],
    ["stalledDays=2.5", "stalledDays", /whole number/],
    ["stalledDays=100001", "stalledDays", /at most 100000/],
    ["sort=daysInStage.up", "sort", /daysInStage/],
  ])("reports %s as an issue on %s and falls back to the default", (search, param, message) => {
    const { query, issues } = parse(search);
    expect(issues).toHaveLength(1);
    expect(issues[0].param).toBe(param);
    expect(issues[0].message).toMatch(message);
    expect(query.page).toBe(1);
    expect(query.pageSize).toBe(DEFAULT_PAGE_SIZE);
  });

  it("rejects a reversed range on its upper end and keeps the lower", () => {
    const { query, issues } = parse("closeFrom=2027-01-01&closeTo=2026-01-01&minAmount=10&maxAmount=5");
    expect(issues.map((issue) => issue.param)).toEqual(["closeTo", "maxAmount"]);
    expect(query.closeFrom).toBe("2027-01-01");
    expect(query.closeTo).toBeUndefined();
    expect(query.minAmount?.toFixed(2)).toBe("10.00");
    expect(query.maxAmount).toBeUndefined();
  });

  it("drops repeated owners and stages", () => {
    expect(parse("owner=a&owner=a&stage=proposal&stage=proposal").query).toMatchObject({
      owners: ["a"],
      stages: ["proposal"],
    });
  });

  it("reads the status filter; without one, the open pipeline unless a closed stage is picked, and then the picked stages", () => {
    expect(parse("status=won").query).toMatchObject({ status: "won", stages: [] });
    expect(parse("status=closed&stage=closed_lost").query).toMatchObject({ status: "closed", stages: ["closed_lost"] });
    expect(parse("stage=closed_won").query).toMatchObject({ status: "all", stages: ["closed_won"] });
    expect(parse("stage=nonsense").query.status).toBe("open");
    expect(parse("status=pending").query.status).toBe("open");
    expect(parse("stage=proposal").query.status).toBe("open");
    expect(parse("stage=proposal&stage=closed_lost").query.status).toBe("all");
    expect(parse("status=pending&stage=closed_lost").query.status).toBe("all");
  });

  it.each([
    ["", ""],
    ["status=open", ""],
    ["status=all", "status=all"],
    ["stage=closed_won", "stage=closed_won"],
    ["stage=closed_won&status=all", "stage=closed_won"],
    ["stage=proposal&status=open", "stage=proposal"],
    ["stage=proposal&status=all", "stage=proposal&status=all"],
    ["stage=closed_lost&status=lost", "stage=closed_lost&status=lost"],
  ])("writes %j back as %j: status only where it is not the default", (search, canonical) => {
    const params = pipelineQueryToParams(parse(search).query, today);
    expect(params.toString()).toBe(canonical);
    expect(parse(params.toString()).query).toEqual(parse(search).query);
  });

  it("round-trips through URL parameters, leaving defaults out", () => {
    const search =
      "owner=ana&stage=proposal&status=closed&closeFrom=2026-12-01&minAmount=10.5&risk=overdue&q=acme&sort=status.asc&page=2&pageSize=25&asOf=2026-12-01";
    const { query } = parse(search);
    const params = pipelineQueryToParams(query, today);
    expect(parse(params.toString()).query).toEqual(query);
    expect(pipelineQueryToParams(parse("").query, today).toString()).toBe("");
  });
});
