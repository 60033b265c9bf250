import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CalendarDate } from "./calendar-date";
import { CHURN_RISKS } from "./customer";
import {
  changesByOwner,
  type ChangeWindow,
  classifyChange,
  type DealChange,
  summarizeChanges,
} from "./pipeline-changes";
import type { FilterableDeal } from "./pipeline-filter";
import { DEFAULT_PAGE_SIZE, DEFAULT_SORT, type PipelineQuery } from "./pipeline-query";
import { ALL_OWNERS, ownersScope } from "./pipeline-scope";
import { SALES_STAGES } from "./sales-stage";

const day = (value: string) => value as CalendarDate;
const query = (overrides: Partial<PipelineQuery> = {}): PipelineQuery => ({
  owners: [],
  stages: [],
  status: "open",
  sort: DEFAULT_SORT,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  asOf: day("2026-12-01"),
  ...overrides,
});
const quarter: ChangeWindow = {
  query: query({ closeFrom: day("2026-10-01"), closeTo: day("2026-12-31") }),
  scope: ALL_OWNERS,
  from: day("2026-11-01"),
  to: day("2026-12-01"),
};
const deal = (overrides: Partial<FilterableDeal> = {}): FilterableDeal => ({
  oppId: "O-1",
  name: null,
  customerId: "C-1",
  customerName: "Acme",
  churnRisk: "low",
  stage: "proposal",
  closeDate: day("2026-12-15"),
  amount: new Decimal("1000.00"),
  salesOwner: "ana",
  ...overrides,
});
const kindOf = (change: Partial<DealChange>, window = quarter) =>
  classifyChange({ before: null, after: null, removed: false, ...change }, window)?.kind ?? null;

describe("what changed: each bucket", () => {
  it("names how a deal entered the view", () => {
    expect(kindOf({ after: deal() })).toBe("new");
    expect(kindOf({ before: deal({ closeDate: day("2027-02-01") }), after: deal() })).toBe("pulled_in");
    expect(
      kindOf(
        { before: deal({ salesOwner: "ben" }), after: deal() },
        { ...quarter, query: { ...quarter.query, owners: ["ana"] } },
      ),
    ).toBe("moved_in");
    expect(kindOf({ before: deal({ stage: "closed_lost" }), after: deal() })).toBe("moved_in");
  });

  it("names how a deal left the view, with its amount at `from` taken off", () => {
    expect(kindOf({ before: deal(), removed: true })).toBe("removed");
    expect(kindOf({ before: deal(), after: deal({ stage: "closed_won" }) })).toBe("won");
    expect(kindOf({ before: deal(), after: deal({ stage: "closed_lost", amount: new Decimal(5) }) })).toBe("lost");
    expect(kindOf({ before: deal(), after: deal({ closeDate: day("2027-01-15") }) })).toBe("pushed_out");
    expect(
      classifyChange(
        {
          before: deal({ amount: new Decimal("80.10") }),
          after: deal({ stage: "closed_lost", amount: new Decimal(5) }),
          removed: false,
        },
        quarter,
      )?.amount.toFixed(2),
    ).toBe("-80.10");
  });

  it("moves a deal between reps: out of one rep's view, into the other's", () => {
    const move = { before: deal({ salesOwner: "ana" }), after: deal({ salesOwner: "ben" }), removed: false };
    expect(kindOf(move, { ...quarter, scope: ownersScope(["ana"]) })).toBe("moved_out");
    expect(kindOf(move, { ...quarter, scope: ownersScope(["ben"]) })).toBe("moved_in");
    expect(kindOf(move, { ...quarter, scope: ownersScope(["ana", "ben"]) })).toBeNull();
  });

  it("gives a manager one row per rep: a moved deal leaves one rep and enters the other, and the rows add up to the team", () => {
    const move = {
      before: deal({ oppId: "O1", salesOwner: "ana" }),
      after: deal({ oppId: "O1", salesOwner: "ben" }),
      removed: false,
    };
    const won = {
      before: deal({ oppId: "O2", salesOwner: "ana", amount: new Decimal("250.00") }),
      after: deal({ oppId: "O2", salesOwner: "ana", stage: "closed_won" }),
      removed: false,
    };
    const rows = changesByOwner([move, won], quarter);
    expect(rows.map((row) => [row.owner, row.start.amount.toFixed(2), row.net.toFixed(2), row.largest?.kind])).toEqual([
      ["ana", "1250.00", "-1250.00", "moved_out"],
      ["ben", "0.00", "1000.00", "moved_in"],
    ]);
    const team = summarizeChanges([move, won], quarter);
    expect(rows.reduce((sum, row) => sum.plus(row.net), new Decimal(0)).toFixed(2)).toBe(
      team.end.amount.minus(team.start.amount).toFixed(2),
    );
  });

  it("follows a churn flip in an at-risk view", () => {
    const atRisk = { ...quarter, query: { ...quarter.query, risk: "at-risk" as const } };
    expect(kindOf({ before: deal(), after: deal({ churnRisk: "high" }) }, atRisk)).toBe("moved_in");
    expect(kindOf({ before: deal({ churnRisk: "high" }), after: deal() }, atRisk)).toBe("moved_out");
  });

  it("leaves out a deal created and closed inside the window (in neither set), and counts size changes of deals in both", () => {
    expect(kindOf({ before: null, after: deal({ stage: "closed_won" }) })).toBeNull();
    expect(kindOf({ before: deal(), after: deal({ amount: new Decimal("1200.00") }) })).toBe("increased");
    expect(kindOf({ before: deal(), after: deal({ amount: new Decimal("999.99") }) })).toBe("decreased");
    expect(kindOf({ before: deal(), after: deal({ stage: "qualification" }) })).toBeNull();
  });

  it("reports deals pushed later but still in the window, for information", () => {
    const summary = summarizeChanges(
      [{ before: deal(), after: deal({ closeDate: day("2026-12-30") }), removed: false }],
      quarter,
    );
    expect(summary.pushed).toEqual({ amount: new Decimal("1000.00"), count: 1 });
    expect(summary.buckets.every((bucket) => bucket.count === 0)).toBe(true);
  });
});

