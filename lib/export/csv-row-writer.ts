import type { PipelineRowText } from "../gtm/pipeline-wire";
import type { PipelineColumnId } from "../gtm/pipeline-columns";
import { csvField } from "../csv/csv-field";
import { CELL_KIND, cellText, textCellWriter } from "./export-cells";

/**
 * One CSV record (CRLF-terminated) per row, for the given columns: the same bytes as
 * `csvCells(exportCells(row, columns))` (same words, same neutralisation, same quoting), without the
 * per-cell objects and arrays in between, since an export writes millions of rows.
 */
export function csvRowWriter(columns: readonly PipelineColumnId[]): (row: PipelineRowText) => string {
  const cells = columns.map((id) => ({ id, text: CELL_KIND[id] === "text" ? textCellWriter(id) : undefined }));
  return (row) => {
    let line = "";
    for (let i = 0; i < cells.length; i++) {
      const { id, text } = cells[i];
      const value = cellText(row, id);
      line += (i === 0 ? "" : ",") + csvField(text ? text(value) : value);
    }
    return line + "\r\n";
  };
}
