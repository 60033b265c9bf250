import { ALL_OWNERS } from "../gtm/pipeline-scope";
import { parse } from "csv-parse/sync";
import Decimal from "decimal.js";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DatabaseUnavailable } from "../db/open-database";
import { generateDemoData } from "../demo/generate-demo-data";
import { exportCursorDriver } from "../gtm-prisma/export-cursor";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import { addDays, type CalendarDate } from "../gtm/calendar-date";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import { columnLabel, PIPELINE_COLUMNS, type PipelineColumnId } from "../gtm/pipeline-columns";
import { SORT_COLUMNS } from "../gtm/pipeline-query";
import { OPPORTUNITY_STATUSES } from "../gtm/revenue-at-risk";
import { isOpen, SALES_STAGES } from "../gtm/sales-stage";
import { STATUS_FILTERS } from "../gtm/status-filter";
import { aCustomer, anOpportunity } from "../testing/factories";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import type { ApiDeps } from "./api-deps";
import { ADMIN_VIEWER } from "../testing/viewers";

/** These tests are about the API's shape; who may see what is lib/api/access.test.ts. */
const signedInAsAdmin = { viewer: async () => ADMIN_VIEWER, recordExport: async () => undefined };
import { handleExport } from "./handle-export";
import { handleOpportunities } from "./handle-opportunities";
import { handleSummary } from "./handle-summary";
import type { PipelineRowText, PipelineSummaryJson } from "../gtm/pipeline-wire";

const today = "2026-11-24" as CalendarDate;
const ALL_COLUMNS = PIPELINE_COLUMNS.map((column) => column.id) as PipelineColumnId[];
const TEXT_COLUMNS = new Set<PipelineColumnId>([
  "oppId",
  "customerName",
  "customerId",
  "churnRisk",
  "stage",
  "salesOwner",
  "status",
]);
const INJECTIONS = [
  '=HYPERLINK("http://evil.example","click")',
  "+1+2",
  "-3+4",
  "@SUM(A1:A9)",
  "\tTabbed",
  "\rCarriage",
  "\nNewline",
  "=cmd|' /C calc'!A0",
];
const FORMULA_START = /^[=+\-@\t\r\n]/;

const request = (path: string, search: string | URLSearchParams) =>
  new Request(`http://localhost${path}?${search.toString()}`);

async function json<T>(response: Response): Promise<T> {
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as T;
}

/** Codes the files show in the screen's words, as the page's table does (the JSON keeps the codes). */
const WORDS: Partial<Record<PipelineColumnId, Record<string, string>>> = {
  stage: {
    prospecting: "Prospecting",
    qualification: "Qualification",
    proposal: "Proposal",
    closed_won: "Closed won",
    closed_lost: "Closed lost",
  },
  status: { at_risk: "At risk", overdue: "Overdue", open: "Open", closed_won: "Won", closed_lost: "Lost" },
};
/** What a spreadsheet should show for a JSON value: codes in words, text neutralised (an independent oracle, not the code under test). */
const inert = (id: PipelineColumnId, code: string) => {
  const value = WORDS[id]?.[code] ?? code;
  return TEXT_COLUMNS.has(id) && FORMULA_START.test(value) ? `'${value}` : value;
};

