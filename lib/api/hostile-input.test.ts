import Decimal from "decimal.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readPipelineView, type SearchParamsRecord } from "../dashboard/pipeline-view";
import { generateDemoData } from "../demo/generate-demo-data";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import { type CalendarDate, isCalendarDate } from "../gtm/calendar-date";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import { PIPELINE_COLUMNS } from "../gtm/pipeline-columns";
import {
  MAX_PAGE_SIZE,
  type PipelineQuery,
  parsePipelineQuery,
  pipelineQueryToParams,
  RISK_FILTERS,
  SORT_COLUMNS,
} from "../gtm/pipeline-query";
import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { SALES_STAGES } from "../gtm/sales-stage";
import { STATUS_FILTERS } from "../gtm/status-filter";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { ADMIN_VIEWER, adminApiDeps } from "../testing/viewers";
import type { ApiDeps } from "./api-deps";
import { handleExport } from "./handle-export";
import { handleOpportunities } from "./handle-opportunities";
import { handleSummary } from "./handle-summary";

/**
 * Hostile values at every URL parameter of the page parser and of each API handler.
 * lib/api/api.test.ts lists known-bad values per parameter and checks shapes on
 * arbitrary strings; this file throws targeted attack families at them, thousands
 * of times, and checks the invariants: never a 5xx, a 400 names exactly the
 * offending parameter, and whatever reaches the repository is within bounds.
 */
const today = "2026-11-24" as CalendarDate;
const SINGLE = [
  "closeFrom",
  "closeTo",
  "minAmount",
  "maxAmount",
  "risk",
  "status",
  "q",
  "sort",
  "page",
  "pageSize",
  "asOf",
];
const LISTS = ["owner", "stage", "columns"];
const EXPORT_ONLY = ["format", "bom"];
const PARAMS = [...SINGLE, ...LISTS, ...EXPORT_ONLY, "unknown", "__proto__", "constructor"];
const HANDLERS = {
  "/api/opportunities": handleOpportunities,
  "/api/summary": handleSummary,
  "/api/export": handleExport,
} as const;

const big = fc.oneof(
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.constantFrom(
    "9".repeat(400),
    "1e308",
    "1e-308",
    "Infinity",
    "-Infinity",
    "NaN",
    "-0",
    "0x1F",
    "0b11",
    "1_000",
    " 12 ",
    "+5",
    "٣",
    "１２",
    "1.",
    ".5",
    "00000000001",
    "4294967297",
    "9007199254740993",
  ),
);
const date = fc.oneof(
  fc
    .tuple(fc.integer({ min: -1, max: 10_001 }), fc.integer({ min: -1, max: 14 }), fc.integer({ min: -1, max: 33 }))
    .map(([y, m, d]) => `${y}-${m}-${d}`),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
  fc.constantFrom(
    "2026-02-30",
    "2025-02-29",
    "2024-02-29",
    "0000-00-00",
    "9999-12-31",
    "+02026-01-01",
    "2026-11-24T00:00:00Z",
    "2026/11/24",
    "24.11.2026",
    "1970-01-01",
    "2026-11-24\n",
  ),
);
const sql = fc.constantFrom(
  "' OR '1'='1",
  "1; DROP TABLE opportunities; --",
  "amount.desc; DELETE FROM customers",
  "amount.desc, (SELECT pg_sleep(5))",
  "closeDate.asc NULLS FIRST",
  "') UNION SELECT password FROM account --",
  "%",
  "_",
  "\\",
  "%' AND 1=1 AND '%'='",
  "$1",
  "$$ LANGUAGE sql $$",
  "E'\\x00'",
  "\u0000",
  "a\u0000b",
);
const unicode = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }), // includes lone surrogates and control characters
  fc.constantFrom(
    "\u202Eevil",
    "Ä\u0308",
    "🦄🦄",
    "\uFEFF",
    "\uD800",
    "\uDFFF",
    "ｓｅｃｒｅｔ",
    "İ",
    "ß",
    "\r\n",
    "\t",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
  ),
);
const huge = fc.constantFrom(
  "a".repeat(10_240),
  "'".repeat(10_240),
  "%".repeat(10_240),
  "9".repeat(10_240),
  "🦄".repeat(2_560),
  "amount.desc".repeat(1_000),
);
const valid = fc.oneof(
  fc.constantFrom(
    ...SALES_STAGES,
    ...RISK_FILTERS,
    ...STATUS_FILTERS,
    "csv",
    "xlsx",
    "1",
    "0",
    "500",
    "2026-11-24",
    "2026-12-31",
    "1500.50",
    "rep.a",
    "amount,oppId",
  ),
  fc.constantFrom(...SORT_COLUMNS).map((column) => `${column}.asc`),
);
const hostile = fc.oneof(
  big,
  big.map((n) => `-${n}`),
  date,
  sql,
  unicode,
  huge,
  valid,
);
const pair = fc.tuple(fc.constantFrom(...PARAMS), hostile);
/** Up to 8 pairs, the same parameter possibly repeated. */
const hostileParams = fc.array(pair, { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs));

