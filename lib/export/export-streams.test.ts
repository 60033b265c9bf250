import Decimal from "decimal.js";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { DEFAULT_COLUMNS } from "../gtm/pipeline-columns";
import type { PipelineRow } from "../gtm/pipeline-row";
import { type PipelineRowText, toPipelineRowText } from "../gtm/pipeline-wire";
import { csvExportStream } from "./csv-export-stream";
import { xlsxExportStream } from "./xlsx-export-stream";

/** An endless row source that records how far it was read and whether it was closed. */
function endlessRows() {
  const state = { pulled: 0, returned: false };
  const iterator: AsyncIterator<PipelineRow> = {
    async next() {
      state.pulled++;
      const n = state.pulled;
      return {
        done: false,
        value: {
          oppId: `O-${n}`,
          name: n % 2 ? `Expansion ${n}` : null,
          customerId: `C-${n % 97}`,
          customerName: `Customer ${n} with a reasonably long name, Inc.`,
          churnRisk: "high",
          stage: "proposal",
          closeDate: "2026-12-01" as CalendarDate,
          amount: new Decimal(n).plus("0.25"),
          salesOwner: "rep.one",
          status: "at_risk",
          firstSeen: "2026-10-01" as CalendarDate,
          daysInStage: n % 40,
          pushCount: n % 3,
        },
      };
    },
    async return() {
      state.returned = true;
      return { done: true, value: undefined };
    },
  };
  return { iterator, state };
}

/** The CSV reads batches (as the repository's streamRowTexts gives them): 100 rows of the source each. */
function batchesOf(rows: AsyncIterator<PipelineRow>, size = 100): AsyncIterator<PipelineRowText[]> {
  return {
    async next() {
      const batch: PipelineRowText[] = [];
      while (batch.length < size) {
        const next = await rows.next();
        if (next.done) break;
        batch.push(toPipelineRowText(next.value));
      }
      return batch.length ? { done: false, value: batch } : { done: true, value: undefined };
    },
    async return() {
      await rows.return?.();
      return { done: true, value: undefined };
    },
  };
}

const summarySheet = { filters: [], figures: [] };
const streams = {
  csv: (rows: AsyncIterator<PipelineRow>, signal?: AbortSignal) =>
    csvExportStream(batchesOf(rows), DEFAULT_COLUMNS, { signal }),
  xlsx: (rows: AsyncIterator<PipelineRow>, signal?: AbortSignal) =>
    xlsxExportStream(rows, DEFAULT_COLUMNS, summarySheet, { signal }),
};

describe.each(Object.entries(streams))("%s export stream", (_format, makeStream) => {
  it("reads rows only as fast as the client takes bytes (backpressure), and stops when cancelled", async () => {
    const { iterator, state } = endlessRows();
    const reader = makeStream(iterator).getReader();
    let bytes = 0;
    while (bytes < 50_000) bytes += (await reader.read()).value!.byteLength;
    // The client stops reading: however long we wait, the source is not read further.
    await sleep(100);
    const pulledWhileIdle = state.pulled;
    await sleep(300);
    expect(state.pulled).toBe(pulledWhileIdle);
    // 50 kB is under 1,000 CSV rows or some 7,000 compressed XLSX rows; an export that ran ahead would read all it could.
    expect(pulledWhileIdle).toBeLessThan(20_000);
    await reader.cancel();
    expect(state.returned).toBe(true);
  });

  it("stops reading rows when the request is aborted", async () => {
    const { iterator, state } = endlessRows();
    const abort = new AbortController();
    const reader = makeStream(iterator, abort.signal).getReader();
    await reader.read();
    abort.abort();
    await sleep(20);
    expect(state.returned).toBe(true);
  });
});
