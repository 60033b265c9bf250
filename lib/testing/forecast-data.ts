import Decimal from "decimal.js";
import type { PrismaClient } from "../db/generated/client";
import type { CalendarDate } from "../gtm/calendar-date";
import type { Customer } from "../gtm/customer";
import type { ForecastDeal, ForecastTotals, Quota } from "../gtm/forecast";
import type { ForecastFigures } from "../gtm/forecast-figures";
import type { ForecastSettings } from "../gtm/forecast-settings";

/** A deal of a test: the forecast's view of it plus the ids it is stored under. */
export interface StoredForecastDeal extends ForecastDeal {
  oppId: string;
  customerId: string;
}

let sequence = 0;

export function aForecastDeal(customer: Customer, overrides: Partial<ForecastDeal> = {}): StoredForecastDeal {
  const id = String(++sequence).padStart(6, "0");
  return {
    oppId: `F-${id}`,
    customerId: customer.customerId,
    churnRisk: customer.churnRisk,
    salesOwner: "rep.one",
    stage: "proposal",
    closeDate: "2026-12-01" as CalendarDate,
    createdDate: "2026-09-01" as CalendarDate,
    amount: new Decimal("1000.00"),
    forecastCategory: null,
    probability: null,
    ...overrides,
  };
}

const day = (date: CalendarDate) => new Date(`${date}T00:00:00Z`);

/** Replaces the pipeline, teams, quotas and settings of a test database with these. */
export async function storeForecastData(
  prisma: PrismaClient,
  data: {
    customers: Customer[];
    deals: StoredForecastDeal[];
    quotas?: Quota[];
    teams?: { salesOwner: string; manager: string; ownerName?: string; managerName?: string }[];
    settings?: ForecastSettings;
  },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    // History too: a test's world starts from nothing (deleting and re-adding an id in one transaction would overlap its versions).
    await tx.$executeRaw`TRUNCATE opportunities, customers, opportunity_history, customer_versions, quotas, sales_teams`;
    await tx.customer.createMany({ data: data.customers });
    await tx.opportunity.createMany({
      data: data.deals.map((deal) => ({
        oppId: deal.oppId,
        customerId: deal.customerId,
        stage: deal.stage,
        closeDate: day(deal.closeDate),
        createdDate: day(deal.createdDate),
        amount: deal.amount.toFixed(2),
        salesOwner: deal.salesOwner,
        forecastCategory: deal.forecastCategory,
        probability: deal.probability,
      })),
    });
    await tx.quota.createMany({
      data: (data.quotas ?? []).map((quota) => ({ ...quota, amount: quota.amount.toFixed(2) })),
    });
    await tx.salesTeamMember.createMany({ data: data.teams ?? [] });
    if (data.settings) {
      const { stageProbabilities, atRiskHaircutPercent, coverageThreshold } = data.settings;
      await tx.forecastSettings.update({
        where: { id: 1 },
        data: {
          prospectingProbability: stageProbabilities.prospecting,
          qualificationProbability: stageProbabilities.qualification,
          proposalProbability: stageProbabilities.proposal,
          atRiskHaircutPercent,
          coverageThreshold: coverageThreshold.toFixed(2),
        },
      });
    }
  });
}

/** Totals as text, to compare exactly whatever Decimal constructor made them. */
export function totalsText(totals: ForecastTotals): Record<keyof ForecastTotals, string> {
  return Object.fromEntries(
    Object.entries(totals).map(([key, value]) => [
      key,
      typeof value === "number" ? String(value) : (value as Decimal).toFixed(2),
    ]),
  ) as Record<keyof ForecastTotals, string>;
}

/** Figures as text (ratios with their places, null as "-"). */
export function figuresText(figures: ForecastFigures): Record<string, string> {
  const text = (value: Decimal | null, places = 2) => (value === null ? "-" : value.toFixed(places));
  return {
    won: text(figures.won),
    lost: text(figures.lost),
    pipeline: text(figures.pipeline),
    commit: text(figures.commit),
    bestCase: text(figures.bestCase),
    weighted: text(figures.weighted),
    riskAdjusted: text(figures.riskAdjusted),
    quota: text(figures.quota),
    gap: text(figures.gap),
    coverage: text(figures.coverage, 4),
    attainment: text(figures.attainment, 4),
    winRateByCount: text(figures.winRate.byCount, 4),
    winRateByAmount: text(figures.winRate.byAmount, 4),
    winRateN: String(figures.winRate.n),
    averageCycleDays: text(figures.salesCycle.averageDays, 1),
    cycleN: String(figures.salesCycle.n),
  };
}
