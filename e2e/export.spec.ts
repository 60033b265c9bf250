import { expect, type Page, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { readFile } from "node:fs/promises";
import { assertLocalDatabase } from "./assert-local-database";
import { demoSummary } from "./demo-data";

assertLocalDatabase();

/** The table's own count of the view ("Rows 1–50 of 5,000"). */
async function tableTotal(page: Page): Promise<number> {
  const text = await page.getByText(/^(Rows [\d,]+–[\d,]+ of [\d,]+|No rows)$/).textContent();
  const match = /of ([\d,]+)$/.exec(text ?? "");
  return match ? Number(match[1].replaceAll(",", "")) : 0;
}

async function download(page: Page, name: RegExp): Promise<{ fileName: string; bytes: Buffer }> {
  const link = page.getByRole("link", { name }).or(page.getByRole("button", { name }));
  await expect(link).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return { fileName: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

// The default view is the open pipeline; `status=all` brings the closed deals into the file too.
const VIEWS: [search: string, fileName: RegExp][] = [
  ["", /^pipeline-\d{4}-\d{2}-\d{2}\.csv$/],
  ["?risk=at-risk&sort=closeDate.asc", /^pipeline-at-risk-\d{4}-\d{2}-\d{2}\.csv$/],
  ["?status=all", /^pipeline-all-\d{4}-\d{2}-\d{2}\.csv$/],
];

for (const [search, fileName] of VIEWS) {
  test(`the export button downloads every row of the view${search ? ` (${search})` : ""}`, async ({ page }) => {
    await page.goto(`/${search}`);
    const total = await tableTotal(page);
    expect(total).toBe((await demoSummary(search.slice(1))).totals.count);
    expect(total).toBeGreaterThan(50); // more than one page, so "all pages" is what is checked
    await expect(page.getByText(`Export ${total.toLocaleString("en-US")} rows`)).toBeVisible();

    const csv = await download(page, /CSV/);
    expect(csv.fileName).toMatch(fileName);
    const [header, ...records] = parse(csv.bytes, { bom: true }) as string[][];
    expect(header).toContain("Opportunity");
    expect(records).toHaveLength(total);

    const xlsx = await download(page, /Excel/);
    expect(xlsx.fileName).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(workbook.getWorksheet("Pipeline")!.rowCount).toBe(total + 1);
  });
}
