import { expect, type Page, test } from "@playwright/test";
import { demoOwnerName } from "../lib/demo/demo-history";
import { formatUsd } from "../lib/money";
import { plural } from "../lib/view/format";
import { assertLocalDatabase } from "./assert-local-database";
import { demoSummary } from "./demo-data";

assertLocalDatabase();

const table = (page: Page) => page.getByRole("region", { name: "Opportunities", exact: true });
const bodyRows = (page: Page) => table(page).locator("tbody tr");
const columnTexts = async (page: Page, header: string) => {
  await expect(table(page).locator("thead")).toBeVisible();
  const headers = await table(page).locator("thead th").allInnerTexts();
  const index = headers.findIndex((text) => text.toLowerCase().startsWith(header.toLowerCase()));
  expect(index, `column ${header}`).toBeGreaterThanOrEqual(0);
  return bodyRows(page)
    .locator(`td:nth-child(${index + 1})`)
    .allInnerTexts();
};
/**
 * Opens a dashboard URL and waits until its controls are hydrated: the filters, and the table,
 * which streams in its own Suspense boundary and hydrates after them (a click before that is lost).
 */
const open = async (page: Page, url: string) => {
  const response = await page.goto(url);
  await expect(page.locator("form[data-hydrated]")).toBeAttached();
  await expect(table(page)).toHaveAttribute("data-hydrated", "true");
  return response;
};
const cents = (usd: string) => BigInt(usd.replace(/[$,.]/g, ""));
const rowsText = (page: Page) => table(page).getByText(/^(Rows \d|No rows)/);

test("the dashboard shows the repository's figures for the demo data", async ({ page }) => {
  const summary = await demoSummary();
  await open(page, "/");
  await expect(page.getByRole("heading", { name: "Pipeline", level: 1 })).toBeVisible();
  await expect(page.getByTestId("kpi-at-risk")).toHaveAttribute("title", formatUsd(summary.totals.atRisk));
  await expect(page.getByTestId("kpi-open")).toHaveAttribute("title", formatUsd(summary.totals.openPipeline));
  await expect(page.getByTestId("kpi-overdue")).toHaveAttribute("title", formatUsd(summary.totals.overdue));
  await expect(page.getByTestId("kpi-at-risk-count")).toHaveText(
    plural(summary.totals.atRiskCount, "opportunity", "opportunities"),
  );
  expect(summary.totals.atRiskCount).toBeGreaterThan(0);
  await expect(bodyRows(page)).toHaveCount(50);
  // The default view is the open pipeline: the table's total is the Open pipeline figure.
  expect(summary.totals.amount.toFixed(2)).toBe(summary.totals.openPipeline.toFixed(2));
  await expect(page.getByTestId("total-amount")).toHaveText(formatUsd(summary.totals.openPipeline));
});

test("filtering by one owner shows only their rows, with KPIs equal to the repository's summary", async ({ page }) => {
  await open(page, "/");
  await page.getByText("All owners").click();
  const owners = page.getByRole("group", { name: "Owners" });
  // An option reads "Name (id)": found by either, filtering by the id.
  const label = (await owners.getByRole("checkbox").first().locator("..").innerText()).trim();
  const [, name, firstOwner] = /^(.*) \((.*)\)$/.exec(label)!;
  await owners.getByRole("searchbox").fill(firstOwner.slice(0, 5));
  await owners.getByRole("checkbox", { name: label }).check();
  await expect(page).toHaveURL(new RegExp(`owner=${firstOwner.replace(".", "\\.")}`));
  const summary = await demoSummary(`owner=${firstOwner}`);
  await expect(page.getByTestId("kpi-at-risk")).toHaveAttribute("title", formatUsd(summary.totals.atRisk));
  await expect(page.getByTestId("kpi-open")).toHaveAttribute("title", formatUsd(summary.totals.openPipeline));
  await expect(page.getByTestId("kpi-overdue")).toHaveAttribute("title", formatUsd(summary.totals.overdue));
  await expect(rowsText(page)).toContainText(`of ${summary.totals.count.toLocaleString("en-US")}`);
  expect(new Set(await columnTexts(page, "Sales owner"))).toEqual(new Set([name]));
});

