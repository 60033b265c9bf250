import { expect, type Page, test } from "@playwright/test";
import type { CalendarDate } from "../lib/gtm/calendar-date";
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { demoOwnerName } from "../lib/demo/demo-history";
import { demoUsers } from "../lib/demo/demo-users";
import { formatUsd } from "../lib/money";
import { assertLocalDatabase } from "./assert-local-database";
import { demoSummary } from "./demo-data";

assertLocalDatabase();

const [, manager, rep] = demoUsers();
const team = generateDemoData({ today: "2000-01-01" as CalendarDate, opportunities: 0 })
  .teams.filter((member) => member.manager === manager.ownerId)
  .map((member) => member.salesOwner);
const ownersShown = async (page: Page) => {
  const table = page.getByRole("region", { name: "Opportunities", exact: true });
  await expect(table.locator("thead")).toBeVisible();
  const headers = await table.locator("thead th").allInnerTexts();
  const index = headers.findIndex((text) => text.toLowerCase().startsWith("sales owner"));
  return new Set(await table.locator(`tbody td:nth-child(${index + 1})`).allInnerTexts());
};
const ownerOptions = async (page: Page) => {
  await page.getByText("All owners").click();
  return page.getByRole("group", { name: "Owners" }).getByRole("checkbox").locator("..").allInnerTexts();
};

test.describe("a rep", () => {
  test.use({ storageState: ".auth/rep.json" });

  test("lands on their own pipeline, and cannot widen it through the URL", async ({ page }) => {
    const summary = await demoSummary(`owner=${rep.ownerId}`);
    await page.goto("/");
    await expect(page.getByTestId("kpi-at-risk")).toHaveAttribute("title", formatUsd(summary.totals.atRisk));
    // The screen names owners by the teams file's display names; ids stay in URLs, the API and exports.
    expect(await ownersShown(page)).toEqual(new Set([demoOwnerName(rep.ownerId!)]));
    // One owner: shown as the view's owner, not offered as a choice.
    await expect(page.getByTestId("owner-fixed")).toHaveText(demoOwnerName(rep.ownerId!));
    await expect(page.getByText("All owners")).toHaveCount(0);

    const outsider = team.find((owner) => owner !== rep.ownerId)!;
    await page.goto(`/?owner=${outsider}`);
    await expect(page.getByRole("region", { name: "Opportunities", exact: true })).toContainText(
      "No opportunities match",
    );
    await expect(page.getByTestId("kpi-open")).toHaveAttribute("title", "$0.00");
  });

  test("gets a 404, not a peek, for another rep's opportunity, and the API and export stay in scope", async ({
    page,
  }) => {
    await page.goto(`/?owner=${rep.ownerId}`);
    const outsiderRow = (await demoSummary("")).byOwner.find((owner) => owner.owner !== rep.ownerId)!;
    const api = await page.request.get(`/api/opportunities?owner=${outsiderRow.owner}`);
    expect(api.status()).toBe(200);
    expect((await api.json()).total).toBe(0);
    const mine = await (await page.request.get("/api/opportunities?pageSize=500")).json();
    expect(new Set(mine.data.map((row: { salesOwner: string }) => row.salesOwner))).toEqual(new Set([rep.ownerId]));
    const csv = await (await page.request.get("/api/export?format=csv&columns=oppId,salesOwner")).text();
    const owners = new Set(
      csv
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((line) => line.split(",")[1]),
    );
    expect(owners).toEqual(new Set([rep.ownerId]));
  });
});

test.describe("a manager", () => {
  test.use({ storageState: ".auth/manager.json" });

  test("lands on their team's pipeline, with only team owners to pick from", async ({ page }) => {
    const summary = await demoSummary(team.map((owner) => `owner=${owner}`).join("&"));
    await page.goto("/");
    await expect(page.getByTestId("kpi-at-risk")).toHaveAttribute("title", formatUsd(summary.totals.atRisk));
    await expect(page.getByTestId("kpi-open")).toHaveAttribute("title", formatUsd(summary.totals.openPipeline));
    expect(new Set(await ownerOptions(page))).toEqual(
      new Set(team.map((owner) => `${demoOwnerName(owner)} (${owner})`)),
    );
    await expect(page.getByRole("region", { name: "Team breakdown" })).toContainText(demoOwnerName(team[0]));
    const names = team.map(demoOwnerName);
    expect([...(await ownersShown(page))].every((owner) => names.includes(owner))).toBe(true);
  });

  test("gets a 403 page that says why on /admin, not a silent redirect", async ({ page }) => {
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    expect(new URL(page.url()).pathname).toBe("/admin");
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
    await expect(page.getByText("This page is for administrators")).toBeVisible();
  });
});

test.describe("an admin", () => {
  test("sees everything, the user list and the export log", async ({ page }) => {
    const summary = await demoSummary("");
    await page.goto("/");
    await expect(page.getByTestId("kpi-at-risk")).toHaveAttribute("title", formatUsd(summary.totals.atRisk));
    await page.getByRole("link", { name: "Admin" }).click();
    const users = page.getByRole("region", { name: "Users" });
    await expect(users).toContainText(manager.email);
    await expect(users).toContainText(rep.email);
    await expect(users).toContainText("All sales owners");
  });
});

test.describe("without signing in", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("every page goes to sign-in and comes back after it; a wrong password gets one generic message", async ({
    page,
  }) => {
    await page.goto("/customers/CUST-00001");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fcustomers%2FCUST-00001/);
    await page.getByLabel("Email").fill(rep.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText(
      "Email or password is incorrect.",
    );
    for (const path of ["/", "/opportunities/OPP-000001", "/admin", "/settings/tokens"]) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/sign-in/);
    }
    for (const path of ["/api/opportunities", "/api/summary", "/api/export?format=csv"]) {
      expect((await page.request.get(path)).status(), path).toBe(401);
    }
  });
});
