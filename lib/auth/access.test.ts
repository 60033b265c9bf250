import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ApiDeps } from "../api/api-deps";
import { handleExport } from "../api/handle-export";
import { handleOpportunities } from "../api/handle-opportunities";
import { handleSummary } from "../api/handle-summary";
import { generateDemoData } from "../demo/generate-demo-data";
import { insertPipeline } from "../gtm-prisma/insert-pipeline";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import type { CalendarDate } from "../gtm/calendar-date";
import { isOpen } from "../gtm/sales-stage";
import { sumMoney } from "../money";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { createApiToken, revokeApiToken } from "./api-tokens";
import { type Auth, createAuth, SIGN_IN_ATTEMPTS_PER_MINUTE } from "./create-auth";
import { recentExports } from "./export-audit";
import { createUser, updateUser } from "./users";
import { apiViewer, sessionViewer } from "./viewer";

const today = "2026-11-24" as CalendarDate;
const ORIGIN = "http://pipeline.test";
process.env.BETTER_AUTH_SECRET ??= "test-secret-of-at-least-thirty-two-characters!";

describeEachDatabase("who sees what (sign-in, scope, tokens, audit)", (kind) => {
  let db: TestDatabase;
  let auth: Auth;
  let deps: ApiDeps;
  const data = generateDemoData({ today, seed: 5, customers: 80, opportunities: 1_500, owners: 6 });
  const owners = [...new Set(data.teams.map((member) => member.salesOwner))];
  const [repOwner, teammate, outsider] = [
    data.teams[0].salesOwner,
    data.teams[1].salesOwner,
    data.teams.at(-1)!.salesOwner,
  ];
  const manager = data.teams[0].manager;
  const team = data.teams.filter((member) => member.manager === manager).map((member) => member.salesOwner);
  const users = {
    admin: { email: "admin@access.test", role: "admin", password: "admin-password-1" },
    manager: { email: "manager@access.test", role: "manager", ownerId: manager, password: "manager-password-1" },
    rep: { email: "rep@access.test", role: "rep", ownerId: repOwner, password: "rep-password-1" },
    unlinked: { email: "nobody@access.test", role: "rep", ownerId: "no.such.owner", password: "nobody-password-1" },
  };
  const scopeOf: Record<keyof typeof users, string[]> = {
    admin: owners,
    manager: [...team, manager],
    rep: [repOwner],
    unlinked: [],
  };
  const cookies: Record<string, string> = {};
  // Sign-in attempts are counted per client address, in memory shared by the suites: each suite its own subnet.
  const subnet = kind.name.startsWith("PGlite") ? "10.1" : "10.2";
  let ip = 0;

  const signIn = async (email: string, password: string, clientIp = `${subnet}.0.${++ip}`) =>
    auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": clientIp },
        body: JSON.stringify({ email, password }),
      }),
    );
  const cookieFrom = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0])
      .join("; ");
  const get = (path: string, headers: Record<string, string>) => new Request(`${ORIGIN}${path}`, { headers });
  const json = async <T>(response: Response) => (await response.json()) as T;

  beforeAll(async () => {
    db = await kind.create();
    await insertPipeline(db.prisma, data.customers, data.opportunities);
    await db.prisma.salesTeamMember.createMany({ data: data.teams });
    for (const user of Object.values(users)) await createUser(db.prisma, user);
    auth = createAuth(db, { baseURL: ORIGIN });
    deps = {
      viewer: (request) => apiViewer(db.prisma, auth, request.headers),
      repository: async (viewer) => new PrismaOpportunityRepository(db.prisma, viewer.scope),
      recordExport: async (viewer, entry) => {
        const { recordExport } = await import("./export-audit");
        await recordExport(db.prisma, { userId: viewer.userId, ...entry });
      },
      today: () => today,
    };
    for (const [name, user] of Object.entries(users)) {
      const response = await signIn(user.email, user.password);
      expect(response.status, name).toBe(200);
      const cookie = cookieFrom(response);
      expect(response.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
      expect(response.headers.getSetCookie()[0]).toMatch(/SameSite=Lax/i);
      cookies[name] = cookie;
    }
  });
  afterAll(() => db?.dispose());

  const tampering = (self: string) => [
    "",
    `owner=${outsider}`,
    `owner=${self}&owner=${outsider}`,
    `owner=${teammate}`,
    "q=OPP-000001",
    "risk=at-risk",
    "sort=salesOwner.desc",
  ];

  it.each(Object.keys(users) as (keyof typeof users)[])(
    "%s: every API route returns only rows in scope, with totals of the scoped data",
    async (role) => {
      const allowed = new Set(scopeOf[role]);
      const visible = data.opportunities.filter((o) => allowed.has(o.salesOwner));
      const headers = { cookie: cookies[role] };
      for (const search of tampering(scopeOf[role][0] ?? "x")) {
        const page = await json<{ data: { salesOwner: string }[]; total: number }>(
          await handleOpportunities(get(`/api/opportunities?pageSize=500&${search}`, headers), deps),
        );
        expect(
          page.data.every((row) => allowed.has(row.salesOwner)),
          `${role} ${search}`,
        ).toBe(true);
        const csv = await (
          await handleExport(get(`/api/export?format=csv&columns=oppId,salesOwner&${search}`, headers), deps)
        ).text();
        const exported = csv
          .trim()
          .split(/\r?\n/)
          .slice(1)
          .map((line) => line.split(","));
        expect(
          exported.every(([, owner]) => allowed.has(owner)),
          `${role} export ${search}`,
        ).toBe(true);
        expect(exported).toHaveLength(page.total);
      }
      const summary = await json<{ totals: { openPipeline: string; openCount: number; count: number } }>(
        await handleSummary(get("/api/summary?status=all", headers), deps),
      );
      const open = visible.filter((o) => isOpen(o.stage));
      expect(summary.totals.count).toBe(visible.length);
      const openView = await json<{ totals: { count: number } }>(
        await handleSummary(get("/api/summary", headers), deps),
      );
      expect(openView.totals.count).toBe(open.length);
      expect(summary.totals.openCount).toBe(open.length);
      expect(summary.totals.openPipeline).toBe(sumMoney(open.map((o) => o.amount)).toFixed(2));
    },
  );

  it("names each viewer's real scope on the XLSX summary sheet: everything only for an admin", async () => {
    const expected = { admin: "All owners", manager: `Team ${manager}`, rep: `Owner ${repOwner}` };
    for (const [role, scope] of Object.entries(expected)) {
      const response = await handleExport(
        get("/api/export?format=xlsx&columns=oppId", { cookie: cookies[role] }),
        deps,
      );
      expect(response.status, role).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
      const lines = new Map<string, unknown>();
      workbook.getWorksheet("Summary")!.eachRow((row) => lines.set(String(row.getCell(1).value), row.getCell(2).value));
      expect([lines.get("Scope"), lines.get("Sales owner")], role).toEqual([scope, "All in scope"]);
    }
  });

  it("hides another owner's opportunity and customer as if they did not exist", async () => {
    const repViewer = (await apiViewer(db.prisma, auth, new Headers({ cookie: cookies.rep })))!;
    const repository = new PrismaOpportunityRepository(db.prisma, repViewer.scope);
    const theirs = data.opportunities.find((o) => o.salesOwner === outsider)!;
    const mine = data.opportunities.find((o) => o.salesOwner === repOwner)!;
    expect(await repository.findOpportunity(theirs.oppId, today)).toBeNull();
    expect((await repository.findOpportunity(mine.oppId, today))?.oppId).toBe(mine.oppId);
    const onlyTheirs = data.customers.find(
      (c) =>
        data.opportunities.some((o) => o.customerId === c.customerId) &&
        !data.opportunities.some((o) => o.customerId === c.customerId && o.salesOwner === repOwner),
    )!;
    expect(await repository.findCustomer(onlyTheirs.customerId)).toBeNull();
    expect(await repository.getOpenForCustomer(onlyTheirs.customerId)).toEqual([]);
    expect(await repository.findCustomer(mine.customerId)).not.toBeNull();
    expect((await repository.getOpenForCustomer(mine.customerId)).every((o) => o.salesOwner === repOwner)).toBe(true);
    expect(await repository.listOwners()).toEqual([repOwner]);
  });

  it("refuses requests without a session or token, and with a forged cookie", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { cookie: "better-auth.session_token=forged.value" },
      { authorization: "Bearer prk_not-a-token" },
      { authorization: "Basic YWRtaW46YWRtaW4=" },
    ];
    for (const headers of attempts) {
      for (const handle of [handleOpportunities, handleSummary, handleExport]) {
        const response = await handle(get("/api/export?format=csv", headers), deps);
        expect(response.status, JSON.stringify(headers)).toBe(401);
        expect(response.headers.get("WWW-Authenticate")).toMatch(/Bearer/);
      }
    }
  });

  it("gives an API token exactly its user's scope, until it is revoked", async () => {
    const repUser = await db.prisma.user.findUniqueOrThrow({ where: { email: users.rep.email } });
    const { token, info } = await createApiToken(db.prisma, repUser.id, "script");
    const stored = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: info.id } });
    expect(stored.tokenHash).not.toContain(token.slice(4, 20));
    const headers = { authorization: `Bearer ${token}` };
    const page = await json<{ data: { salesOwner: string }[] }>(
      await handleOpportunities(
        get(`/api/opportunities?pageSize=500&owner=${outsider}&owner=${repOwner}`, headers),
        deps,
      ),
    );
    expect(new Set(page.data.map((row) => row.salesOwner))).toEqual(new Set([repOwner]));
    expect(await revokeApiToken(db.prisma, repUser.id, info.id)).toBe(true);
    expect((await handleOpportunities(get("/api/opportunities", headers), deps)).status).toBe(401);
    // A token wins over a cookie: a revoked token with a valid cookie is still refused.
    expect((await handleSummary(get("/api/summary", { ...headers, cookie: cookies.rep }), deps)).status).toBe(401);
  });

  it("lets a token read the API only: pages and actions see no one (issue 13.5)", async () => {
    const repUser = await db.prisma.user.findUniqueOrThrow({ where: { email: users.rep.email } });
    const { token } = await createApiToken(db.prisma, repUser.id, "leaked");
    const bearer = new Headers({ authorization: `Bearer ${token}` });
    expect((await apiViewer(db.prisma, auth, bearer))?.email).toBe(users.rep.email);
    expect(await sessionViewer(db.prisma, auth, bearer)).toBeNull();
    // A page with a token and a session cookie is the session's, never the token's.
    const both = new Headers({ authorization: `Bearer ${token}`, cookie: cookies.manager });
    expect((await sessionViewer(db.prisma, auth, both))?.email).toBe(users.manager.email);
  });

  it("does not let a non-Bearer Authorization header hide a valid session (a basic-auth proxy, issue 13.9)", async () => {
    const headers = { authorization: "Basic dXNlcjpwYXNz", cookie: cookies.rep };
    expect((await handleSummary(get("/api/summary", headers), deps)).status).toBe(200);
    expect((await sessionViewer(db.prisma, auth, new Headers(headers)))?.email).toBe(users.rep.email);
    // "Bearer" with a bad token stays refused, cookie or not.
    expect(
      (await handleSummary(get("/api/summary", { authorization: "Bearer", cookie: cookies.rep }), deps)).status,
    ).toBe(401);
  });

  it("records who exported what, with the filters and row count", async () => {
    const before = (await recentExports(db.prisma)).length;
    const response = await handleExport(
      get(`/api/export?format=csv&owner=${repOwner}&risk=at-risk`, { cookie: cookies.manager }),
      deps,
    );
    const rows = (await response.text()).trim().split(/\r?\n/).length - 1;
    const [latest, ...rest] = await recentExports(db.prisma);
    expect(rest.length).toBe(before);
    expect(latest).toMatchObject({ format: "csv", rowCount: rows, user: { email: users.manager.email } });
    expect(latest.filters).toContain(`owner=${repOwner}`);
  });

  it("rate-limits sign-in attempts per client with one generic answer for wrong email and wrong password", async () => {
    const wrongPassword = await signIn(users.rep.email, "wrong-password-x", `${subnet}.9.9`);
    const wrongEmail = await signIn("nobody-here@access.test", "wrong-password-x", `${subnet}.9.8`);
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    expect((await wrongPassword.json()).message).toBe((await wrongEmail.json()).message);
    const statuses: number[] = [wrongPassword.status];
    for (let attempt = 1; attempt <= SIGN_IN_ATTEMPTS_PER_MINUTE + 1; attempt++)
      statuses.push((await signIn(users.rep.email, "wrong-password-x", `${subnet}.9.9`)).status);
    expect(statuses.slice(0, SIGN_IN_ATTEMPTS_PER_MINUTE)).toEqual(Array(SIGN_IN_ATTEMPTS_PER_MINUTE).fill(401));
    expect(statuses.at(-1)).toBe(429);
    // Even the right password waits out the window from that address; another address is unaffected.
    expect((await signIn(users.rep.email, users.rep.password, `${subnet}.9.9`)).status).toBe(429);
    expect((await signIn(users.rep.email, users.rep.password, `${subnet}.9.7`)).status).toBe(200);
  });

  it("ends the session on sign-out", async () => {
    const cookie = cookieFrom(await signIn(users.admin.email, users.admin.password));
    expect((await handleSummary(get("/api/summary", { cookie }), deps)).status).toBe(200);
    const out = await auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-out`, {
        method: "POST",
        headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(out.status).toBe(200);
    expect((await handleSummary(get("/api/summary", { cookie }), deps)).status).toBe(401);
  });

  it("applies a role change at the next request, and a password change ends every session but leaves API tokens", async () => {
    const changing = { email: "changing@access.test", role: "rep", ownerId: repOwner, password: "changing-password-1" };
    await createUser(db.prisma, changing);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email: changing.email } });
    const cookie = cookieFrom(await signIn(changing.email, changing.password));
    const { token } = await createApiToken(db.prisma, user.id, "nightly");
    const total = async (headers: Record<string, string>) =>
      (await json<{ total: number }>(await handleOpportunities(get("/api/opportunities?status=all", headers), deps)))
        .total;
    const asRep = await total({ cookie });
    await updateUser(db.prisma, changing.email, { role: "admin" });
    expect(await total({ cookie })).toBe(data.opportunities.length);
    expect(await total({ authorization: `Bearer ${token}` })).toBe(data.opportunities.length);
    await updateUser(db.prisma, changing.email, { role: "rep", ownerId: repOwner, password: "changed-password-2" });
    expect((await handleSummary(get("/api/summary", { cookie }), deps)).status).toBe(401);
    expect(await total({ authorization: `Bearer ${token}` })).toBe(asRep);
  });

  it("refuses a sign-in posted from another site", async () => {
    const response = await auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "https://evil.example",
          cookie: "x=1",
          "x-forwarded-for": `${subnet}.8.8`,
        },
        body: JSON.stringify({ email: users.admin.email, password: users.admin.password }),
      }),
    );
    expect(response.status).toBe(403);
  });
});
