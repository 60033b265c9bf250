import { expect, test } from "@playwright/test";
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { demoUsers } from "../lib/demo/demo-users";
import { PrismaForecastRepository } from "../lib/gtm-prisma/prisma-forecast-repository";
import type { CalendarDate } from "../lib/gtm/calendar-date";
import { quarterContaining, shiftQuarter } from "../lib/gtm/forecast-period";
import { parsePipelineQuery } from "../lib/gtm/pipeline-query";
import { ownersScope } from "../lib/gtm/pipeline-scope";
import { type ForecastJson, toForecastJson } from "../lib/gtm/forecast-wire";
import { today } from "../lib/today";
import { formatForecastValue, ownerLabel } from "../lib/view/forecast-table";
import { assertLocalDatabase } from "./assert-local-database";
import { withDemoDatabase } from "./demo-data";

assertLocalDatabase();

const [, manager, rep] = demoUsers();
const team = generateDemoData({ today: "2000-01-01" as CalendarDate, opportunities: 0 })
  .teams.filter((member) => member.manager === manager.ownerId)
  .map((member) => member.salesOwner);

/** The repository's forecast of the demo data the server was seeded with, for a scope (see withDemoDatabase). */
function demoForecast(owners: string[], periodKey: string): Promise<ForecastJson> {
  return withDemoDatabase(async (db) => {
    const { query } = parsePipelineQuery(new URLSearchParams(), today());
    const period = [0, 1, -1]
      .map((offset) => shiftQuarter(quarterContaining(today()), offset))
      .find((p) => p.key === periodKey)!;
    return toForecastJson(await new PrismaForecastRepository(db.prisma, ownersScope(owners)).forecast(period, query));
  });
}

test.describe("a manager", () => {
  test.use({ storageState: ".auth/manager.json" });
  const next = shiftQuarter(quarterContaining(today()), 1);
  let expected: ForecastJson;
  test.beforeAll(async () => {
    // Seeding the demo data on a private database takes a while on a busy machine.
    test.setTimeout(180_000);
    expected = await demoForecast([manager.ownerId, ...team], next.key);
  });

  test("picks a quarter, reads a rep's coverage, and clicks through to the rep's deals", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Forecast" }).click();
    await page.getByLabel("Period", { exact: true }).selectOption(next.key);
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(new RegExp(`period=${next.key}`));

    const row = expected.rows.find((r) => r.coverage !== null)!;
    const label = ownerLabel(row.owner, row.ownerName);
    const table = page.getByRole("table", { name: "Forecast per rep" });
    // Retried until the chosen quarter's table has replaced the default one.
    await expect(table.locator("tbody th")).toHaveText([
      ...expected.rows.map((r) => ownerLabel(r.owner, r.ownerName)),
      `Team total: Nora North (${manager.ownerId})`,
      "Total",
    ]);
    const coverage = table
      .getByRole("row", { name: new RegExp(`^${label.replace(/[()]/g, "\\$&")}`) })
      .getByRole("link", { name: new RegExp(`^Coverage of ${label.replace(/[()]/g, "\\$&")}`) });
    await expect(coverage).toHaveText(formatForecastValue("multiple", row.coverage));

    await table.getByRole("link", { name: new RegExp(`^Pipeline of ${label.replace(/[()]/g, "\\$&")}`) }).click();
    await expect(page).toHaveURL(/\/\?/);
    const url = new URL(page.url());
    expect(url.searchParams.getAll("owner")).toEqual([row.owner]);
    expect([url.searchParams.get("closeFrom"), url.searchParams.get("closeTo")]).toEqual([next.start, next.end]);
    expect(url.searchParams.getAll("stage")).toEqual(["prospecting", "qualification", "proposal"]);
    // The table names the rep as the forecast does (the teams file's display name), the URL by id.
    await expect(page.getByRole("region", { name: "Opportunities", exact: true })).toContainText(
      row.ownerName ?? row.owner,
    );
  });

  test("cannot open the forecast settings", async ({ page }) => {
    expect((await page.goto("/admin/forecast"))?.status()).toBe(403);
  });
});

test.describe("a rep", () => {
  test.use({ storageState: ".auth/rep.json" });

  test("sees only their own row, and the export equals the screen", async ({ page }) => {
    await page.goto("/forecast");
    const table = page.getByRole("table", { name: "Forecast per rep" });
    // Their row, the team's and the total; allInnerTexts reads at once, so wait for the rows first.
    await expect(table.locator("tbody th")).toHaveCount(3);
    const rowHeaders = await table.locator("tbody th").allInnerTexts();
    expect(rowHeaders[0]).toContain(rep.ownerId!);
    expect(rowHeaders.slice(1)).toEqual([`Team total: Nora North (${manager.ownerId})`, "Total"]);
    const csv = await (
      await page.request.get((await page.getByRole("link", { name: "CSV" }).getAttribute("href")) as string)
    ).text();
    const labels = csv
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[0]);
    expect(labels).toEqual(rowHeaders);
  });
});

test.describe("an admin", () => {
  test("changes a forecast setting, sees the change logged, and a bad value is refused", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("link", { name: "Forecast settings" }).click();
    await page.getByLabel("At-risk haircut (%)").fill("150");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toHaveText(
      "Nothing was saved: fix the fields marked above.",
    );
    await expect(page.getByText("use a whole percent from 0 to 100")).toBeVisible();

    await page.getByLabel("At-risk haircut (%)").fill("40");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved" })).toHaveText(
      "Saved: atRiskHaircutPercent 50 → 40.",
    );
    await page.reload();
    await expect(page.getByRole("region", { name: "Changes" })).toContainText("atRiskHaircutPercent");
    // Back to the default, so other specs read the demo's figures.
    await page.getByLabel("At-risk haircut (%)").fill("50");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved" })).toHaveText(
      "Saved: atRiskHaircutPercent 40 → 50.",
    );
  });
});

test.describe("without signing in", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the forecast goes to sign-in, and its API answers 401", async ({ page }) => {
    await page.goto("/forecast?period=2026-Q1");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fforecast/);
    expect((await page.request.get("/api/forecast?period=2026-Q1")).status()).toBe(401);
  });
});
