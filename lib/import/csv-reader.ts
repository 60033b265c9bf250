import { createReadStream } from "node:fs";

/** One CSV record with the line it starts on (1-based; a quoted field may span several lines). */
export interface CsvRecord {
  fields: string[];
  line: number;
  /** Set when the record is readable but not well-formed (a stray quote inside an unquoted field). */
  malformed?: string;
}

/** The file cannot be read past this point: quoting is broken, so later rows cannot be trusted. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "CsvSyntaxError";
  }
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const INCOMPLETE = null;

/**
 * A streaming RFC 4180 reader: push text as it arrives, take the complete records.
 * Written here rather than using csv-parse because csv-parse's line count is off for
 * CRLF inside quoted fields (it counts two lines) and it reports where a record ends,
 * while a person fixing a file needs where it starts; it is also several times faster
 * with line tracking (BENCHMARKS.md, "Measurements behind the code"). Line breaks are CRLF, LF or a lone CR.
 */
/** No real CRM record comes near this; past it the file is not a CSV, or a quote is never closed. */
export const MAX_RECORD_CHARS = 8 << 20;

export class CsvReader {
  private buffer = "";
  private line = 1;
  private started = false;
  private ended = false;
  /**
   * The buffer holds the start of a record that was incomplete when this long / 2; scanning
   * it again before it has doubled would rescan it once per chunk (quadratic in a huge field).
   */
  private scanAgainAt = 0;

  /** Bounds memory and time (an incomplete record is rescanned per chunk) on a hostile file with one huge field. */
  constructor(private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  push(text: string): CsvRecord[] {
    if (!this.started) {
      if (text.length === 0) return [];
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    if (this.buffer.length < this.scanAgainAt) return [];
    const records = this.drain(false);
    this.scanAgainAt = this.buffer.length > 0 ? Math.min(this.buffer.length * 2, this.maxRecordChars) : 0;
    if (this.buffer.length > this.maxRecordChars) {
      throw new CsvSyntaxError(
        this.line,
        `a record longer than ${Math.round(this.maxRecordChars / (1 << 20))} M characters starts on this line (a quote that is never closed, or not a CSV file)`,
      );
    }
    return records;
  }

  end(): CsvRecord[] {
    if (this.ended) return [];
    this.ended = true;
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    const s = this.buffer;
    const records: CsvRecord[] = [];
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === LF || c === CR) {
        // An empty line: skipped, but counted.
        if (c === CR && i + 1 >= s.length && !final) break;
        i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        this.line++;
        continue;
      }
      const parsed = this.record(s, i, final);
      if (parsed === INCOMPLETE) break;
      records.push(parsed.record);
      this.line += parsed.lineBreaks;
      i = parsed.next;
    }
    this.buffer = i === 0 ? s : s.slice(i);
    return records;
  }

  private record(
    s: string,
    start: number,
    final: boolean,
  ): { record: CsvRecord; next: number; lineBreaks: number } | null {
    const fields: string[] = [];
    let lineBreaks = 0;
    let malformed: string | undefined;
    let i = start;
    for (;;) {
      if (i < s.length && s.charCodeAt(i) === QUOTE) {
        let value = "";
        let from = i + 1;
        for (;;) {
          const quote = s.indexOf('"', from);
          if (quote === -1) {
            if (!final) return INCOMPLETE;
            throw new CsvSyntaxError(
              this.line,
              'a quoted field starts on this line and is never closed (a missing closing ")',
            );
          }
          value += s.slice(from, quote);
          if (quote + 1 >= s.length && !final) return INCOMPLETE;
          if (s.charCodeAt(quote + 1) === QUOTE) {
            value += '"';
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        lineBreaks += countLineBreaks(value);
        fields.push(value);
      } else {
        let j = i;
        for (; j < s.length; j++) {
          const c = s.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE && malformed === undefined) {
            malformed = `a double quote inside an unquoted value in field ${fields.length + 1}; put the whole value in double quotes and double the quote inside ("")`;
          }
        }
        if (j >= s.length && !final) return INCOMPLETE;
        fields.push(s.slice(i, j));
        i = j;
      }
      if (i >= s.length) return { record: { fields, line: this.line, malformed }, next: i, lineBreaks };
      const c = s.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === LF) return { record: { fields, line: this.line, malformed }, next: i + 1, lineBreaks: lineBreaks + 1 };
      if (c === CR) {
        if (i + 1 >= s.length && !final) return INCOMPLETE;
        const next = s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
        return { record: { fields, line: this.line, malformed }, next, lineBreaks: lineBreaks + 1 };
      }
      throw new CsvSyntaxError(
        this.line + lineBreaks,
        `unexpected ${JSON.stringify(s[i])} after a closing quote in field ${fields.length}; inside a quoted value write a double quote as ""`,
      );
    }
  }
}

function countLineBreaks(text: string): number {
  if (text.indexOf("\n") === -1 && text.indexOf("\r") === -1) return 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}

/**
 * Streams a UTF-8 file (with or without BOM) as batches of records; memory stays at
 * one read chunk plus one batch. Bytes that are not UTF-8 become U+FFFD, which the
 * validators reject with a hint.
 *
 * Small chunks are faster: the records of a large chunk all live until the caller has
 * handled them, so V8's young generation copies them over and over (BENCHMARKS.md,
 * "Measurements behind the code").
 */
export async function* readCsvFile(path: string, chunkSize = 64 << 10): AsyncGenerator<CsvRecord[]> {
  const reader = new CsvReader();
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  for await (const chunk of createReadStream(path, { highWaterMark: chunkSize })) {
    const records = reader.push(decoder.decode(chunk as Buffer, { stream: true }));
    if (records.length > 0) yield records;
  }
  const tail = reader.push(decoder.decode());
  const last = reader.end();
  if (tail.length + last.length > 0) yield [...tail, ...last];
}
