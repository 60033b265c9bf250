import { namesOf, type OwnerNames, ownerName } from "../gtm/owner-names";
import Decimal from "decimal.js";
import { addMonths, type CalendarDate, monthOf } from "../gtm/calendar-date";
import type { PipelineRow } from "../gtm/pipeline-row";
import { type PipelineRowText, toPipelineRowText } from "../gtm/pipeline-wire";
import type { PipelineSummary } from "../gtm/pipeline-summary";
import { OPEN_STAGES } from "../gtm/sales-stage";
import { SALES_STAGE_LABELS } from "../view/labels";
import { formatMonth, formatPercent } from "../view/format";
import { sumMoney, toMoneyString, ZERO } from "../money";
import { oncePerValue } from "./once-per-value";

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
  /** More about the bar for its tooltip (a deal's id and close date). */
  detail?: string;
}

/** What a ranked chart leaves out, said under it instead of drawn as a bar that would set the scale. */
export interface ChartRest {
  count: number;
  atRisk: string;
}

export interface RankedChart {
  bars: ChartBar[];
  rest: ChartRest | null;
}

function bar(key: string, label: string, atRisk: Decimal, total: Decimal): ChartBar {
  const other = total.minus(atRisk);
  return {
    key,
    label,
    atRisk: toMoneyString(atRisk),
    other: toMoneyString(other),
    atRiskValue: atRisk.toNumber(),
    otherValue: other.toNumber(),
  };
}

/** True when no bar has anything to draw: the chart shows a line of text instead of empty axes. */
export function isEmptyChart(bars: ChartBar[]): boolean {
  return bars.every((candidate) => candidate.atRiskValue === 0 && candidate.otherValue === 0);
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
    return bar(month, formatMonth(month), row?.atRisk ?? ZERO, row?.open ?? ZERO);
  });
}

/** Revenue at risk by owner: the top `top` owners with any at risk; the rest are counted and summed, not drawn. */
export function ownerChart(summary: PipelineSummary, names: OwnerNames, top = 10): RankedChart {
  const ranked = summary.byOwner
    .filter((owner) => owner.atRisk.greaterThan(0))
    .sort((a, b) => b.atRisk.comparedTo(a.atRisk) || a.owner.localeCompare(b.owner));
  const rest = ranked.slice(top);
  return {
    bars: ranked
      .slice(0, top)
      .map((owner) => bar(owner.owner, ownerName(owner.owner, names), owner.atRisk, owner.open)),
    rest:
      rest.length > 0
        ? { count: rest.length, atRisk: toMoneyString(sumMoney(rest.map((owner) => owner.atRisk))) }
        : null,
  };
}

/** ownerChart of a data version's summary and names, made once per version (once-per-value.ts): it ranks every owner. */
export const ownerChartOf = oncePerValue((summary: PipelineSummary, names: OwnerNames) => ownerChart(summary, names));

/** A page of rows as the table gets them, with their owners' names, once per version's page. */
export const tableRowsOf = oncePerValue(
  (rows: PipelineRow[], names: OwnerNames): { rows: PipelineRowText[]; ownerNames: OwnerNames } => ({
    rows: rows.map(toPipelineRowText),
    ownerNames: namesOf(
      rows.map((row) => row.salesOwner),
      names,
    ),
  }),
);

/** The names of a version's owner list, for the owner filter, once per version. */
export const ownerListNamesOf = oncePerValue((owners: string[], names: OwnerNames) => namesOf(owners, names));

/**
 * A rep's largest at-risk deals (`deals`: the view's at-risk rows, largest first), labelled
 * by customer; the rest of the view's revenue at risk is counted and summed under the chart.
 */
export function dealChart(deals: PipelineRow[], summary: PipelineSummary): RankedChart {
  const shown = sumMoney(deals.map((deal) => deal.amount));
  const restCount = summary.totals.atRiskCount - deals.length;
  return {
    bars: deals.map((deal) => ({
      ...bar(deal.oppId, deal.customerName, deal.amount, deal.amount),
      detail: `${deal.oppId} · closes ${deal.closeDate}`,
    })),
    rest: restCount > 0 ? { count: restCount, atRisk: toMoneyString(summary.totals.atRisk.minus(shown)) } : null,
  };
}

/** Share of open pipeline that is at risk ("12.3%"); "0.0%" when there is no open pipeline. */
export function atRiskShare(summary: PipelineSummary): string {
  return formatPercent(summary.totals.atRisk, summary.totals.openPipeline) ?? "0.0%";
}

/** Win rate of the view's closed deals, by count and by amount ("62.5%"); null when it has none. */
export function winRates(summary: PipelineSummary): {
  byCount: string | null;
  byAmount: string | null;
  closedCount: number;
} {
  const { won, wonCount, lost, lostCount } = summary.totals;
  const closedCount = wonCount + lostCount;
  return {
    byCount: formatPercent(new Decimal(wonCount), new Decimal(closedCount)),
    byAmount: formatPercent(won, won.plus(lost)),
    closedCount,
  };
}
