import { expect, test } from "@playwright/test";
import { migrate } from "../lib/db/migrate";
import { openDatabase } from "../lib/db/open-database";
import { seedDemoData } from "../lib/demo/seed-demo-data";
import { addDays, type CalendarDate, calendarDateAt } from "../lib/gtm/calendar-date";
import { parsePipelineQuery } from "../lib/gtm/pipeline-query";
import { ALL_OWNERS } from "../lib/gtm/pipeline-scope";
import type { PipelineSummary } from "../lib/gtm/pipeline-summary";
import { PrismaOpportunityRepository } from "../lib/gtm-prisma/prisma-opportunity-repository";
import { formatUsd } from "../lib/money";
import { configuredTimeZone, today } from "../lib/today";
import { assertLocalDatabase } from "./assert-local-database";

assertLocalDatabase();

/**
 * A past day and the repository's figures for it, on a private copy of the demo data (the
 * server's embedded database cannot be opened twice). A week after history starts when the
 * demo has history before today; otherwise yesterday, which is then before history starts.
 */
async function pastDay(): Promise<{ asOf: CalendarDate; summary: PipelineSummary; recorded: boolean }> {
  const db = await openDatabase("memory:");
  try {
    await migrate(db.driver);
    const now = today();
    await seedDemoData(db, now);
    const timeZone = configuredTimeZone();
    const repository = new PrismaOpportunityRepository(db.prisma, ALL_OWNERS, { history: { today: now, timeZone } });
    const starts = await repository.historyStarts();
    const startDay = starts ? calendarDateAt(starts, timeZone) : now;
    const recorded = addDays(startDay, 7) < now;
    const asOf = recorded ? addDays(startDay, 7) : addDays(now, -1);
    const summary = await repository.summarize(parsePipelineQuery(new URLSearchParams(`asOf=${asOf}`), now).query);
    return { asOf, summary, recorded };
  } finally {
    await db.close();
  }
}

test("As of a past date shows that day's figures, or says history has not started", async ({ page }) => {
  const { asOf, summary, recorded } = await pastDay();
  await page.goto("/");
  await expect(page.locator("form[data-hydrated]")).toBeAttached();
  await page.getByLabel("As of").fill(asOf);
  await page.getByLabel("As of").press("Enter");
  await expect(page).toHaveURL(new RegExp(`asOf=${asOf}`));
  await expect(page.getByTestId("kpi-open")).toHaveText(formatUsd(summary.totals.openPipeline));
  await expect(page.getByTestId("kpi-at-risk")).toHaveText(formatUsd(summary.totals.atRisk));
  if (recorded) {
    expect(summary.totals.count).toBeGreaterThan(0);
    await expect(page.getByTestId("history-notice")).toHaveCount(0);
  } else {
    expect(summary.totals.count).toBe(0);
    await expect(page.getByTestId("history-notice")).toContainText("History starts on");
    await expect(page.getByTestId("history-notice")).toContainText("--effective-date");
  }
});

test("a deal's page shows its timeline", async ({ page }) => {
  await page.goto("/");
  const firstDeal = page.getByRole("region", { name: "Opportunities" }).locator("tbody tr a[href^=\"/opportunities/\"]").first();
  await firstDeal.click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Opportunity");
  const timeline = page.getByRole("region", { name: "Deal timeline" });
  await expect(timeline.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await expect(timeline.getByText(/^Recorded: /).first()).toBeVisible();
  await expect(timeline.locator("time").first()).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
});