describeEachDatabase("JSON API and export", (kind) => {
  let db: TestDatabase;
  let deps: ApiDeps;
  const data = generateDemoData({ today, seed: 11, customers: 60, opportunities: 1_400, owners: 6 });
  const injected = INJECTIONS.map((name) => aCustomer({ name, churnRisk: "high" }));
  const injectedOpportunities = injected.map((customer, index) =>
    anOpportunity(customer, {
      oppId: index % 2 ? `-INJ-${index}` : `INJ-${index}`,
      salesOwner: "@evil.owner",
      amount: new Decimal(`${index + 1}.05`),
      closeDate: addDays(today, index),
    }),
  );
  const customers = [...data.customers, ...injected];
  const opportunities = [...data.opportunities, ...injectedOpportunities];
  const owners = [...new Set(data.opportunities.map((o) => o.salesOwner))];

  beforeAll(async () => {
    db = await kind.create();
    await insertPipeline(db.prisma, customers, opportunities);
    // As the server builds it: exports read one COPY on PostgreSQL.
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { exportCursor: exportCursorDriver(db) });
    deps = { repository: async () => repository, today: () => today, ...signedInAsAdmin };
  });
  afterAll(() => db?.dispose());

  async function allPages(params: URLSearchParams): Promise<PipelineRowText[]> {
    const rows: PipelineRowText[] = [];
    for (let page = 1; ; page++) {
      const search = new URLSearchParams(params);
      search.set("page", String(page));
      search.set("pageSize", "500");
      const response = await handleOpportunities(request("/api/opportunities", search), deps);
      expect(response.status).toBe(200);
      const body = await json<{ data: PipelineRowText[]; total: number; totalPages: number }>(response);
      rows.push(...body.data);
      if (page >= body.totalPages) {
        expect(rows).toHaveLength(body.total);
        return rows;
      }
    }
  }

  async function exportCsv(
    params: URLSearchParams,
  ): Promise<{ header: string[]; records: string[][]; response: Response }> {
    const search = new URLSearchParams(params);
    search.set("format", "csv");
    const response = await handleExport(request("/api/export", search), deps, { batchSize: 97 });
    expect(response.status).toBe(200);
    const [header, ...records] = parse(await response.text(), { bom: true }) as string[][];
    return { header, records, response };
  }

  async function exportXlsx(params: URLSearchParams): Promise<ExcelJS.Workbook> {
    const search = new URLSearchParams(params);
    search.set("format", "xlsx");
    const response = await handleExport(request("/api/export", search), deps, { batchSize: 97 });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    return workbook;
  }

  const openOpportunities = opportunities.filter((o) => isOpen(o.stage));

  it("GET /api/opportunities answers one page in the documented shape", async () => {
    const body = await json<{
      data: PipelineRowText[];
      total: number;
      page: number;
      pageSize: number;
      totalPages: number;
    }>(
      await handleOpportunities(
        request("/api/opportunities", "pageSize=20&page=2&sort=closeDate.asc&status=all"),
        deps,
      ),
    );
    expect(body).toMatchObject({
      total: opportunities.length,
      page: 2,
      pageSize: 20,
      totalPages: Math.ceil(opportunities.length / 20),
    });
    expect(body.data).toHaveLength(20);
    for (const row of body.data) {
      expect(Object.keys(row).sort()).toEqual([
        "amount",
        "churnRisk",
        "closeDate",
        "customerId",
        "customerName",
        "daysInStage",
        "firstSeen",
        "name",
        "oppId",
        "pushCount",
        "salesOwner",
        "stage",
        "status",
      ]);
      expect(row.amount).toMatch(/^\d+\.\d{2}$/);
      expect(row.firstSeen).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect([typeof row.daysInStage, typeof row.pushCount]).toEqual(["number", "number"]);
      expect(row.closeDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(OPPORTUNITY_STATUSES).toContain(row.status);
    }
    const source = opportunities.find((o) => o.oppId === body.data[0].oppId)!;
    expect(body.data[0].amount).toBe(source.amount.toFixed(2));
  });

  it("lists the open pipeline by default; status widens or narrows it by stage, and picked stages alone decide without one", async () => {
    const total = async (search: string) =>
      (await json<{ total: number }>(await handleOpportunities(request("/api/opportunities", search), deps))).total;
    const count = (test: (stage: string) => boolean) => opportunities.filter((o) => test(o.stage)).length;
    expect(await total("")).toBe(openOpportunities.length);
    expect(await total("status=open")).toBe(openOpportunities.length);
    expect(await total("status=all")).toBe(opportunities.length);
    expect(await total("status=won")).toBe(count((stage) => stage === "closed_won"));
    expect(await total("status=lost")).toBe(count((stage) => stage === "closed_lost"));
    expect(await total("status=closed")).toBe(count((stage) => !isOpen(stage as never)));
    expect(await total("stage=closed_won")).toBe(count((stage) => stage === "closed_won"));
    expect(await total("stage=closed_won&stage=proposal&status=closed")).toBe(count((stage) => stage === "closed_won"));
    expect(await total("stage=proposal&status=won")).toBe(0);
    const open = await json<PipelineSummaryJson>(await handleSummary(request("/api/summary", ""), deps));
    expect([open.totals.amount, open.totals.count, open.totals.wonCount, open.totals.lostCount]).toEqual([
      open.totals.openPipeline,
      open.totals.openCount,
      0,
      0,
    ]);
    const closed = await json<PipelineSummaryJson>(await handleSummary(request("/api/summary", "status=closed"), deps));
    expect([closed.totals.openPipeline, closed.totals.wonCount + closed.totals.lostCount]).toEqual([
      "0.00",
      count((stage) => !isOpen(stage as never)),
    ]);
    expect(new Decimal(closed.totals.won).plus(closed.totals.lost).toFixed(2)).toBe(closed.totals.amount);
  });

  it("GET /api/summary answers the documented shape, amounts as two-place strings", async () => {
    const body = await json<PipelineSummaryJson>(
      await handleSummary(request("/api/summary", "asOf=2026-12-01&status=all"), deps),
    );
    expect(body.asOf).toBe("2026-12-01");
    expect(Object.keys(body.totals).sort()).toEqual([
      "amount",
      "atRisk",
      "atRiskCount",
      "count",
      "lost",
      "lostCount",
      "openCount",
      "openPipeline",
      "overdue",
      "overdueCount",
      "won",
      "wonCount",
    ]);
    expect(body.totals.won).toMatch(/^\d+\.\d{2}$/);
    expect(body.totals.openPipeline).toMatch(/^\d+\.\d{2}$/);
    expect(body.byStage[0]).toEqual({
      stage: expect.any(String),
      count: expect.any(Number),
      amount: expect.stringMatching(/^\d+\.\d{2}$/),
      open: expect.any(String),
      atRisk: expect.any(String),
    });
    expect(body.byOwner[0]).toEqual({
      owner: expect.any(String),
      open: expect.any(String),
      openCount: expect.any(Number),
      atRisk: expect.any(String),
      atRiskCount: expect.any(Number),
      overdue: expect.any(String),
      overdueCount: expect.any(Number),
    });
    expect(body.byCloseMonth[0].month).toMatch(/^\d{4}-\d{2}$/);
    expect(body.byStage.reduce((total, stage) => total + stage.count, 0)).toBe(opportunities.length);
  });

  const viewParams = fc
    .record(
      {
        owner: fc.subarray(owners, { maxLength: 3 }),
        stage: fc.subarray([...SALES_STAGES], { maxLength: 3 }),
        status: fc.constantFrom(...STATUS_FILTERS),
        risk: fc.constantFrom("at-risk", "overdue"),
        closeFrom: fc.integer({ min: -200, max: 200 }).map((days) => addDays(today, days)),
        closeTo: fc.integer({ min: 201, max: 400 }).map((days) => addDays(today, days)),
        minAmount: fc.constantFrom("0", "1000", "5000.50", "20000"),
        maxAmount: fc.constantFrom("100000", "50000.25"),
        q: fc.constantFrom("acme", "CUST-000", "OPP-0001", "inc", "no-such-thing", "="),
        pushedMin: fc.constantFrom("0", "1"),
        stalledDays: fc.constantFrom("0", "1", "400"),
        sort: fc.constantFrom(...SORT_COLUMNS).chain((column) => fc.constantFrom(`${column}.asc`, `${column}.desc`)),
        asOf: fc.constantFrom(today, addDays(today, -60), addDays(today, 90)),
        // Any visible columns in any order; amount always, so the total can be checked.
        columns: fc
          .shuffledSubarray(ALL_COLUMNS, { minLength: 1 })
          .chain((columns) =>
            fc
              .nat(columns.length)
              .map((at) =>
                columns.includes("amount") ? columns : [...columns.slice(0, at), "amount", ...columns.slice(at)],
              ),
          ),
      },
      { requiredKeys: ["owner", "stage", "columns"] },
    )
    .map((record) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(record)) {
        if (key === "columns") params.set("columns", (value as string[]).join(","));
        else for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
      }
      return params;
    });

  it("exports exactly the concatenated API pages, in order, with the visible columns, and totals equal to the summary", async () => {
    await fc.assert(
      fc.asyncProperty(viewParams, async (params) => {
        const columns = params.get("columns")!.split(",") as PipelineColumnId[];
        const apiRows = await allPages(params);
        const { header, records } = await exportCsv(params);
        expect(header).toEqual(columns.map(columnLabel));
        expect(records).toEqual(apiRows.map((row) => columns.map((id) => inert(id, String(row[id] ?? "")))));

        const summary = await json<PipelineSummaryJson>(await handleSummary(request("/api/summary", params), deps));
        const amountAt = columns.indexOf("amount");
        const sum = (rows: string[][]) =>
          rows.reduce((total, record) => total.plus(record[amountAt]), new Decimal(0)).toFixed(2);
        const byStatus = (...statuses: string[]) =>
          records.filter((_, index) => statuses.includes(apiRows[index].status));
        // byStage covers every row of the set (closed ones too); the totals only open, at-risk and overdue ones.
        expect(sum(records)).toBe(
          summary.byStage.reduce((total, stage) => total.plus(stage.amount), new Decimal(0)).toFixed(2),
        );
        expect(records.length).toBe(summary.byStage.reduce((total, stage) => total + stage.count, 0));
        expect([sum(records), records.length]).toEqual([summary.totals.amount, summary.totals.count]);
        expect(sum(byStatus("open", "at_risk", "overdue"))).toBe(summary.totals.openPipeline);
        expect(sum(byStatus("at_risk"))).toBe(summary.totals.atRisk);
        expect(sum(byStatus("overdue"))).toBe(summary.totals.overdue);
        expect([sum(byStatus("closed_won")), byStatus("closed_won").length]).toEqual([
          summary.totals.won,
          summary.totals.wonCount,
        ]);
        expect([sum(byStatus("closed_lost")), byStatus("closed_lost").length]).toEqual([
          summary.totals.lost,
          summary.totals.lostCount,
        ]);
      }),
      { numRuns: 15 },
    );
  });

  it("exports XLSX that exceljs reads back as the same rows, with numeric amounts, real dates, a frozen header and a summary sheet", async () => {
    const params = new URLSearchParams({
      sort: "closeDate.asc",
      columns: "closeDate,customerName,amount,oppId,status",
      minAmount: "1000",
      q: "=inc",
    });
    params.delete("q");
    params.append("stage", "proposal");
    params.append("stage", "closed_won");
    const columns = params.get("columns")!.split(",") as PipelineColumnId[];
    const apiRows = await allPages(params);
    expect(apiRows.length).toBeGreaterThan(100);
    const workbook = await exportXlsx(params);
    const sheet = workbook.getWorksheet("Pipeline")!;
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Pipeline", "Summary"]);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, ...columns.map(columnLabel)]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(apiRows.length + 1);
    apiRows.forEach((row, index) => {
      const cells = sheet.getRow(index + 2);
      const amount = cells.getCell(3);
      const closeDate = cells.getCell(1);
      expect(typeof amount.value).toBe("number");
      expect((amount.value as number).toFixed(2)).toBe(row.amount);
      expect(amount.numFmt).toContain("$");
      expect(closeDate.value).toBeInstanceOf(Date);
      expect((closeDate.value as Date).toISOString().slice(0, 10)).toBe(row.closeDate);
      expect([cells.getCell(2).value, cells.getCell(4).value, cells.getCell(5).value]).toEqual([
        inert("customerName", row.customerName),
        row.oppId,
        inert("status", row.status),
      ]);
    });

    const summary = await json<PipelineSummaryJson>(await handleSummary(request("/api/summary", params), deps));
    const lines = new Map<string, unknown>();
    workbook.getWorksheet("Summary")!.eachRow((row) => {
      const label = String(row.getCell(1).value);
      if (!lines.has(label)) lines.set(label, row.getCell(2).value);
    });
    expect(lines.get("Rows")).toBe(apiRows.length);
    expect(lines.get("Scope")).toBe("All owners");
    expect(lines.get("Status")).toBe("All, open and closed");
    expect(lines.get("Stage")).toBe("Proposal, Closed won");
    expect(lines.get("Sort")).toBe("Close date, ascending");
    expect([(lines.get("Won") as number).toFixed(2), lines.get("Won opportunities")]).toEqual([
      summary.totals.won,
      summary.totals.wonCount,
    ]);
    expect(lines.has("Lost")).toBe(false);
    expect(lines.get("Minimum amount")).toBe("1000.00");
    expect((lines.get("Open pipeline") as number).toFixed(2)).toBe(summary.totals.openPipeline);
    expect((lines.get("Amount, all rows") as number).toFixed(2)).toBe(
      apiRows.reduce((total, row) => total.plus(row.amount), new Decimal(0)).toFixed(2),
    );
  });

  it("writes stage and status in the screen's words in CSV and XLSX, where the JSON API keeps the codes", async () => {
    const params = new URLSearchParams({ status: "all", sort: "oppId.asc", columns: "oppId,stage,status" });
    const apiRows = await allPages(params);
    const { records } = await exportCsv(params);
    const sheet = (await exportXlsx(params)).getWorksheet("Pipeline")!;
    const byId = new Map(records.map(([oppId, stage, status]) => [oppId, { stage, status }]));
    const plainIds = apiRows.filter((row) => !FORMULA_START.test(row.oppId));
    const lostRow = plainIds.find((row) => row.stage === "closed_lost")!;
    const riskyRow = plainIds.find((row) => row.status === "at_risk")!;
    expect(byId.get(lostRow.oppId)).toEqual({ stage: "Closed lost", status: "Lost" });
    expect(byId.get(riskyRow.oppId)?.status).toBe("At risk");
    expect([lostRow.stage, lostRow.status, riskyRow.status]).toEqual(["closed_lost", "closed_lost", "at_risk"]);
    const xlsxRow = sheet.getRow(apiRows.indexOf(lostRow) + 2);
    expect([xlsxRow.getCell(1).value, xlsxRow.getCell(2).value, xlsxRow.getCell(3).value]).toEqual([
      lostRow.oppId,
      "Closed lost",
      "Lost",
    ]);
  });

  it("neutralises injection payloads in CSV and XLSX alike, and keeps amounts numbers", async () => {
    const params = new URLSearchParams({ owner: "@evil.owner", sort: "closeDate.asc", columns: ALL_COLUMNS.join(",") });
    const { records } = await exportCsv(params);
    expect(records).toHaveLength(INJECTIONS.length);
    const workbook = await exportXlsx(params);
    const sheet = workbook.getWorksheet("Pipeline")!;
    INJECTIONS.forEach((name, index) => {
      const csv = Object.fromEntries(ALL_COLUMNS.map((id, at) => [id, records[index][at]]));
      expect(csv.customerName).toBe(`'${name}`);
      expect(csv.salesOwner).toBe("'@evil.owner");
      expect(csv.oppId).toBe(index % 2 ? `'-INJ-${index}` : `INJ-${index}`);
      expect(csv.amount).toBe(`${index + 1}.05`);
      const row = sheet.getRow(index + 2);
      ALL_COLUMNS.forEach((id, at) => {
        const cell = row.getCell(at + 1);
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === "string") expect(cell.value).not.toMatch(FORMULA_START);
      });
      // XML turns a bare CR into LF on reading (exceljs writes it unescaped); the text stays inert either way.
      expect(row.getCell(ALL_COLUMNS.indexOf("customerName") + 1).value).toBe(`'${name.replace(/\r/g, "\n")}`);
      expect(row.getCell(ALL_COLUMNS.indexOf("amount") + 1).value).toBe(index + 1.05);
    });
    // The filters written on the summary sheet are user text too.
    const search = await exportXlsx(new URLSearchParams({ q: "=HYPERLINK(1)" }));
    const lines = new Map<string, unknown>();
    search.getWorksheet("Summary")!.eachRow((row) => {
      const label = String(row.getCell(1).value);
      if (!lines.has(label)) lines.set(label, row.getCell(2).value);
    });
    expect(lines.get("Search")).toBe("'=HYPERLINK(1)");
  });

  it("names the file after the view, offers a BOM for Excel, and ignores page and pageSize", async () => {
    const { response, records } = await exportCsv(
      new URLSearchParams("risk=at-risk&asOf=2026-11-24&page=3&pageSize=5&bom=1"),
    );
    expect(response.headers.get("content-disposition")).toContain('filename="pipeline-at-risk-2026-11-24.csv"');
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const summary = await json<PipelineSummaryJson>(await handleSummary(request("/api/summary", "risk=at-risk"), deps));
    expect(records).toHaveLength(summary.totals.atRiskCount);
    const bytes = new Uint8Array(
      await (await handleExport(request("/api/export", "format=csv&bom=1"), deps)).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const plain = new Uint8Array(await (await handleExport(request("/api/export", "format=csv"), deps)).arrayBuffer());
    expect(plain[0]).toBe("O".charCodeAt(0));
  });
});

