import type { PipelineSummaryJson } from "../gtm/pipeline-wire";
import { columnLabel, type PipelineColumnId } from "../gtm/pipeline-columns";
import type { PipelineQuery } from "../gtm/pipeline-query";
import { figuresInView } from "../gtm/status-filter";
import { SALES_STAGE_LABELS, STATUS_FILTER_LABELS } from "../view/labels";
import type { XlsxSummarySheet } from "./xlsx-export-stream";

const ALL = "All";

/**
 * What the XLSX's "Summary" sheet says: whose deals (`scope`, the viewer's, by name), the filters
 * that produced the file, and the figures for that set that the view can have (as on screen).
 */
export function exportSummarySheet(
  query: PipelineQuery,
  columns: readonly PipelineColumnId[],
  summary: PipelineSummaryJson,
  scope: string,
): XlsxSummarySheet {
  const { totals } = summary;
  const shown = figuresInView(query);
  const figures: XlsxSummarySheet["figures"] = [
    ["Rows", totals.count],
    ["Amount, all rows", { money: totals.amount }],
  ];
  if (shown.open) {
    figures.push(
      ["Open pipeline", { money: totals.openPipeline }],
      ["Open opportunities", totals.openCount],
      ["Revenue at risk", { money: totals.atRisk }],
      ["At-risk opportunities", totals.atRiskCount],
      ["Overdue", { money: totals.overdue }],
      ["Overdue opportunities", totals.overdueCount],
    );
  }
  if (shown.won) figures.push(["Won", { money: totals.won }], ["Won opportunities", totals.wonCount]);
  if (shown.lost) figures.push(["Lost", { money: totals.lost }], ["Lost opportunities", totals.lostCount]);
  return {
    filters: [
      ["As of", query.asOf],
      ["Scope", scope],
      ["Sales owner", query.owners.join(", ") || "All in scope"],
      ["Status", STATUS_FILTER_LABELS[query.status]],
      ["Stage", query.stages.map((stage) => SALES_STAGE_LABELS[stage]).join(", ") || ALL],
      ["Close date from", query.closeFrom ?? ""],
      ["Close date to", query.closeTo ?? ""],
      ["Minimum amount", query.minAmount?.toFixed(2) ?? ""],
      ["Maximum amount", query.maxAmount?.toFixed(2) ?? ""],
      ["Risk", query.risk === "at-risk" ? "At risk" : query.risk === "overdue" ? "Overdue" : ALL],
      ["Times pushed at least", query.pushedMin?.toString() ?? ""],
      ["Days in stage at least", query.stalledDays?.toString() ?? ""],
      ["Search", query.q ?? ""],
      ["Sort", `${columnLabel(query.sort.column)}, ${query.sort.direction === "asc" ? "ascending" : "descending"}`],
      ["Columns", columns.map(columnLabel).join(", ")],
    ],
    figures,
    table: {
      title: "By stage",
      header: ["Stage", "Opportunities", "Amount", "Open", "At risk"],
      rows: summary.byStage.map((stage) => [
        SALES_STAGE_LABELS[stage.stage],
        stage.count,
        { money: stage.amount },
        { money: stage.open },
        { money: stage.atRisk },
      ]),
    },
  };
}
