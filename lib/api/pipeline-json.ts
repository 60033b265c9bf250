import type { ChurnRisk } from "../gtm/customer";
import type { PipelineRow } from "../gtm/pipeline-row";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import type { OpportunityStatus } from "../gtm/revenue-at-risk";
import type { SalesStage } from "../gtm/sales-stage";
import { toMoneyString } from "../money";

/**
 * The one wire shape of a pipeline row: the JSON API returns it and the export
 * writes its fields per column, so a file always equals the API. Amounts are
 * two-place decimal strings, dates YYYY-MM-DD.
 */
export interface PipelineRowJson {
  oppId: string;
  customerId: string;
  customerName: string;
  churnRisk: ChurnRisk;
  stage: SalesStage;
  closeDate: string;
  amount: string;
  salesOwner: string;
  status: OpportunityStatus;
}

export function toPipelineRowJson(row: PipelineRow): PipelineRowJson {
  return {
    oppId: row.oppId,
    customerId: row.customerId,
    customerName: row.customerName,
    churnRisk: row.churnRisk,
    stage: row.stage,
    closeDate: row.closeDate,
    amount: toMoneyString(row.amount),
    salesOwner: row.salesOwner,
    status: row.status,
  };
}

export interface PipelineSummaryJson {
  asOf: string;
  totals: { count: number; amount: string; openPipeline: string; openCount: number; atRisk: string; atRiskCount: number; overdue: string; overdueCount: number };
  byStage: { stage: SalesStage; count: number; amount: string; open: string; atRisk: string }[];
  byOwner: { owner: string; open: string; atRisk: string; atRiskCount: number }[];
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
    },
    byStage: summary.byStage.map((row) => ({
      stage: row.stage,
      count: row.count,
      amount: toMoneyString(row.amount),
      open: toMoneyString(row.open),
      atRisk: toMoneyString(row.atRisk),
    })),
    byOwner: summary.byOwner.map((row) => ({ owner: row.owner, open: toMoneyString(row.open), atRisk: toMoneyString(row.atRisk), atRiskCount: row.atRiskCount })),
    byCloseMonth: summary.byCloseMonth.map((row) => ({ month: row.month, open: toMoneyString(row.open), atRisk: toMoneyString(row.atRisk) })),
  };
}
