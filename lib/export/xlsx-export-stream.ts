import ExcelJS from "exceljs";
import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { toPipelineRowText } from "../gtm/pipeline-wire";
import type { PipelineColumnId } from "../gtm/pipeline-columns";
import type { PipelineRow } from "../gtm/pipeline-row";
import { CELL_KIND, type ExportCell, exportCells, exportHeaders, moneyAsNumber } from "./export-cells";
import { type ExportStreamOptions, onceStopped } from "./export-stream-options";
import { neutralizeCell } from "./neutralize-cell";

export const USD_FORMAT = '"$"#,##0.00';
export const DATE_FORMAT = "yyyy-mm-dd";
const ROWS_PER_STEP = 500;

const COLUMN_WIDTH: Record<PipelineColumnId, number> = {
  oppId: 14,
  name: 32,
  customerName: 32,
  customerId: 14,
  churnRisk: 11,
  stage: 14,
  closeDate: 12,
  amount: 16,
  salesOwner: 18,
  status: 12,
  firstSeen: 12,
  daysInStage: 13,
  pushCount: 13,
};

/** The second sheet: what the file contains and which filters produced it. */
export interface XlsxSummarySheet {
  /** Label/value lines: the filters, as-of date and columns (values are user text and get neutralised). */
  filters: [label: string, value: string][];
  /** Label/value lines of summary figures; money as two-place decimal strings. */
  figures: [label: string, value: number | { money: string }][];
  /** A small table (e.g. by stage): header then rows. */
  table?: { title: string; header: string[]; rows: (string | number | { money: string })[][] };
}

/**
 * The rows as an XLSX workbook written by exceljs's streaming writer into a
 * PassThrough, driven by `pull`: a pull hands out what the zip has produced, and
 * only when nothing is ready does it write a few hundred more rows, then waits
 * until the zip's input has drained. So rows are read from the database only as
 * fast as the client downloads, and memory stays flat.
 */
export function xlsxExportStream(
  rows: AsyncIterator<PipelineRow>,
  columns: readonly PipelineColumnId[],
  summarySheet: XlsxSummarySheet,
  options: ExportStreamOptions = {},
): ReadableStream<Uint8Array> {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet("Pipeline", { views: [{ state: "frozen", ySplit: 1 }] });
  const summary = workbook.addWorksheet("Summary");
  // Column styles apply to every cell added below, so rows need no per-cell styling.
  sheet.columns = columns.map((id) => ({
    key: id,
    width: COLUMN_WIDTH[id],
    style: id === "amount" ? { numFmt: USD_FORMAT } : CELL_KIND[id] === "date" ? { numFmt: DATE_FORMAT } : {},
  }));
  const header = sheet.addRow(exportHeaders(columns));
  header.font = { bold: true };
  header.commit();
  writeSummarySheet(summary, summarySheet);

  const abort = new AbortController();
  let rowsDone = false;
  let committing: Promise<void> | undefined;
  let failure: unknown;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    abort.abort();
    output.destroy();
    (workbook as unknown as { zip?: { abort?: () => void } }).zip?.abort?.();
    await rows.return?.();
  };
  onceStopped(options.signal, stop);
  output.on("error", (error) => (failure ??= error));

  async function writeRows(): Promise<void> {
    for (let count = 0; count < ROWS_PER_STEP; count++) {
      const next = await rows.next();
      if (next.done || stopped) {
        sheet.commit();
        rowsDone = true;
        return;
      }
      sheet.addRow(exportCells(toPipelineRowText(next.value), columns).map(cellValue)).commit();
    }
    await roomInSheet(sheet, abort.signal);
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          if (stopped) return; // cancelled while this pull was waiting
          if (failure) throw failure;
          const chunk = output.read() as Buffer | null;
          if (chunk) {
            controller.enqueue(chunk);
            return;
          }
          if (output.readableEnded) {
            controller.close();
            return;
          }
          if (!rowsDone) {
            await writeRows();
          } else {
            committing ??= workbook.commit().catch((error: unknown) => {
              failure ??= error;
            });
            await readableOrEnd(output);
          }
        }
      } catch (error) {
        options.onError?.(error);
        await stop().catch(() => undefined);
        controller.error(error);
      }
    },
    cancel: stop,
  });
}

function cellValue(cell: ExportCell): string | number | Date {
  if (cell.kind === "money") return moneyAsNumber(cell.value) ?? cell.value;
  if (cell.kind === "date") return new Date(`${cell.value}T00:00:00Z`); // exceljs reads Dates as UTC.
  if (cell.kind === "number") return Number(cell.value);
  return cell.value;
}

/**
 * exceljs ignores backpressure: each sheet's buffer is piped into the zip's input
 * stream without checking write(). That input is a Node stream, so its `needDrain`
 * says the zip (and, behind it, our output) is full; wait for it to drain.
 */
async function roomInSheet(sheet: ExcelJS.Worksheet, signal: AbortSignal): Promise<void> {
  const sink = (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
  if (sink?.writableNeedDrain) await once(sink, "drain", { signal });
  else await new Promise((resolve) => setImmediate(resolve));
}

function readableOrEnd(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("readable", done).off("end", done).off("error", done).off("close", done);
      resolve();
    };
    stream.on("readable", done).on("end", done).on("error", done).on("close", done);
  });
}

function writeSummarySheet(sheet: ExcelJS.Worksheet, content: XlsxSummarySheet): void {
  sheet.columns = [{ width: 26 }, { width: 22 }, { width: 18 }, { width: 18 }, { width: 18 }];
  const bold = (values: (string | number)[]) => {
    const row = sheet.addRow(values);
    row.font = { bold: true };
    row.commit();
  };
  const add = (values: (string | number | { money: string })[]) => {
    const row = sheet.addRow(
      values.map((value) =>
        typeof value === "object"
          ? (moneyAsNumber(value.money) ?? value.money)
          : typeof value === "string"
            ? neutralizeCell(value)
            : value,
      ),
    );
    values.forEach((value, index) => {
      if (typeof value === "object") row.getCell(index + 1).numFmt = USD_FORMAT;
    });
    row.commit();
  };
  bold(["Filters"]);
  for (const [label, value] of content.filters) add([label, value]);
  sheet.addRow([]).commit();
  bold(["Summary"]);
  for (const [label, value] of content.figures) add([label, value]);
  if (content.table) {
    sheet.addRow([]).commit();
    bold([content.table.title]);
    bold(content.table.header);
    for (const row of content.table.rows) add(row);
  }
  sheet.commit();
}
