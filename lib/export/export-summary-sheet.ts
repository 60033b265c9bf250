import type { PipelineSummaryJson } from "../gtm/pipeline-wire";
import { columnLabel, type PipelineColumnId } from "../gtm/pipeline-columns";
import type { PipelineQuery } from "../gtm/pipeline-query";
import { SALES_STAGE_LABELS } from "../view/labels";
import type { XlsxSummarySheet } from "./xlsx-export-stream";

const ALL = "All";

/** What the XLSX's "Summary" sheet says: the filters that produced the file and the figures for that set. */
export function exportSummarySheet(query: PipelineQuery, columns: readonly PipelineColumnId[], summary: PipelineSummaryJson): XlsxSummarySheet {
  return {
    filters: [
      ["As of", query.asOf],
      ["Sales owner", query.owners.join(", ") || ALL],
      ["Stage", query.stages.map((stage) => SALES_STAGE_LABELS[stage]).join(", ") || ALL],
      ["Close date from", query.closeFrom ?? ""],
      ["Close date to", query.closeTo ?? ""],
      ["Minimum amount", query.minAmount?.toFixed(2) ?? ""],
      ["Maximum amount", query.maxAmount?.toFixed(2) ?? ""],
      ["Risk", query.risk === "at-risk" ? "At risk" : query.risk === "overdue" ? "Overdue" : ALL],
      ["Search", query.q ?? ""],
      ["Sort", `${query.sort.column} ${query.sort.direction}`],
      ["Columns", columns.map(columnLabel).join(", ")],
    ],
    figures: [
      ["Rows", summary.totals.count],
      ["Amount, all rows", { money: summary.totals.amount }],
      ["Open pipeline", { money: summary.totals.openPipeline }],
      ["Open opportunities", summary.totals.openCount],
      ["Revenue at risk", { money: summary.totals.atRisk }],
      ["At-risk opportunities", summary.totals.atRiskCount],
      ["Overdue", { money: summary.totals.overdue }],
      ["Overdue opportunities", summary.totals.overdueCount],
    ],
    table: {
      title: "By stage",
      header: ["Stage", "Opportunities", "Amount", "Open", "At risk"],
      rows: summary.byStage.map((stage) => [SALES_STAGE_LABELS[stage.stage], stage.count, { money: stage.amount }, { money: stage.open }, { money: stage.atRisk }]),
    },
  };
}
