import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { csvRecord } from "../csv/csv-field";
import { readCsvFile } from "./csv-reader";

export type RejectPage = (afterLine: number, limit: number) => Promise<{ line: number; reason: string }[]>;

const PAGE = 10_000;

/**
 * Copies the rejected records of `source` (every field as it was, extra columns
 * included) to `target` with a trailing `reason` column, so a person can fix the rows
 * and import the rejects file itself. Reasons arrive in pages ordered by line and are
 * merged with a second streaming read of the source: memory stays bounded.
 */
export async function writeRejects(source: string, target: string, page: RejectPage): Promise<number> {
  const out = createWriteStream(target, { encoding: "utf8" });
  const write = async (fields: string[]) => {
    if (!out.write(csvRecord(fields))) await once(out, "drain");
  };
  let reasons = await page(0, PAGE);
  let next = 0;
  let header = true;
  let written = 0;
  try {
    read: for await (const records of readCsvFile(source)) {
      for (const record of records) {
        if (header) {
          await write([...record.fields, "reason"]);
          header = false;
          continue;
        }
        if (next >= reasons.length) {
          if (reasons.length < PAGE) break read;
          reasons = await page(reasons[reasons.length - 1].line, PAGE);
          next = 0;
          if (reasons.length === 0) break read;
        }
        if (record.line !== reasons[next].line) continue;
        await write([...record.fields, reasons[next].reason]);
        next++;
        written++;
      }
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  return written;
}
