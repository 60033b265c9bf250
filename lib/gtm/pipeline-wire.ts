import { toMoneyString } from "../money";
import type { CalendarDate } from "./calendar-date";
import type { ChurnRisk } from "./customer";
import type { PipelineRow } from "./pipeline-row";
import type { PipelineSummary } from "./pipeline-summary";
import type { OpportunityStatus } from "./revenue-at-risk";
import type { SalesStage } from "./sales-stage";

/**
 * The wire shapes of the pipeline: what the JSON API returns, the export writes per column
 * and the table renders, so a file always equals the API and the screen. Amounts are
 * two-place decimal strings ("1234.50", exact, never through a float), dates YYYY-MM-DD.
 * Exports read millions of rows, so the repository can produce these directly (no Decimal per row).
 */
export interface PipelineRowText {
  oppId: string;
  name: string | null;
  customerId: string;
  customerName: string;
  churnRisk: ChurnRisk;
  stage: SalesStage;
  closeDate: CalendarDate;
  amount: string;
  salesOwner: string;
  status: OpportunityStatus;
  firstSeen: CalendarDate;
  daysInStage: number;
  pushCount: number;
}

export function toPipelineRowText(row: PipelineRow): PipelineRowText {
  return {
    oppId: row.oppId,
    name: row.name,
    customerId: row.customerId,
    customerName: row.customerName,
    churnRisk: row.churnRisk,
    stage: row.stage,
    closeDate: row.closeDate,
    amount: toMoneyString(row.amount),
    salesOwner: row.salesOwner,
    status: row.status,
    firstSeen: row.firstSeen,
    daysInStage: row.daysInStage,
    pushCount: row.pushCount,
  };
}

export interface PipelineSummaryJson {
  asOf: string;
  totals: {
    count: number;
    amount: string;
    openPipeline: string;
    openCount: number;
    atRisk: string;
    atRiskCount: number;
    overdue: string;
    overdueCount: number;
    won: string;
    wonCount: number;
    lost: string;
    lostCount: number;
  };
  byStage: { stage: SalesStage; count: number; amount: string; open: string; atRisk: string }[];
  byOwner: {
    owner: string;
    open: string;
    openCount: number;
    atRisk: string;
    atRiskCount: number;
    overdue: string;
    overdueCount: number;
  }[];
  byCloseMonth: { month: string; open: string; atRisk: string }[];
}

export function toPipelineSummaryJson(summary: PipelineSummary): PipelineSummaryJson {
  const { totals } = summary;
  return {
    asOf: summary.asOf,
    totals: {
      count: totals.count,
      amount: toMoneyString(totals.amount),
      openPipeline: toMoneyString(totals.openPipeline),
      openCount: totals.openCount,
      atRisk: toMoneyString(totals.atRisk),
      atRiskCount: totals.atRiskCount,
      overdue: toMoneyString(totals.overdue),
      overdueCount: totals.overdueCount,
      won: toMoneyString(totals.won),
      wonCount: totals.wonCount,
      lost: toMoneyString(totals.lost),
      lostCount: totals.lostCount,
    },
    byStage: summary.byStage.map((row) => ({
      stage: row.stage,
      count: row.count,
      amount: toMoneyString(row.amount),
      open: toMoneyString(row.open),
      atRisk: toMoneyString(row.atRisk),
    })),
    byOwner: summary.byOwner.map((row) => ({
      owner: row.owner,
      open: toMoneyString(row.open),
      openCount: row.openCount,
      atRisk: toMoneyString(row.atRisk),
      atRiskCount: row.atRiskCount,
      overdue: toMoneyString(row.overdue),
      overdueCount: row.overdueCount,
    })),
    byCloseMonth: summary.byCloseMonth.map((row) => ({
      month: row.month,
      open: toMoneyString(row.open),
      atRisk: toMoneyString(row.atRisk),
    })),
  };
}
