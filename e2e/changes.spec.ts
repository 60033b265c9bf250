import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { assertLocalDatabase } from "./assert-local-database";

assertLocalDatabase();

test("What changed over the last 30 days: click Won, see its deals, export them", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("main").getByRole("link", { name: "What changed" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What changed" })).toBeVisible();
  await page.getByRole("link", { name: "Last 30 days" }).click();
  await expect(page.getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "true");

  const wonRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Won", exact: true }) });
  const count = Number(await wonRow.getByRole("cell").first().textContent());
  await wonRow.getByRole("link", { name: "Won", exact: true }).click();
  await expect(page).toHaveURL(/kind=won/);

  const deals = page.getByRole("region", { name: "Won deals" });
  await expect(deals.getByRole("heading", { name: `Won: ${count} ${count === 1 ? "deal" : "deals"}` })).toBeVisible();
  const rows = deals.getByRole("row");
  await expect(rows).toHaveCount(1 + Math.min(count, 50));
  if (count > 0) await expect(rows.nth(1).getByRole("link").first()).toHaveAttribute("href", /^\/opportunities\//);

  // The demo's last 30 days hold more than a page of won deals: the next page opens at the list.
  expect(count).toBeGreaterThan(50);
  const first = await rows.nth(1).getByRole("link").first().getAttribute("href");
  await deals.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.nth(1).getByRole("link").first()).not.toHaveAttribute("href", first!);
  await expect(rows).toHaveCount(1 + Math.min(count - 50, 50));
  await expect(deals.getByRole("heading", { name: /^Won: / })).toBeInViewport();

  const [file] = await Promise.all([
    page.waitForEvent("download"),
    deals.getByRole("link", { name: "CSV", exact: true }).click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^changes-won-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...records] = parse(await readFile((await file.path())!)) as string[][];
  expect(header.slice(0, 4)).toEqual(["Opportunity", "Deal name", "Customer", "Sales owner"]);
  expect(records).toHaveLength(count);
});

test.describe("a manager", () => {
  test.use({ storageState: ".auth/manager.json" });

  test("reads one row per rep whose net changes add up to the team's, and opens a rep's own waterfall", async ({
    page,
  }) => {
    await page.goto("/changes");
    const buckets = page.getByRole("region", { name: "Buckets" });
    const cents = (text: string | null) => Math.round(Number(text!.replace(/[$,+]/g, "")) * 100);
    const start = cents(await buckets.locator("tbody tr").first().locator("td").nth(1).textContent());
    const end = cents(await buckets.locator("tfoot tr td").nth(1).textContent());
    const reps = page.getByRole("region", { name: "By rep" });
    const nets = await reps.locator("tbody tr td:nth-of-type(2)").allTextContents();
    expect(nets.length).toBeGreaterThan(1);
    expect(nets.reduce((sum, text) => sum + cents(text), 0)).toBe(end - start);

    const first = reps.locator("tbody tr").first();
    // The link reads the rep's display name and carries their id.
    const owner = new URL((await first.getByRole("link").getAttribute("href"))!, "http://x").searchParams.get("owner")!;
    await first.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`owner=${owner.replace(".", "\\.")}`));
    await expect(page.getByRole("region", { name: "By rep" }).locator("tbody tr")).toHaveCount(1);
  });
});

test("the at-risk card's change since last week opens the waterfall that explains it, to the cent", async ({
  page,
}) => {
  await page.goto("/");
  // Beside it, the at-risk figure at the end of each of the last 12 weeks, the last one today's.
  const trend = page.getByTestId("at-risk-trend").locator("svg");
  await expect(trend).toHaveAttribute("aria-label", /last 12 weeks: (\d{4}-\d{2}-\d{2}: \$[\d,.]+(; |$)){12}/);
  expect(
    (await trend.getAttribute("aria-label"))!.endsWith(
      `: ${(await page.getByTestId("kpi-at-risk").getAttribute("title"))!}`,
    ),
  ).toBe(true);
  const change = page.getByTestId("kpi-at-risk-change");
  const title = (await change.getAttribute("title"))!;
  const cents = (text: string) => Math.round(Number(text.replace(/[$,+]/g, "").replace("−", "-")) * 100);
  const expected = cents(title.split("change ")[1]!);
  await change.click();
  await expect(page).toHaveURL(/\/changes\?.*risk=at-risk.*from=/);
  await expect(page.getByTestId("changes-filters")).toHaveText("Only revenue at risk");
  const buckets = page.getByRole("region", { name: "Buckets" });
  const start = cents((await buckets.locator("tbody tr").first().locator("td").nth(1).textContent())!);
  const end = cents((await buckets.locator("tfoot tr td").nth(1).textContent())!);
  expect(end - start).toBe(expected);
});
