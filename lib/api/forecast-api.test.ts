import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scopeForRole } from "../auth/scope";
import type { Viewer } from "../auth/viewer";
import { PrismaForecastRepository } from "../gtm-prisma/prisma-forecast-repository";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import type { CalendarDate } from "../gtm/calendar-date";
import type { ForecastJson } from "../gtm/forecast-wire";
import { aCustomer } from "../testing/factories";
import { aForecastDeal, storeForecastData } from "../testing/forecast-data";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { ADMIN_VIEWER } from "../testing/viewers";
import type { ExportAuditEntry } from "./api-deps";
import { type ForecastApiDeps, handleForecast } from "./handle-forecast";

const today = "2026-11-24" as CalendarDate;
const viewer = (role: Viewer["role"], ownerId: string | null, team: string[] = []): Viewer => ({
  ...ADMIN_VIEWER,
  userId: `u-${role}`,
  role,
  ownerId,
  scope: scopeForRole(role, ownerId, team),
});
const VIEWERS = { admin: ADMIN_VIEWER, manager: viewer("manager", "mgr.n", ["ana", "ben"]), rep: viewer("rep", "ana") };

describeEachDatabase("GET /api/forecast", (kind) => {
  let db: TestDatabase;
  const exports: ExportAuditEntry[] = [];
  const depsFor = (who: Viewer | null): ForecastApiDeps => ({
    viewer: async () => who,
    repository: async (v) => new PrismaOpportunityRepository(db.prisma, v.scope),
    forecastRepository: async (v) => new PrismaForecastRepository(db.prisma, v.scope),
    recordExport: async (_v, entry) => void exports.push(entry),
    today: () => today,
  });
  const get = (who: Viewer | null, search = "") =>
    handleForecast(new Request(`http://localhost/api/forecast?${search}`), depsFor(who));
  const json = async (who: Viewer | null, search = "") => {
    const response = await get(who, search);
    expect(response.status).toBe(200);
    return (await response.json()) as ForecastJson;
  };

  beforeAll(async () => {
    db = await kind.create();
    const customer = aCustomer({ churnRisk: "low" });
    const money = (value: string) => new Decimal(value);
    await storeForecastData(db.prisma, {
      customers: [customer],
      deals: [
        aForecastDeal(customer, { salesOwner: "ana", stage: "closed_won", amount: money("400.00") }),
        aForecastDeal(customer, { salesOwner: "ana", stage: "proposal", amount: money("1200.00") }),
        aForecastDeal(customer, {
          salesOwner: "ben",
          stage: "qualification",
          amount: money("800.00"),
          forecastCategory: "commit",
        }),
        aForecastDeal(customer, { salesOwner: "cara", stage: "closed_lost", amount: money("50.00") }),
      ],
      quotas: [
        { salesOwner: "ana", period: "2026-Q4", amount: money("1000.00") },
        { salesOwner: "ben", period: "2026-11", amount: money("500.00") },
        { salesOwner: "cara", period: "2026-Q4", amount: money("300.00") },
      ],
      teams: [
        { salesOwner: "ana", manager: "mgr.n", ownerName: "Ana Silva", managerName: "Nora North" },
        { salesOwner: "ben", manager: "mgr.n" },
        { salesOwner: "cara", manager: "mgr.s" },
      ],
    });
  });
  afterAll(() => db?.dispose());

  it("answers the period's figures per rep, team and total, amounts and ratios as decimal strings", async () => {
    const body = await json(VIEWERS.admin, "period=2026-Q4");
    expect(body.period).toEqual({ key: "2026-Q4", start: "2026-10-01", end: "2026-12-31" });
    expect(body.coverageThreshold).toBe("3.00");
    expect(body.rows.find((row) => row.owner === "ana")).toEqual({
      owner: "ana",
      ownerName: "Ana Silva",
      manager: "mgr.n",
      quota: "1000.00",
      won: "400.00",
      lost: "0.00",
      commit: "400.00",
      bestCase: "1600.00",
      pipeline: "1200.00",
      weighted: "600.00",
      riskAdjusted: "1000.00",
      gap: "600.00",
      coverage: "2.0000",
      attainment: "0.4000",
      winRate: { byCount: "1.0000", byAmount: "1.0000", n: 1 },
      avgCycleDays: "91.0",
      avgCycleN: 1,
    });
    expect(body.teams.map((team) => [team.manager, team.managerName, team.owners, team.quota, team.gap])).toEqual([
      ["mgr.n", "Nora North", ["ana", "ben"], "1500.00", "1100.00"],
      ["mgr.s", null, ["cara"], "300.00", "300.00"],
    ]);
    expect([body.total.quota, body.total.won, body.total.lost, body.total.pipeline, body.total.coverage]).toEqual([
      "1800.00",
      "400.00",
      "50.00",
      "2000.00",
      "1.4286",
    ]);
  });

  it("defaults to the quarter of today, and reads a month", async () => {
    expect((await json(VIEWERS.admin)).period.key).toBe("2026-Q4");
    const november = await json(VIEWERS.admin, "period=2026-11");
    expect(november.rows.map((row) => [row.owner, row.quota])).toEqual([["ben", "500.00"]]);
  });

  it("shows a rep their own row, a manager their team's rows and total, an admin every row and team", async () => {
    const seen = async (who: Viewer) => {
      const body = await json(who, "period=2026-Q4");
      return {
        rows: body.rows.map((row) => row.owner),
        teams: body.teams.map((team) => team.manager),
        totalQuota: body.total.quota,
      };
    };
    expect(await seen(VIEWERS.admin)).toEqual({
      rows: ["ana", "ben", "cara"],
      teams: ["mgr.n", "mgr.s"],
      totalQuota: "1800.00",
    });
    expect(await seen(VIEWERS.manager)).toEqual({ rows: ["ana", "ben"], teams: ["mgr.n"], totalQuota: "1500.00" });
    expect(await seen(VIEWERS.rep)).toEqual({ rows: ["ana"], teams: ["mgr.n"], totalQuota: "1000.00" });
    expect((await json(VIEWERS.rep, "period=2026-Q4&owner=cara")).rows).toEqual([]);
  });

  it("answers 401 without a viewer and 400 with the parameter and reason for a bad one", async () => {
    expect((await get(null, "period=2026-Q4")).status).toBe(401);
    for (const [search, param] of [
      ["period=2026-Q5", "period"],
      ["period=2026-13", "period"],
      ["closeFrom=2026-10-01", "closeFrom"],
      ["format=xml", "format"],
      ["sort=amount.desc", "sort"],
      ["stage=won", "stage"],
      ["status=open", "status"],
    ]) {
      const response = await get(VIEWERS.admin, search);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; issues: { param: string; message: string }[] };
      expect(body.issues.map((issue) => issue.param)).toEqual([param]);
    }
  });

  it("exports the table as the page shows it, and logs the export", async () => {
    const response = await get(VIEWERS.manager, "period=2026-Q4&format=csv&sort=won.desc");
    expect(response.headers.get("content-disposition")).toContain('filename="forecast-2026-q4-2026-11-24.csv"');
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "Row,Sales owner,Quota,Won,Commit,Best case,Pipeline,Weighted,Risk-adjusted,Gap,Coverage,Attainment,Lost,Win rate (deals),Win rate (amount),Closed deals,Sales cycle (days),Won deals",
    );
    expect(lines.slice(1).map((line) => line.split(",").slice(0, 4).join(","))).toEqual([
      "Ana Silva (ana),ana,1000.00,400.00",
      "ben,ben,500.00,0.00",
      "Team total: Nora North (mgr.n),,1500.00,400.00",
      "Total,,1500.00,400.00",
    ]);
    expect(exports.at(-1)).toEqual({ format: "csv", filters: "period=2026-Q4&format=csv&sort=won.desc", rowCount: 4 });
  });
});

describe("GET /api/forecast without a database", () => {
  it("refuses a bad period before reading anything", async () => {
    const deps: ForecastApiDeps = {
      viewer: async () => ADMIN_VIEWER,
      repository: () => Promise.reject(new Error("must not be reached")),
      forecastRepository: () => Promise.reject(new Error("must not be reached")),
      recordExport: async () => undefined,
      today: () => today,
    };
    const response = await handleForecast(new Request("http://localhost/api/forecast?period=2026-Q9"), deps);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "Invalid query parameter: period",
      issues: [
        { param: "period", message: '"2026-Q9" must be a month YYYY-MM or a quarter YYYY-Qn, like 2026-05 or 2026-Q2' },
      ],
    });
  });
});
