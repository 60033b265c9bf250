import Decimal from "decimal.js";
import type { PipelineRowText } from "../gtm/pipeline-wire";
import { columnLabel, type PipelineColumnId } from "../gtm/pipeline-columns";
import { OPPORTUNITY_STATUS_LABELS, SALES_STAGE_LABELS } from "../view/labels";
import { neutralizeCell } from "./neutralize-cell";

/** One cell of an exported row, typed so each writer can render it natively. */
export type ExportCell =
  | { kind: "text"; value: string }
  | { kind: "money"; value: string }
  | { kind: "date"; value: string }
  | { kind: "number"; value: string };

export const CELL_KIND: Record<PipelineColumnId, ExportCell["kind"]> = {
  oppId: "text",
  name: "text",
  customerName: "text",
  customerId: "text",
  churnRisk: "text",
  stage: "text",
  closeDate: "date",
  amount: "money",
  salesOwner: "text",
  status: "text",
  firstSeen: "date",
  daysInStage: "number",
  pushCount: "number",
};

/** Codes a file shows in the screen's words ("Closed lost", "At risk"); the JSON API keeps the codes. */
const SHOWN_AS: Partial<Record<PipelineColumnId, Record<string, string>>> = {
  stage: SALES_STAGE_LABELS,
  status: OPPORTUNITY_STATUS_LABELS,
};

/**
 * A column's text cell as a file shows it: in the screen's words, neutralised. The one rule
 * for text cells of both writers (exportCells here, csvRowWriter on the CSV's fast path).
 */
export function textCellWriter(id: PipelineColumnId): (value: string) => string {
  const words = SHOWN_AS[id];
  return words ? (value) => neutralizeCell(words[value] ?? value) : neutralizeCell;
}

/**
 * The visible columns of a row, in the visible order, from the API's row shape
 * (one serialisation for API, CSV and XLSX). Text is put in words and neutralised here, once.
 */
export function exportCells(row: PipelineRowText, columns: readonly PipelineColumnId[]): ExportCell[] {
  return columns.map((id) => {
    const kind = CELL_KIND[id];
    const value = cellText(row, id);
    return kind === "text" ? { kind, value: textCellWriter(id)(value) } : { kind, value };
  });
}

/** A field as text: a missing deal name is an empty cell. */
export function cellText(row: PipelineRowText, id: PipelineColumnId): string {
  return String(row[id] ?? "");
}

export function exportHeaders(columns: readonly PipelineColumnId[]): string[] {
  return columns.map(columnLabel);
}

// A double holds 15 significant digits exactly; below 10^13 an amount has at most
// 13 integer + 2 decimal digits, so the number Excel stores reads back as the
// same cents. NUMERIC(18,2) allows more, and those amounts are written as text.
const EXACT_AS_NUMBER = new Decimal("1e13");

/** The amount as a spreadsheet number when that is exact to the cent, else undefined. */
export function moneyAsNumber(value: string): number | undefined {
  const amount = new Decimal(value);
  return amount.abs().lessThan(EXACT_AS_NUMBER) ? amount.toNumber() : undefined;
}
