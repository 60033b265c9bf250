import { csvRecord } from "../csv/csv-field";
import type { ExportCell } from "./export-cells";

export function csvCells(cells: readonly ExportCell[]): string {
  return csvRecord(cells.map((cell) => cell.value));
}
