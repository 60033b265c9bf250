import { expect, test } from "@playwright/test";
import { formatUsd } from "../lib/money";
import { assertLocalDatabase } from "./assert-local-database";
import { demoSummary } from "./demo-data";

assertLocalDatabase();

test("the dashboard shows the repository's revenue at risk for the demo data", async ({ page }) => {
  const summary = await demoSummary();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Pipeline" })).toBeVisible();
  await expect(page.getByTestId("kpi-at-risk")).toHaveText(formatUsd(summary.totals.atRisk));
  await expect(page.getByTestId("kpi-open")).toHaveText(formatUsd(summary.totals.openPipeline));
  await expect(page.getByTestId("kpi-overdue")).toHaveText(formatUsd(summary.totals.overdue));
  expect(summary.totals.atRiskCount).toBeGreaterThan(0);
  await expect(page.getByRole("row")).toHaveCount(51);
});
