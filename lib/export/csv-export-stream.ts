import type { PipelineRowText } from "../gtm/pipeline-wire";
import type { PipelineColumnId } from "../gtm/pipeline-columns";
import { csvRecord } from "../csv/csv-field";
import { csvRowWriter } from "./csv-row-writer";
import { exportHeaders } from "./export-cells";
import type { ExportStreamOptions } from "./export-stream-options";
import { onceStopped } from "./export-stream-options";

const CHUNK_CHARS = 64 * 1024;
const BOM = "\uFEFF";

/**
 * The rows as an RFC 4180 CSV (UTF-8, CRLF), produced on demand: each `pull`
 * writes just enough rows for one ~64 KiB chunk, reading the next batch of rows
 * only when the current one is written, so a slow client slows the database
 * reads and memory stays flat whatever the size. Cancelling (client gone)
 * returns the batch iterator, which ends the database read.
 */
export function csvExportStream(
  batches: AsyncIterator<readonly PipelineRowText[]>,
  columns: readonly PipelineColumnId[],
  options: ExportStreamOptions & { bom?: boolean } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const writeRow = csvRowWriter(columns);
  let pendingHeader = (options.bom ? BOM : "") + csvRecord(exportHeaders(columns));
  let batch: readonly PipelineRowText[] = [];
  let position = 0;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await batches.return?.();
  };
  onceStopped(options.signal, stop);

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = pendingHeader;
      pendingHeader = "";
      let done = false;
      try {
        while (text.length < CHUNK_CHARS) {
          if (position === batch.length) {
            const next = await batches.next();
            if (next.done || stopped) {
              done = true;
              break;
            }
            batch = next.value;
            position = 0;
            continue;
          }
          text += writeRow(batch[position++]);
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
