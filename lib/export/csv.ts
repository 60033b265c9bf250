import type { ExportCell } from "./export-cells";

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record with its CRLF terminator (RFC 4180). Cells are already neutralised text, plain decimals and ISO dates. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export function csvCells(cells: readonly ExportCell[]): string {
  return csvRecord(cells.map((cell) => cell.value));
}