test("sorting by amount both ways and by close date, server-side across the whole set", async ({ page }) => {
  await open(page, "/?pageSize=25");
  const amountHeader = table(page).getByRole("button", { name: /Amount/ });
  const amountTh = table(page).getByRole("columnheader", { name: /Amount/ });
  // Default is amount descending; clicking flips it.
  await expect(amountTh).toHaveAttribute("aria-sort", "descending");
  const descending = (await columnTexts(page, "Amount")).map(cents);
  expect(descending).toEqual([...descending].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  await amountHeader.click();
  await expect(page).toHaveURL(/sort=amount\.asc/);
  await expect(amountTh).toHaveAttribute("aria-sort", "ascending");
  const ascending = (await columnTexts(page, "Amount")).map(cents);
  expect(ascending).toEqual([...ascending].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  expect(ascending[0]).toBeLessThan(descending.at(-1)!);

  await table(page)
    .getByRole("button", { name: /Close date/ })
    .click();
  await expect(page).toHaveURL(/sort=closeDate\.asc/);
  const dates = await columnTexts(page, "Close date");
  expect(dates).toEqual([...dates].sort());
});

test("paging and page size keep the totals row, which covers the whole filtered set", async ({ page }) => {
  await open(page, "/?risk=at-risk");
  const summary = await demoSummary("risk=at-risk");
  const total = summary.totals.atRiskCount;
  await expect(rowsText(page)).toHaveText(`Rows 1–50 of ${total}`);
  const totalsRow = table(page).locator("tfoot");
  const totalsBefore = (await totalsRow.textContent())!;
  expect(totalsBefore).toContain(formatUsd(summary.totals.atRisk));
  const firstPageIds = await columnTexts(page, "Opportunity");

  await table(page).getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rowsText(page)).toHaveText(`Rows 51–100 of ${total}`);
  const secondPageIds = await columnTexts(page, "Opportunity");
  expect(secondPageIds.filter((id) => firstPageIds.includes(id))).toEqual([]);
  await expect(totalsRow).toHaveText(totalsBefore);

  await table(page).getByRole("link", { name: "Last page" }).click();
  await expect(bodyRows(page)).toHaveCount(total - 50 * Math.floor((total - 1) / 50));

  await table(page).getByLabel("Rows per page").selectOption("25");
  await expect(page).toHaveURL(/pageSize=25/);
  await expect(page).not.toHaveURL(/page=\d+&|page=\d+$/);
  await expect(bodyRows(page)).toHaveCount(25);
  await expect(totalsRow).toHaveText(totalsBefore);
});

test("a view's URL restores it on reload and in a new page", async ({ page, context }) => {
  await open(page, "/");
  await page.getByLabel("Risk", { exact: true }).selectOption("overdue");
  await expect(page).toHaveURL(/risk=overdue/);
  await table(page)
    .getByRole("button", { name: /Customer$/ })
    .click();
  await expect(page).toHaveURL(/sort=customerName\.asc/);
  await table(page).getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  const ids = await columnTexts(page, "Opportunity");
  const kpi = await page.getByTestId("kpi-overdue").innerText();

  await page.reload();
  expect(await columnTexts(page, "Opportunity")).toEqual(ids);
  await expect(page.getByLabel("Risk", { exact: true })).toHaveValue("overdue");

  const other = await context.newPage();
  await open(other, page.url());
  expect(await columnTexts(other, "Opportunity")).toEqual(ids);
  await expect(other.getByTestId("kpi-overdue")).toHaveText(kpi);
});

test("column visibility lives in the URL", async ({ page }) => {
  await open(page, "/");
  await table(page).getByText("Columns").click();
  // click, not uncheck: the click navigates, and the table remounts under a closed Columns menu, where
  // uncheck's own check of the box afterwards waits for a checkbox that is no longer visible.
  await page.getByRole("group", { name: "Visible columns" }).getByRole("checkbox", { name: "Churn risk" }).click();
  await expect(page).toHaveURL(/columns=/);
  await expect(table(page).locator("thead th")).not.toContainText(["Churn risk"]);
  await page.reload();
  await expect(table(page).locator("thead th", { hasText: "Churn risk" })).toHaveCount(0);
  await expect(table(page).locator("thead th", { hasText: "Customer" })).toHaveCount(1);
});

test("clicking a chart bar filters the table", async ({ page }) => {
  await open(page, "/");
  const stageChart = page.getByRole("figure").filter({ hasText: "Open pipeline by stage" });
  await stageChart.locator(".recharts-bar-rectangle").first().click();
  await expect(page).toHaveURL(/stage=prospecting/);
  expect(new Set(await columnTexts(page, "Stage"))).toEqual(new Set(["Prospecting"]));

  const ownerChart = page.getByRole("figure").filter({ hasText: "Revenue at risk by sales owner" });
  // Bars are labelled by the owner's display name and filter by the owner's id.
  const shown = await demoSummary(new URL(page.url()).search.slice(1));
  const [top] = shown.byOwner.sort((a, b) => b.atRisk.comparedTo(a.atRisk) || a.owner.localeCompare(b.owner));
  await expect(ownerChart.locator("table tbody th").first()).toHaveText(demoOwnerName(top.owner));
  await ownerChart.locator(".recharts-bar-rectangle").first().click();
  await expect(page).toHaveURL(new RegExp(`owner=${top.owner.replace(".", "\\.")}`));
  expect(new Set(await columnTexts(page, "Sales owner"))).toEqual(new Set([demoOwnerName(top.owner)]));
  // One owner's chart of owners would be one bar: it lists that owner's largest deals at risk.
  const dealChart = page
    .getByRole("figure")
    .filter({ hasText: `Largest deals at risk of ${demoOwnerName(top.owner)}` });
  await expect(dealChart.locator("table tbody th").first()).toContainText("(OPP-");
});

test("invalid parameters are ignored with a visible notice, never an error page", async ({ page }) => {
  const response = await open(page, "/?page=-3&closeFrom=2026-02-30&sort=secret.asc&risk=maybe");
  expect(response?.status()).toBe(200);
  const notice = page.getByRole("status").filter({ hasText: "ignored" });
  await expect(notice).toContainText("page must be a whole number");
  await expect(notice).toContainText("closeFrom must be a real calendar date");
  await expect(notice).toContainText("sort must be <column>.<asc|desc>");
  await expect(notice).toContainText("risk must be one of at-risk, overdue");
  await expect(bodyRows(page)).toHaveCount(50);
});

test("an empty result says which filters exclude everything", async ({ page }) => {
  await open(page, "/?owner=nobody.here&stage=proposal");
  await expect(table(page)).toContainText("No opportunities match all of these filters");
  await expect(table(page)).toContainText("Owner is nobody.here");
  await table(page).getByRole("listitem").filter({ hasText: "Owner is" }).getByRole("link", { name: "Remove" }).click();
  await expect(page).not.toHaveURL(/owner=/);
  await expect(page).toHaveURL(/stage=proposal/);
  expect(new Set(await columnTexts(page, "Stage"))).toEqual(new Set(["Proposal"]));
});

test("detail pages explain the status, and unknown ids get a 404 page", async ({ page }) => {
  await open(page, "/?risk=at-risk");
  const first = table(page).locator("tbody tr").first();
  const oppId = await first.locator("td").first().innerText();
  const dealName = await first.locator("td").nth(1).innerText();
  const customer = await first.locator("td").nth(2).innerText();
  await first.getByRole("link", { name: oppId }).click();
  await expect(page.getByRole("heading", { name: dealName, level: 1 })).toBeVisible();
  await expect(page.getByText(`Opportunity ${oppId}`, { exact: true })).toBeVisible();
  await expect(page.getByTestId("status-explanation")).toContainText("At risk: the deal is open");
  await page.getByRole("link", { name: customer }).click();
  await expect(page.getByRole("heading", { name: customer, level: 1 })).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Open opportunities" }).getByRole("link", { name: oppId }),
  ).toBeVisible();

  const missing = await page.goto("/opportunities/NO-SUCH-OPP");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect((await page.goto("/customers/NO-SUCH-CUSTOMER"))?.status()).toBe(404);
});