describe("API parameter validation (no database needed for a 400)", () => {
  const failing: ApiDeps = {
    repository: () => Promise.reject(new Error("must not be reached")),
    today: () => today,
    ...signedInAsAdmin,
  };
  const BAD_VALUES: Record<string, string[]> = {
    owner: ["x".repeat(65)],
    stage: ["won", "CLOSED", "1"],
    closeFrom: ["2026-02-30", "yesterday", "2026-1-1"],
    closeTo: ["2026-13-01", "20261124"],
    minAmount: ["-1", "1.234", "abc", "1e5", "12345678901234567"],
    maxAmount: ["-5", "1,000", "NaN"],
    risk: ["high", "all"],
    status: ["pending", "OPEN", "won,lost", "at_risk"],
    q: ["q".repeat(201)],
    sort: ["amount", "amount.up", "password.asc", "amount.desc.extra"],
    page: ["0", "-1", "1.5", "abc", "99999999999"],
    pageSize: ["0", "501", "ten"],
    asOf: ["today", "2026-11-31"],
    pushedMin: ["abc", "-1", "1.5", "100001"],
    stalledDays: ["abc", "-3", "2.0", "1e3"],
  };
  const EXPORT_BAD_VALUES: Record<string, string[]> = {
    format: ["pdf", "CSV", ""],
    columns: ["amount,nope", "<script>"],
    bom: ["yes", "2"],
  };
  const handlers = {
    "/api/opportunities": handleOpportunities,
    "/api/summary": handleSummary,
    "/api/export": handleExport,
  } as const;

  for (const [path, handle] of Object.entries(handlers)) {
    const cases = { ...BAD_VALUES, ...(path === "/api/export" ? EXPORT_BAD_VALUES : {}) };
    it.each(Object.entries(cases))(`${path}: bad %s values answer 400 naming the parameter`, async (param, values) => {
      for (const value of values) {
        const params = new URLSearchParams(path === "/api/export" && param !== "format" ? { format: "csv" } : {});
        params.append(param, value);
        const response = await handle(request(path, params), failing);
        expect(response.status, `${param}=${value}`).toBe(400);
        const body = await json<{ error: string; issues: { param: string; message: string }[] }>(response);
        expect(body.error).toContain(param);
        expect(body.issues.map((issue) => issue.param)).toContain(param);
        expect(body.issues.every((issue) => typeof issue.message === "string" && issue.message.length > 0)).toBe(true);
      }
    });
  }

  it("rejects a single-valued parameter given twice, and crossed ranges", async () => {
    const body = await json<{ issues: { param: string }[] }>(
      await handleOpportunities(
        request(
          "/api/opportunities",
          "risk=at-risk&risk=overdue&closeFrom=2026-12-01&closeTo=2026-11-01&minAmount=10&maxAmount=5",
        ),
        failing,
      ),
    );
    expect(body.issues.map((issue) => issue.param).sort()).toEqual(["closeTo", "maxAmount", "risk"]);
  });

  it("never answers 500 for any parameter values", async () => {
    const names = [...Object.keys(BAD_VALUES), ...Object.keys(EXPORT_BAD_VALUES), "unknown"];
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // Only what the API calls; an empty set keeps this property fast.
    const empty = {
      search: async (query) => ({ data: [], total: 0, page: query.page, pageSize: query.pageSize, totalPages: 1 }),
      summarize: async (query) => ({
        asOf: query.asOf,
        totals: {
          count: 0,
          amount: new Decimal(0),
          openPipeline: new Decimal(0),
          openCount: 0,
          atRisk: new Decimal(0),
          atRiskCount: 0,
          overdue: new Decimal(0),
          overdueCount: 0,
          won: new Decimal(0),
          wonCount: 0,
          lost: new Decimal(0),
          lostCount: 0,
        },
        byStage: [],
        byOwner: [],
        byCloseMonth: [],
      }),
      async *streamRows() {},
      async *streamRowTexts() {},
    } satisfies Partial<OpportunityRepository> as unknown as OpportunityRepository;
    const deps: ApiDeps = { repository: async () => empty, today: () => today, ...signedInAsAdmin };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(...names),
            fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("csv", "xlsx", "1", "amount.asc")),
          ),
          { maxLength: 5 },
        ),
        async (pairs) => {
          const params = new URLSearchParams(pairs);
          for (const [path, handle] of Object.entries(handlers)) {
            const response = await handle(request(path, params), deps);
            expect([200, 400], `${path}?${params}`).toContain(response.status);
            await response.arrayBuffer();
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(error).not.toHaveBeenCalled();
    error.mockRestore();
  });

  it("turns a database failure into a 503 without a stack, logged with context", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const down: ApiDeps = {
      repository: () =>
        Promise.reject(
          new DatabaseUnavailable(
            "PostgreSQL at db:5432",
            Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
          ),
        ),
      today: () => today,
      ...signedInAsAdmin,
    };
    for (const [path, handle] of Object.entries(handlers)) {
      const response = await handle(request(path, "format=xlsx&risk=at-risk"), down);
      expect(response.status).toBe(503);
      const body = await json<{ error: string }>(response);
      expect(body.error).toMatch(/database/i);
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|\bat\s|\.ts/);
    }
    expect(error).toHaveBeenCalledTimes(3);
    expect(String(error.mock.calls[0][0])).toContain("/api/opportunities?format=xlsx&risk=at-risk");
    error.mockRestore();
  });
});
