import Decimal from "decimal.js";
import { addMonths, type CalendarDate, monthOf } from "../gtm/calendar-date";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import { OPEN_STAGES } from "../gtm/sales-stage";
import { SALES_STAGE_LABELS } from "../view/labels";
import { sumMoney, toMoneyString, ZERO } from "../money";

/**
 * Plain, serializable shapes for the chart components (table rows use the API's
 * PipelineRowText). Amounts travel as exact decimal strings; charts also get a
 * number, used only to size bars.
 */
export interface ChartBar {
  key: string;
  label: string;
  /** Exact USD strings for tooltips and the text alternative. */
  atRisk: string;
  other: string;
  /** Bar sizes only (the chart edge is the one place money becomes a number). */
  atRiskValue: number;
  otherValue: number;
}

function bar(key: string, label: string, atRisk: Decimal, total: Decimal): ChartBar {
  const other = total.minus(atRisk);
  return { key, label, atRisk: toMoneyString(atRisk), other: toMoneyString(other), atRiskValue: atRisk.toNumber(), otherValue: other.toNumber() };
}

/** Open pipeline per open stage, split into at risk and not at risk. */
export function stageChart(summary: PipelineSummary): ChartBar[] {
  return OPEN_STAGES.map((stage) => {
    const row = summary.byStage.find((candidate) => candidate.stage === stage);
    return bar(stage, SALES_STAGE_LABELS[stage], row?.atRisk ?? ZERO, row?.open ?? ZERO);
  });
}

/** Revenue at risk by close month for the 12 months starting with asOf's month (empty months included). */
export function monthChart(summary: PipelineSummary, asOf: CalendarDate): ChartBar[] {
  return Array.from({ length: 12 }, (_, index) => {
    const month = monthOf(addMonths(`${monthOf(asOf)}-01` as CalendarDate, index));
    const row = summary.byCloseMonth.find((candidate) => candidate.month === month);
    const label = new Date(`${month}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" });
    return bar(month, label, row?.atRisk ?? ZERO, row?.open ?? ZERO);
  });
}

export const OTHERS_KEY = "__others__";

/** Revenue at risk by owner: the top `top` owners with any at risk, then the rest as "Others". */
export function ownerChart(summary: PipelineSummary, top = 10): ChartBar[] {
  const ranked = summary.byOwner.filter((owner) => owner.atRisk.greaterThan(0)).sort((a, b) => b.atRisk.comparedTo(a.atRisk) || a.owner.localeCompare(b.owner));
  const bars = ranked.slice(0, top).map((owner) => bar(owner.owner, owner.owner, owner.atRisk, owner.open));
  const rest = ranked.slice(top);
  if (rest.length > 0) {
    bars.push(bar(OTHERS_KEY, `Others (${rest.length})`, sumMoney(rest.map((owner) => owner.atRisk)), sumMoney(rest.map((owner) => owner.open))));
  }
  return bars;
}

/** Share of open pipeline that is at risk, as a percentage with one decimal ("12.3%"). */
export function atRiskShare(summary: PipelineSummary): string {
  const { openPipeline, atRisk } = summary.totals;
  if (openPipeline.isZero()) return "0%";
  return `${atRisk.dividedBy(openPipeline).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1)}%`;
}