describe("what changed: start + buckets = end", () => {
  const dates = fc.integer({ min: 0, max: 120 }).map((offset) => {
    const date = new Date(Date.UTC(2026, 9, 1 + offset));
    return day(date.toISOString().slice(0, 10));
  });
  const state = fc.record({
    name: fc.constantFrom("Platform renewal", null),
    customerName: fc.constantFrom("Acme", "Globex", "Initech"),
    churnRisk: fc.constantFrom(...CHURN_RISKS),
    stage: fc.constantFrom(...SALES_STAGES),
    closeDate: dates,
    amount: fc.integer({ min: 0, max: 100_000_00 }).map((cents) => new Decimal(cents).dividedBy(100)),
    salesOwner: fc.constantFrom("ana", "ben", "cy"),
  });
  const change = fc
    .tuple(fc.option(state, { nil: null }), fc.option(state, { nil: null }), fc.boolean(), fc.nat())
    .map(([before, after, removed, id]) => ({
      before: before && { ...before, oppId: `O-${id}`, customerId: "C-1" },
      after: after && { ...after, oppId: `O-${id}`, customerId: "C-1" },
      removed: after === null && removed,
    }));
  const window = fc.record({
    closeFrom: fc.option(dates, { nil: undefined }),
    closeTo: fc.option(dates, { nil: undefined }),
    risk: fc.constantFrom(undefined, "at-risk" as const, "overdue" as const),
    owners: fc.subarray(["ana", "ben", "cy"]),
    minAmount: fc.option(fc.constantFrom(new Decimal(100), new Decimal(50_000)), { nil: undefined }),
  });

  it("holds to the cent for every view and every pair of days, each deal in at most one bucket", () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), window, dates, dates, (changes, filters, a, b) => {
        const [from, to] = a < b ? [a, b] : [b, a];
        const view: ChangeWindow = { query: query(filters), scope: ALL_OWNERS, from, to };
        const summary = summarizeChanges(changes, view);
        const total = summary.buckets.reduce((sum, bucket) => sum.plus(bucket.amount), summary.start.amount);
        expect(total.toFixed(2)).toBe(summary.end.amount.toFixed(2));
        const classified = changes.filter((c) => classifyChange(c, view) !== null).length;
        expect(summary.buckets.reduce((n, bucket) => n + bucket.count, 0)).toBe(classified);
      }),
      { numRuns: 2_000 },
    );
  });
});
