import { toPipelineRowJson } from "../api/pipeline-json";
import type { PipelineColumnId } from "../gtm/pipeline-columns";
import type { PipelineRow } from "../gtm/pipeline-row";
import { csvCells, csvRecord } from "./csv";
import { exportCells, exportHeaders } from "./export-cells";
import type { ExportStreamOptions } from "./export-stream-options";
import { onceStopped } from "./export-stream-options";

const CHUNK_CHARS = 64 * 1024;
const BOM = "\uFEFF";

/**
 * The rows as an RFC 4180 CSV (UTF-8, CRLF), produced on demand: each `pull`
 * reads just enough rows for one ~64 KiB chunk, so a slow client slows the
 * database reads and memory stays flat whatever the size. Cancelling (client
 * gone) returns the row iterator, which ends the keyset scan.
 */
export function csvExportStream(
  rows: AsyncIterator<PipelineRow>,
  columns: readonly PipelineColumnId[],
  options: ExportStreamOptions & { bom?: boolean } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pendingHeader = (options.bom ? BOM : "") + csvRecord(exportHeaders(columns));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await rows.return?.();
  };
  onceStopped(options.signal, stop);

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = pendingHeader;
      pendingHeader = "";
      let done = false;
      try {
        while (text.length < CHUNK_CHARS) {
          const next = await rows.next();
          if (next.done || stopped) {
            done = true;
            break;
          }
          text += csvCells(exportCells(toPipelineRowJson(next.value), columns));
        }
      } catch (error) {
        options.onError?.(error);
        await stop().catch(() => undefined);
        controller.error(error);
        return;
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (done) controller.close();
    },
    cancel: stop,
  });
}