const request = (path: string, params: URLSearchParams) => new Request(`http://localhost${path}?${params}`);

/** The query the repository receives is always within the contract's bounds. */
function expectSaneQuery(query: PipelineQuery) {
  expect(Number.isInteger(query.page) && query.page >= 1 && query.page <= 10_000_000).toBe(true);
  expect(Number.isInteger(query.pageSize) && query.pageSize >= 1 && query.pageSize <= MAX_PAGE_SIZE).toBe(true);
  expect(SORT_COLUMNS).toContain(query.sort.column);
  expect(["asc", "desc"]).toContain(query.sort.direction);
  for (const stage of query.stages) expect(SALES_STAGES).toContain(stage);
  for (const owner of query.owners) expect(owner.length).toBeLessThanOrEqual(64);
  for (const day of [query.closeFrom, query.closeTo, query.asOf])
    if (day !== undefined) expect(isCalendarDate(day)).toBe(true);
  for (const amount of [query.minAmount, query.maxAmount])
    if (amount !== undefined) expect(amount.isNegative() || amount.decimalPlaces() > 2).toBe(false);
  if (query.q !== undefined) expect(query.q.length).toBeLessThanOrEqual(200);
  if (query.risk !== undefined) expect(RISK_FILTERS).toContain(query.risk);
  expect(STATUS_FILTERS).toContain(query.status);
}

/** A repository that answers empty and records what it was asked. */
function recordingRepository(seen: PipelineQuery[]): OpportunityRepository {
  const zero = new Decimal(0);
  return {
    search: async (query: PipelineQuery) => (
      seen.push(query),
      { data: [], total: 0, page: query.page, pageSize: query.pageSize, totalPages: 1 }
    ),
    summarize: async (query: PipelineQuery) => (
      seen.push(query),
      {
        asOf: query.asOf,
        totals: {
          count: 0,
          amount: zero,
          openPipeline: zero,
          openCount: 0,
          atRisk: zero,
          atRiskCount: 0,
          overdue: zero,
          overdueCount: 0,
          won: zero,
          wonCount: 0,
          lost: zero,
          lostCount: 0,
        },
        byStage: [],
        byOwner: [],
        byCloseMonth: [],
      }
    ),
    async *streamRows(query: PipelineQuery) {
      seen.push(query);
    },
    async *streamRowTexts(query: PipelineQuery) {
      seen.push(query);
    },
  } as unknown as OpportunityRepository;
}

async function expectNever5xx(path: string, response: Response, params: URLSearchParams): Promise<void> {
  const label = `${path}?${params.toString().slice(0, 300)}`;
  expect(response.status, label).toBeLessThan(500);
  expect([200, 400], label).toContain(response.status);
  if (response.status === 400) {
    const body = (await response.json()) as { error: string; issues: { param: string; message: string }[] };
    expect(body.issues.length, label).toBeGreaterThan(0);
    for (const issue of body.issues) {
      // Names a parameter that was actually sent (format is required on export, so it may be named when absent).
      if (!(path === "/api/export" && issue.param === "format"))
        expect(params.has(issue.param), `${label}: ${issue.param}`).toBe(true);
      expect(body.error, label).toContain(issue.param);
      expect(issue.message.length).toBeGreaterThan(0);
      // The echo of a bad value is truncated: a 10 kB value never comes back whole.
      expect(issue.message.length, label).toBeLessThan(400);
    }
  } else {
    await response.arrayBuffer();
  }
}

