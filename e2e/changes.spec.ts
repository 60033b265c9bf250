import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { assertLocalDatabase } from "./assert-local-database";

assertLocalDatabase();

test("What changed over the last 30 days: click Won, see its deals, export them", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "What changed" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What changed" })).toBeVisible();
  await page.getByRole("link", { name: "Last 30 days" }).click();
  await expect(page.getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "true");

  const wonRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Won", exact: true }) });
  const count = Number(await wonRow.getByRole("cell").first().textContent());
  await wonRow.getByRole("link", { name: "Won", exact: true }).click();
  await expect(page).toHaveURL(/kind=won/);

  const deals = page.getByRole("region", { name: "Won deals" });
  await expect(deals.getByRole("heading", { name: `Won: ${count} deals` })).toBeVisible();
  const rows = deals.getByRole("row");
  await expect(rows).toHaveCount(1 + Math.min(count, 50));
  if (count > 0) await expect(rows.nth(1).getByRole("link").first()).toHaveAttribute("href", /^\/opportunities\//);

  const [file] = await Promise.all([page.waitForEvent("download"), deals.getByRole("link", { name: "Export CSV" }).click()]);
  expect(file.suggestedFilename()).toMatch(/^changes-won-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...records] = parse(await readFile((await file.path())!)) as string[][];
  expect(header.slice(0, 4)).toEqual(["Opportunity", "Name", "Customer", "Sales owner"]);
  expect(records).toHaveLength(count);
});
