import ExcelJS from "exceljs";
import { csvRecord } from "../csv/csv-field";
import type { CalendarDate } from "../gtm/calendar-date";
import type { ChangedDeal, DealState } from "../gtm/changes-repository";
import type { ChangeKind } from "../gtm/pipeline-changes";
import { toMoneyString } from "../money";
import { CHANGE_KIND_LABELS } from "../view/changes-waterfall";
import { SALES_STAGE_LABELS } from "../view/labels";
import { moneyAsNumber } from "./export-cells";
import { neutralizeCell } from "./neutralize-cell";
import { DATE_FORMAT, USD_FORMAT } from "./xlsx-export-stream";

export type ChangedDealsFormat = "csv" | "xlsx";

const STATE_COLUMNS = ["stage", "close date", "amount", "sales owner"] as const;
const HEADER = [
  "Opportunity",
  "Deal name",
  "Customer",
  "Sales owner",
  "Change (USD)",
  ...STATE_COLUMNS.map((c) => `Before: ${c}`),
  ...STATE_COLUMNS.map((c) => `After: ${c}`),
];
/** Columns holding money and dates (by position in HEADER), typed as such in the workbook. */
const MONEY_COLUMNS = new Set([4, 7, 11]);
const DATE_COLUMNS = new Set([6, 10]);

/** One deal's cells as the Changes page lists it: text neutralised, money as exact two-place text, stages as on screen. */
function dealCells(deal: ChangedDeal): string[] {
  const state = (s: DealState | null) =>
    s
      ? [SALES_STAGE_LABELS[s.stage], s.closeDate, toMoneyString(s.amount), neutralizeCell(s.salesOwner)]
      : ["", "", "", ""];
  return [
    neutralizeCell(deal.oppId),
    neutralizeCell(deal.name ?? ""),
    neutralizeCell(deal.customerName),
    neutralizeCell(deal.salesOwner),
    toMoneyString(deal.amount),
    ...state(deal.before),
    ...state(deal.after),
  ];
}

/** A bucket's deals as the Changes page lists them, in its order: each deal's change and its state before and after. */
export function changedDealsCsv(deals: readonly ChangedDeal[]): string {
  return [csvRecord(HEADER), ...deals.map((deal) => csvRecord(dealCells(deal)))].join("");
}

/** The same as a workbook: the deals, then a sheet saying which bucket, days and filters they are. */
export async function changedDealsXlsx(
  deals: readonly ChangedDeal[],
  about: { kind: ChangeKind; from: CalendarDate; to: CalendarDate; filters: string },
): Promise<Blob> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(CHANGE_KIND_LABELS[about.kind], { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = HEADER.map((header, index) => ({
    header,
    width: index === 2 ? 32 : MONEY_COLUMNS.has(index) ? 16 : 14,
    style: MONEY_COLUMNS.has(index) ? { numFmt: USD_FORMAT } : DATE_COLUMNS.has(index) ? { numFmt: DATE_FORMAT } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const deal of deals) {
    sheet.addRow(
      dealCells(deal).map((cell, index) => {
        if (cell === "") return null;
        if (MONEY_COLUMNS.has(index)) return moneyAsNumber(cell) ?? cell;
        if (DATE_COLUMNS.has(index)) return new Date(`${cell}T00:00:00Z`);
        return cell;
      }),
    );
  }
  const summary = workbook.addWorksheet("Summary");
  summary.columns = [{ width: 18 }, { width: 60 }];
  summary.addRows([
    ["Bucket", CHANGE_KIND_LABELS[about.kind]],
    ["From", `end of ${about.from}`],
    ["To", `end of ${about.to}`],
    ["Filters", neutralizeCell(about.filters || "none")],
    ["Deals", deals.length],
  ]);
  return new Blob([await workbook.xlsx.writeBuffer()]);
}

export function changedDealsFileName(
  kind: ChangeKind,
  from: CalendarDate,
  to: CalendarDate,
  format: ChangedDealsFormat,
): string {
  return `changes-${kind}-${from}-to-${to}.${format}`;
}