describe("hostile URL parameters, no database (thousands of runs)", () => {
  it("the page's parser never throws, falls back to a sane query, and its canonical URL re-parses cleanly to the same query", () => {
    const record = fc.dictionary(fc.constantFrom(...PARAMS), fc.oneof(hostile, fc.array(hostile, { maxLength: 4 })), {
      maxKeys: 8,
    });
    fc.assert(
      fc.property(record, (raw) => {
        const view = readPipelineView(raw as SearchParamsRecord, {
          viewer: ADMIN_VIEWER,
          repository: undefined as never,
        });
        expectSaneQuery(view.query);
        for (const issue of view.issues) expect(PARAMS).toContain(issue.param);
        for (const column of view.columns) expect(PIPELINE_COLUMNS.map((c) => c.id)).toContain(column);
        const again = parsePipelineQuery(new URLSearchParams(view.search), view.today);
        expect(again.issues).toEqual([]);
        expect(pipelineQueryToParams(again.query, view.today).toString()).toBe(
          new URLSearchParams(view.search)
            .toString()
            .replace(/&?columns=[^&]*/, "")
            .replace(/^&/, ""),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it("each API handler answers 200 or a 400 that names the offending parameters, never a 5xx, and passes only sane queries on", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const seen: PipelineQuery[] = [];
    const deps: ApiDeps = adminApiDeps(recordingRepository(seen), () => today);
    await fc.assert(
      fc.asyncProperty(hostileParams, async (params) => {
        for (const [path, handle] of Object.entries(HANDLERS))
          await expectNever5xx(path, await handle(request(path, params), deps), params);
      }),
      { numRuns: 2_000 },
    );
    expect(seen.length).toBeGreaterThan(100);
    seen.forEach(expectSaneQuery);
    expect(error).not.toHaveBeenCalled();
    error.mockRestore();
  });

  it("one hostile value beside valid ones is refused with a 400 naming that parameter alone, or accepted as the page would accept it", async () => {
    const deps: ApiDeps = adminApiDeps(recordingRepository([]), () => today);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SINGLE, ...LISTS), hostile, async (param, value) => {
        const params = new URLSearchParams({ format: "csv", sort: "amount.asc", page: "2" });
        params.set(param, value);
        const pageAccepts = parsePipelineQuery(params, today).issues.length === 0;
        for (const [path, handle] of Object.entries(HANDLERS)) {
          const response = await handle(request(path, params), deps);
          if (response.status === 400) {
            const body = (await response.json()) as { issues: { param: string }[] };
            expect(new Set(body.issues.map((issue) => issue.param)), `${path} ${param}=${value.slice(0, 80)}`).toEqual(
              new Set([param]),
            );
          } else {
            expect(response.status, `${path} ${param}=${value.slice(0, 80)}`).toBe(200);
            if (param !== "columns") expect(pageAccepts).toBe(true);
            await response.arrayBuffer();
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("a parameter repeated a thousand times, or a 100 kB query string, is still a 200 or a 400", async () => {
    const deps: ApiDeps = adminApiDeps(recordingRepository([]), () => today);
    const cases = [
      new URLSearchParams(Array.from({ length: 1_000 }, (_, i) => ["owner", `rep.${i}`])),
      new URLSearchParams(Array.from({ length: 1_000 }, () => ["page", "2"])),
      new URLSearchParams(Array.from({ length: 1_000 }, () => ["stage", "proposal"])),
      new URLSearchParams(Array.from({ length: 1_000 }, (_, i) => ["columns", i % 2 ? "amount" : "oppId"])),
      new URLSearchParams({ q: "x".repeat(100_000) }),
    ];
    for (const params of cases)
      for (const [path, handle] of Object.entries(HANDLERS))
        await expectNever5xx(path, await handle(request(path, params), deps), params);
  });
});

describeEachDatabase("hostile URL parameters against a real database", (kind) => {
  let db: TestDatabase;
  let deps: ApiDeps;
  beforeAll(async () => {
    db = await kind.create();
    const data = generateDemoData({ today, seed: 8, customers: 30, opportunities: 300, owners: 4 });
    await insertPipeline(db.prisma, data.customers, data.opportunities);
    deps = adminApiDeps(new PrismaOpportunityRepository(db.prisma, ALL_OWNERS), () => today);
  });
  afterAll(() => db?.dispose());

  it("SQL fragments, NUL bytes, LIKE wildcards and odd unicode in the search and owner filters never reach the database as an error", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const values = [
      "\u0000",
      "a\u0000b",
      "%",
      "_",
      "\\",
      "%\\_",
      "' OR '1'='1",
      "1; DROP TABLE opportunities; --",
      "\uD800",
      "\uDFFFx",
      "🦄",
      "\u202E",
      "İ",
      "\uFFFF",
      "\u0001\u0002\u001F",
    ];
    for (const value of values) {
      for (const param of ["q", "owner"]) {
        const params = new URLSearchParams({ [param]: value, format: "csv" });
        for (const [path, handle] of Object.entries(HANDLERS))
          await expectNever5xx(path, await handle(request(path, params), deps), params);
      }
    }
    expect(error).not.toHaveBeenCalled();
    error.mockRestore();
    const [{ count }] = await db.driver.withConnection((c) =>
      c.query<{ count: number }>("SELECT count(*)::int AS count FROM opportunities"),
    );
    expect(count).toBe(300);
  });

  it("random hostile parameter sets through the real repository: never a 5xx", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await fc.assert(
      fc.asyncProperty(hostileParams, async (params) => {
        params.set("format", "csv");
        params.set("pageSize", "5");
        for (const [path, handle] of Object.entries(HANDLERS))
          await expectNever5xx(path, await handle(request(path, params), deps), params);
      }),
      { numRuns: 150 },
    );
    expect(error.mock.calls.map((call) => String(call[0]))).toEqual([]);
    error.mockRestore();
  });
});
