import { expect, type Page, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { winRates } from "../lib/dashboard/view-models";
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { isOpen } from "../lib/gtm/sales-stage";
import { formatUsd, sumMoney } from "../lib/money";
import { today } from "../lib/today";
import { formatMonth, formatUsdShort, plural } from "../lib/view/format";
import { assertLocalDatabase } from "./assert-local-database";
import { demoSummary } from "./demo-data";

assertLocalDatabase();

/** The dashboard as a sales manager reads it (issue 17): what a person would notice if it broke. */

const table = (page: Page) => page.getByRole("region", { name: "Opportunities", exact: true });
const bodyRows = (page: Page) => table(page).locator("tbody tr");
/** Opens a dashboard URL once its filters and its table (streamed and hydrated after them) are interactive. */
const open = async (page: Page, url: string) => {
  await page.goto(url);
  await expect(page.locator("form[data-hydrated]")).toBeAttached();
  await expect(table(page)).toHaveAttribute("data-hydrated", "true");
};
/** The Status filter (the table's column menu has a "Status" checkbox too). */
const statusFilter = (page: Page) => page.getByRole("form", { name: "Filters" }).getByLabel("Status", { exact: true });
// Recharts 3 draws tick labels in a layer of their own, outside the axis's group.
const X_TICKS = ".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value";
const figure = (page: Page, title: string) =>
  page.getByRole("figure").filter({ has: page.getByRole("heading", { name: title }) });

test.describe("the open pipeline by default, closed deals on request (status)", () => {
  test("the default table is the open pipeline: its footer equals the Open pipeline card, and Status says Open", async ({
    page,
  }) => {
    await open(page, "/");
    await expect(statusFilter(page)).toHaveValue("open");
    const openCard = (await page.getByTestId("kpi-open").getAttribute("title"))!;
    await expect(table(page).getByTestId("total-amount")).toHaveText(openCard);
    await expect(
      table(page)
        .locator('td[data-column="status"]')
        .filter({ hasText: /^(Won|Lost)$/ }),
    ).toHaveCount(0);
    await expect(page.getByTestId("kpi-won")).toHaveCount(0);

    // Every deal, open and closed, is one choice away, and the footer then counts them all.
    await statusFilter(page).selectOption("all");
    await expect(page).toHaveURL(/status=all/);
    await expect(page.getByTestId("kpi-won")).toBeVisible();
    const everything = await page.getByTestId("total-amount").innerText();
    expect(BigInt(everything.replace(/[$,.]/g, ""))).toBeGreaterThan(BigInt(openCard.replace(/[$,.]/g, "")));
  });

  test("a closed view shows won, lost and win rate in the KPI row, and charts without open deals say so in a line", async ({
    page,
  }) => {
    const summary = await demoSummary("status=closed");
    const rates = winRates(summary);
    await open(page, "/");
    await statusFilter(page).selectOption("closed");
    await expect(page).toHaveURL(/status=closed/);
    await expect(page.getByTestId("kpi-won")).toHaveAttribute("title", formatUsd(summary.totals.won));
    await expect(page.getByTestId("kpi-won-count")).toHaveText(
      `${plural(summary.totals.wonCount, "deal", "deals")} won`,
    );
    await expect(page.getByTestId("kpi-lost")).toHaveAttribute("title", formatUsd(summary.totals.lost));
    await expect(page.getByTestId("kpi-lost-count")).toHaveText(
      `${plural(summary.totals.lostCount, "deal", "deals")} lost`,
    );
    await expect(page.getByTestId("kpi-win-rate")).toHaveText(rates.byCount!);
    await expect(page.getByTestId("kpi-win-rate-amount")).toHaveText(rates.byAmount!);
    await expect(page.getByTestId("kpi-open")).toHaveCount(0);
    await expect(table(page).getByTestId("total-amount")).toHaveText(formatUsd(summary.totals.amount));
    expect(summary.totals.amount.toFixed(2)).toBe(summary.totals.won.plus(summary.totals.lost).toFixed(2));

    await expect(figure(page, "Open pipeline by stage")).toContainText("No open pipeline in this view.");
    await expect(figure(page, "Revenue at risk by close month")).toContainText(
      "No revenue at risk closes in the next 12 months in this view.",
    );
    await expect(figure(page, "Revenue at risk by sales owner")).toContainText("No revenue at risk in this view.");
    await expect(page.getByRole("region", { name: "Charts", exact: true }).locator(".recharts-surface")).toHaveCount(0);

    // A closed stage picked without a status lists those deals, not nothing.
    await open(page, "/?stage=closed_won");
    await expect(statusFilter(page)).toHaveValue("all");
    await expect(page.getByTestId("kpi-won")).toHaveAttribute("title", formatUsd(summary.totals.won));
    await expect(page.getByTestId("kpi-lost")).toHaveCount(0);
    expect(new Set(await table(page).locator('td[data-column="stage"]').allInnerTexts())).toEqual(
      new Set(["Closed won"]),
    );
  });

  test("the exported CSV names stage and status as the screen does", async ({ page }) => {
    await open(page, "/?status=all&columns=oppId,stage,status");
    const link = table(page)
      .getByRole("link", { name: /CSV/ })
      .or(table(page).getByRole("button", { name: /CSV/ }));
    const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(file.suggestedFilename()).toMatch(/^pipeline-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...records] = parse(await readFile((await file.path())!), { bom: true }) as string[][];
    expect(header).toEqual(["Opportunity", "Stage", "Status"]);
    const stages = new Set(records.map((record) => record[1]));
    const statuses = new Set(records.map((record) => record[2]));
    expect(stages).toContain("Closed lost");
    expect(statuses).toContain("At risk");
    expect([...stages].some((stage) => stage.includes("_"))).toBe(false);
    expect([...statuses].some((status) => status.includes("_"))).toBe(false);
  });
});

test.describe("headline figures and charts", () => {
  test("KPI cards show compact money with the exact amount in their tooltip, and counts agree with their noun", async ({
    page,
  }) => {
    const summary = await demoSummary();
    await open(page, "/");
    const openCard = page.getByTestId("kpi-open");
    await expect(openCard).toHaveText(formatUsdShort(summary.totals.openPipeline));
    await expect(openCard).toHaveText(/^\$\d+\.\dM$/);
    await expect(openCard).toHaveAttribute("title", formatUsd(summary.totals.openPipeline));
    await expect(page.getByTestId("kpi-open-count")).toHaveText(
      `${plural(summary.totals.openCount, "opportunity", "opportunities")} open`,
    );
    await expect(page.getByTestId("kpi-at-risk-share")).toHaveText(/^\d+\.\d%$/);
  });

  test("one opportunity is '1 opportunity', in the footer and on the cards", async ({ page }) => {
    const deal = generateDemoData({ today: today() }).opportunities.find((candidate) => isOpen(candidate.stage))!;
    await open(page, `/?q=${deal.oppId}`);
    await expect(bodyRows(page)).toHaveCount(1);
    await expect(table(page).locator("tfoot")).toContainText("Total: 1 opportunity");
    await expect(table(page).locator("tfoot")).not.toContainText("opportunities");
    await expect(page.getByTestId("kpi-open-count")).toHaveText("1 opportunity open");
    await expect(table(page).getByText("Export 1 row:")).toBeVisible();
  });

  test("the stage chart has a legend and month labels read 'Dec 2026'", async ({ page }) => {
    await open(page, "/");
    const stages = figure(page, "Open pipeline by stage");
    await expect(stages.locator(".chart-legend")).toHaveText(/At risk\s*Open, not at risk/);
    const months = figure(page, "Revenue at risk by close month");
    await expect(months.locator("table tbody th").first()).toHaveText(formatMonth(today().slice(0, 7)));
    await expect(months.locator(X_TICKS).first()).toHaveText(formatMonth(today().slice(0, 7)));
  });

  test("the owner chart draws the top ten and says what the others add up to, without a bar that sets the scale", async ({
    page,
  }) => {
    const summary = await demoSummary();
    const ranked = summary.byOwner
      .filter((owner) => owner.atRisk.greaterThan(0))
      .sort((a, b) => b.atRisk.comparedTo(a.atRisk));
    expect(ranked.length).toBeGreaterThan(10);
    const others = sumMoney(ranked.slice(10).map((owner) => owner.atRisk));
    await open(page, "/");
    const chart = figure(page, "Revenue at risk by sales owner");
    await expect(chart.locator("table tbody tr")).toHaveCount(10);
    await expect(chart.locator("table")).not.toContainText("Others");
    await expect(chart.getByTestId("chart-rest")).toContainText(
      `Plus ${ranked.length - 10} other owners with ${formatUsdShort(others)} at risk`,
    );
    await expect(chart.getByTestId("chart-rest").locator("[title]")).toHaveAttribute("title", formatUsd(others));
    // The axis is set by the named owners: its last tick is within one step of the top owner, far below the others' sum.
    await expect(chart.locator(X_TICKS).first()).toBeVisible();
    const ticks = await chart.locator(X_TICKS).allTextContents(); // SVG text has no innerText
    const money = (text: string) => Number(text.replace("$", "").replace("K", "e3").replace("M", "e6"));
    expect(money(ticks.at(-1)!)).toBeLessThan(ranked[0].atRisk.toNumber() * 1.5);
    expect(money(ticks.at(-1)!)).toBeLessThan(others.toNumber());
  });

  test.describe("a rep", () => {
    test.use({ storageState: ".auth/rep.json" });

    test("gets their largest at-risk deals by customer instead of one bar of themselves, and a bar opens the deal", async ({
      page,
    }) => {
      await open(page, "/");
      await expect(figure(page, "Revenue at risk by sales owner")).toHaveCount(0);
      const chart = figure(page, "Your largest deals at risk");
      await expect(chart).toBeVisible();
      const firstDeal = (await chart.locator("table tbody th").first().innerText()).trim(); // "Customer (OPP-… · closes …)"
      const [, customer, oppId] = /^(.*) \((OPP-\d+) · closes/.exec(firstDeal)!;
      await open(page, "/?risk=at-risk");
      await expect(bodyRows(page).first()).toContainText(oppId);
      await expect(bodyRows(page).first()).toContainText(customer);
      await page.goBack();
      await chart.locator(".recharts-bar-rectangle").first().click();
      await expect(page.getByText(`Opportunity ${oppId}`, { exact: true })).toBeVisible();
    });
  });
});

test("the back link on deal and customer pages returns to the view: filters, sort and page", async ({ page }) => {
  const view = "/?risk=at-risk&sort=closeDate.asc&page=2";
  await open(page, view);
  const first = bodyRows(page).first();
  const oppId = (await first.locator("td").first().innerText()).trim();
  const customer = (await first.locator("td").nth(2).innerText()).trim();
  await first.getByRole("link", { name: oppId }).click();
  await expect(page.getByText(`Opportunity ${oppId}`, { exact: true })).toBeVisible();
  await page.getByRole("link", { name: customer }).click();
  await expect(page.getByRole("heading", { name: customer, level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "← Pipeline" }).click();
  await expect(page).toHaveURL(/\/\?risk=at-risk&sort=closeDate\.asc&page=2$/);
  await expect(page.getByLabel("Risk", { exact: true })).toHaveValue("at-risk");
  await expect(bodyRows(page).first().locator("td").first()).toHaveText(oppId);
});

test("a crafted return parameter still leads back to this site's dashboard", async ({ page }) => {
  const deal = generateDemoData({ today: today() }).opportunities[0];
  await page.goto(`/opportunities/${deal.oppId}?from=${encodeURIComponent("//evil.example/?risk=at-risk")}`);
  const back = page.getByRole("link", { name: "← Pipeline" });
  await expect(back).toHaveAttribute("href", /^\/(\?|$)/);
  await expect(back).not.toHaveAttribute("href", /evil/);
});

test.describe("friendly inputs", () => {
  test("min amount accepts 1,000 and $2.5k; text it cannot read is explained and not applied", async ({ page }) => {
    await open(page, "/");
    const min = page.getByLabel("Min amount");
    await min.fill("1,000");
    await expect(page).toHaveURL(/minAmount=1000(&|$)/); // applies by itself, like the checkboxes
    await expect(min).toHaveValue("1,000");
    await expect(bodyRows(page)).toHaveCount(50);
    const amounts = await table(page).locator('td[data-column="amount"]').allInnerTexts();
    expect(amounts.every((text) => Number(text.replace(/[$,]/g, "")) >= 1000)).toBe(true);

    await min.fill("$2.5k");
    await min.press("Enter");
    await expect(page).toHaveURL(/minAmount=2500(&|$)/);

    const max = page.getByLabel("Max amount");
    await max.fill("lots");
    await expect(
      page.getByRole("alert").filter({ hasText: "Type an amount like 1000, $1,000, 1k or 2.5m" }),
    ).toBeVisible();
    await max.blur();
    await page.waitForTimeout(800);
    await expect(page).not.toHaveURL(/maxAmount=/);
  });

  test("a value the page ignored is not left in its box", async ({ page }) => {
    await open(page, "/?minAmount=10&maxAmount=5");
    await expect(page.getByRole("status").filter({ hasText: "ignored" })).toContainText(
      "maxAmount must not be less than minAmount",
    );
    await expect(page.getByLabel("Min amount")).toHaveValue("10");
    await expect(page.getByLabel("Max amount")).toHaveValue("");

    await open(page, "/?minAmount=100");
    const max = page.getByLabel("Max amount");
    await max.fill("50");
    await max.press("Enter");
    await expect(page).toHaveURL(/maxAmount=50/);
    await expect(page.getByRole("status").filter({ hasText: "ignored" })).toBeVisible();
    await expect(max).toHaveValue("");
  });

  test("dates are typed and shown as YYYY-MM-DD", async ({ page }) => {
    await open(page, "/");
    const from = page.getByLabel("From", { exact: true });
    await expect(from).toHaveAttribute("placeholder", "YYYY-MM-DD");
    await from.fill("12/31/2026");
    await expect(page.getByRole("alert").filter({ hasText: "Type a date as YYYY-MM-DD" })).toBeVisible();
    await from.fill("2027-1-5");
    await from.press("Enter");
    await expect(page).toHaveURL(/closeFrom=2027-01-05/);
    await expect(bodyRows(page)).toHaveCount(50);
    const dates = await table(page).locator('td[data-column="closeDate"]').allInnerTexts();
    expect(dates.every((date) => /^\d{4}-\d{2}-\d{2}$/.test(date) && date >= "2027-01-05")).toBe(true);
    await expect(page.getByLabel("As of", { exact: true })).toHaveValue(today());
  });

  test("search applies by itself a moment after typing, like every other filter", async ({ page }) => {
    await open(page, "/");
    await expect(page.getByRole("button", { name: "Apply" })).toHaveCount(0);
    await page.getByLabel("Search", { exact: true }).pressSequentially("Acme", { delay: 50 });
    await expect(page).toHaveURL(/q=Acme/);
    await expect(bodyRows(page).first()).toContainText("Acme");
  });
});

test("the tokens page says which tokens are active or revoked, and copies a new token", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/settings/tokens");
  const name = `copy-test-${Date.now()}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").innerText()).trim();
  await page.getByRole("button", { name: "Copy token" }).click();
  await expect(page.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.getByRole("cell").nth(4)).toHaveText("Active");
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row.getByRole("cell").nth(4)).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
});

test.describe("a manager's team breakdown", () => {
  test.use({ storageState: ".auth/manager.json" });

  test("has a total row equal to the headline figures, an overdue column, sortable columns, and a link to each rep's view", async ({
    page,
  }) => {
    await open(page, "/?risk=overdue");
    const team = page.getByRole("region", { name: "Team breakdown" });
    await expect(team.getByTestId("team-total-open")).toHaveText(
      (await page.getByTestId("kpi-open").getAttribute("title"))!,
    );
    await expect(team.getByTestId("team-total-overdue")).toHaveText(
      (await page.getByTestId("kpi-overdue").getAttribute("title"))!,
    );
    await expect(team.getByRole("columnheader", { name: /^Overdue/ }).first()).toBeVisible();

    const owners = () => team.locator("tbody th").allInnerTexts();
    await team.getByRole("button", { name: /Sales owner/ }).click();
    await expect(team.getByRole("columnheader", { name: /Sales owner/ })).toHaveAttribute("aria-sort", "ascending");
    const sorted = await owners();
    expect(sorted).toEqual([...sorted].sort((a, b) => a.localeCompare(b)));
    await team.getByRole("button", { name: /Sales owner/ }).click();
    expect(await owners()).toEqual([...sorted].reverse());

    // A rep is shown by name, and their link (titled with their id) narrows the view to the id.
    const name = sorted[0];
    const rep = (await team.getByRole("link", { name, exact: true }).getAttribute("title"))!;
    await team.getByRole("link", { name, exact: true }).click();
    await expect(page).toHaveURL(
      new RegExp(`risk=overdue.*owner=${rep.replace(".", "\\.")}|owner=${rep.replace(".", "\\.")}.*risk=overdue`),
    );
    await expect(table(page).locator('td[data-column="salesOwner"]').first()).toHaveText(name);
    const owned = new Set(
      await table(page)
        .locator('td[data-column="salesOwner"] span')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("title"))),
    );
    expect(owned).toEqual(new Set([rep]));
  });
});

test.describe("on a phone (390 x 844)", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  const noSideways = async (page: Page) =>
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBeLessThanOrEqual(0);

  test("shows the KPI cards and the first deals as cards, with the filters behind a button, and no sideways scrolling", async ({
    page,
  }) => {
    await open(page, "/?risk=at-risk");
    await noSideways(page);
    const toggle = page.getByRole("button", { name: "Filters (1)" });
    await expect(toggle).toBeInViewport();
    await expect(page.getByRole("list", { name: "Active filters" })).toContainText("Only revenue at risk");
    await expect(page.getByLabel("Min amount")).toBeHidden();
    await expect(page.getByTestId("kpi-open")).toBeInViewport();
    await expect(page.getByTestId("kpi-at-risk")).toBeInViewport();

    const card = bodyRows(page).first();
    await card.scrollIntoViewIfNeeded();
    for (const column of ["oppId", "customerName", "amount", "closeDate", "status"])
      await expect(card.locator(`td[data-column="${column}"]`)).toBeVisible();
    await expect(card.locator('td[data-column="salesOwner"]')).toBeHidden();
    const box = (await card.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);

    await toggle.click();
    await expect(page.getByLabel("Min amount")).toBeVisible();
    await noSideways(page);
    await page.getByRole("link", { name: "Remove filter: Only revenue at risk" }).click();
    await expect(page).not.toHaveURL(/risk=/);
    await expect(page.getByRole("button", { name: "Filters", exact: true })).toBeVisible();
  });

  test.describe("a manager", () => {
    test.use({ storageState: ".auth/manager.json" });

    test("sees the team breakdown fit the screen", async ({ page }) => {
      await open(page, "/");
      await noSideways(page);
      const team = page.getByRole("region", { name: "Team breakdown" });
      await team.scrollIntoViewIfNeeded();
      const wrap = team.locator(".table-wrap");
      expect(await wrap.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
    });
  });
});

test.describe("what a view costs the server", () => {
  /** The paths prefetched while the page is open (Next prefetches links as they scroll into view). */
  const prefetches = (page: Page) => {
    const paths: string[] = [];
    page.on("request", (request) => {
      if (request.headers()["next-router-prefetch"]) paths.push(new URL(request.url()).pathname);
    });
    return paths;
  };
  const rowPages = (paths: string[]) => paths.filter((path) => /^\/(opportunities|customers)\//.test(path));

  test("the table's deals are not prefetched, row by row, as they scroll into view", async ({ page }) => {
    const paths = prefetches(page);
    await open(page, "/");
    // The menu's links are prefetched: prefetching ran, and the rows in view were seen with them.
    await expect.poll(() => paths.includes("/forecast")).toBe(true);
    const before = paths.length;
    await bodyRows(page).last().scrollIntoViewIfNeeded();
    await page.getByRole("navigation", { name: "Pagination" }).scrollIntoViewIfNeeded();
    // The pages after this one are prefetched when the pagination comes into view.
    await expect.poll(() => paths.length).toBeGreaterThan(before);
    expect(rowPages(paths)).toEqual([]);
  });
});
