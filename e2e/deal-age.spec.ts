import { expect, test } from "@playwright/test";
import { assertLocalDatabase } from "./assert-local-database";

assertLocalDatabase();

test("a view of pushed deals shows how many times each was pushed", async ({ page }) => {
  await page.goto("/?columns=oppId,customerName,amount,pushCount&pushedMin=1&sort=pushCount.desc");
  await expect(page.getByRole("columnheader", { name: /Times pushed/ })).toBeVisible();

  const counts = await page.locator('td[data-column="pushCount"]').allTextContents();
  expect(counts.length).toBeGreaterThan(0); // the demo's history moves some close dates later
  for (const count of counts) expect(Number(count.replaceAll(",", ""))).toBeGreaterThanOrEqual(1);
  // Sorted most-pushed first.
  const numbers = counts.map((count) => Number(count.replaceAll(",", "")));
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
});

test("the Pushed ≥ box filters the view", async ({ page }) => {
  await page.goto("/?columns=oppId,pushCount");
  await expect(page.locator("form[data-hydrated]")).toBeAttached();
  const box = page.getByLabel("Pushed ≥");
  await box.fill("2");
  await box.press("Enter");
  await expect(page).toHaveURL(/pushedMin=2/);
  await expect(page.getByRole("region", { name: "Opportunities", exact: true })).not.toHaveAttribute(
    "aria-busy",
    "true",
  );
  const counts = await page.locator('td[data-column="pushCount"]').allTextContents();
  for (const count of counts) expect(Number(count.replaceAll(",", ""))).toBeGreaterThanOrEqual(2);
});
