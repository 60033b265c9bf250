import { csvRecord } from "../csv/csv-field";
import type { CalendarDate } from "../gtm/calendar-date";
import type { ChangedDeal, DealState } from "../gtm/changes-repository";
import type { ChangeKind } from "../gtm/pipeline-changes";
import { toMoneyString } from "../money";
import { SALES_STAGE_LABELS } from "../view/labels";
import { neutralizeCell } from "./neutralize-cell";

const STATE_COLUMNS = ["stage", "close date", "amount", "sales owner"];
const stateCells = (state: DealState | null) => (state ? [SALES_STAGE_LABELS[state.stage], state.closeDate, toMoneyString(state.amount), neutralizeCell(state.salesOwner)] : ["", "", "", ""]);

/** A bucket's deals as the Changes page lists them, in its order and words: each deal's state before and after. */
export function changedDealsCsv(deals: readonly ChangedDeal[]): string {
  const header = ["Opportunity", "Name", "Customer", "Sales owner", ...STATE_COLUMNS.map((c) => `Before: ${c}`), ...STATE_COLUMNS.map((c) => `After: ${c}`)];
  const lines = [csvRecord(header)];
  for (const deal of deals) {
    lines.push(csvRecord([neutralizeCell(deal.oppId), neutralizeCell(deal.name ?? ""), neutralizeCell(deal.customerName), neutralizeCell(deal.salesOwner), ...stateCells(deal.before), ...stateCells(deal.after)]));
  }
  return lines.join("");
}

export function changedDealsFileName(kind: ChangeKind, from: CalendarDate, to: CalendarDate): string {
  return `changes-${kind}-${from}-to-${to}.csv`;
}
