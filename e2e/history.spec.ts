import { expect, type Page, test } from "@playwright/test";
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { generateDemoHistory } from "../lib/demo/demo-history";
import { addDays, type CalendarDate } from "../lib/gtm/calendar-date";
import { isAtRisk } from "../lib/gtm/revenue-at-risk";
import { isOpen } from "../lib/gtm/sales-stage";
import { formatUsd, sumMoney } from "../lib/money";
import { today } from "../lib/today";
import { assertLocalDatabase } from "./assert-local-database";

assertLocalDatabase();

/**
 * The demo's weekly exports (deterministic, the seed's own history) are the oracle: a day a
 * few days after week `week`'s export shows that export's pipeline, with at-risk decided by
 * the churn risk customers had then.
 */
function demoWeek(week: number) {
  const now = today();
  const history = generateDemoHistory(generateDemoData({ today: now }), now);
  const asOf = addDays(history.weeks[week]!, 2);
  const churn = new Map(history.customersAt(week).map((customer) => [customer.customerId, customer.churnRisk]));
  const open = history.dealsAt(week).filter((deal) => isOpen(deal.stage));
  return {
    asOf,
    firstDay: history.weeks[0]!,
    openPipeline: sumMoney(open.map((deal) => deal.amount)),
    atRisk: sumMoney(
      open.filter((deal) => isAtRisk(deal, churn.get(deal.customerId)!, asOf)).map((deal) => deal.amount),
    ),
  };
}

async function setAsOf(page: Page, asOf: CalendarDate) {
  await page.goto("/");
  await expect(page.locator("form[data-hydrated]")).toBeAttached();
  await page.getByLabel("As of", { exact: true }).fill(asOf);
  await page.getByLabel("As of", { exact: true }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`asOf=${asOf}`));
}

test("As of a past date shows the pipeline of that day's export, to the cent", async ({ page }) => {
  const week = demoWeek(10);
  await setAsOf(page, week.asOf);
  await expect(page.getByTestId("kpi-open")).toHaveAttribute("title", formatUsd(week.openPipeline));
  await expect(page.getByTestId("kpi-at-risk")).toHaveAttribute("title", formatUsd(week.atRisk));
  await expect(page.getByTestId("history-notice")).toHaveCount(0);
});

test("As of a day before history starts shows nothing, and says how to backfill", async ({ page }) => {
  const { firstDay } = demoWeek(0);
  await setAsOf(page, addDays(firstDay, -1));
  await expect(page.getByTestId("history-notice")).toContainText("History starts on");
  await expect(page.getByTestId("history-notice")).toContainText("--effective-date");
  await expect(page.getByTestId("kpi-open")).toHaveText("$0.00");
});

test("a deal's page is titled by the deal's name and shows its timeline", async ({ page }) => {
  await page.goto("/");
  const table = page.getByRole("region", { name: "Opportunities", exact: true });
  await expect(table.locator("thead")).toBeVisible();
  const headers = await table.locator("thead th").allInnerTexts();
  const firstRow = table.locator("tbody tr").first();
  const dealName = await firstRow
    .locator(`td:nth-child(${headers.findIndex((text) => /^deal name/i.test(text)) + 1})`)
    .innerText();
  const oppId = await firstRow.locator('a[href^="/opportunities/"]').innerText();
  expect(dealName).not.toBe("");
  await firstRow.locator('a[href^="/opportunities/"]').click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(dealName);
  await expect(page.getByText(`Opportunity ${oppId}`, { exact: true })).toBeVisible();
  const timeline = page.getByRole("region", { name: "Deal timeline" });
  await expect(timeline.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await expect(timeline.getByText(/^Recorded: /).first()).toBeVisible();
  await expect(timeline.locator("time").first()).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
});
