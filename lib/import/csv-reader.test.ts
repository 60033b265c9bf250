import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CsvReader, type CsvRecord, CsvSyntaxError, readCsvFile } from "./csv-reader";

function readAll(text: string, chunk = text.length || 1): CsvRecord[] {
  const reader = new CsvReader();
  const records: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) records.push(...reader.push(text.slice(i, i + chunk)));
  records.push(...reader.end());
  return records;
}

const shape = (records: CsvRecord[]) => records.map((r) => [r.line, ...r.fields]);

describe("CsvReader", () => {
  it("reads LF and CRLF files alike, skips empty lines and a BOM", () => {
    const lf = "\uFEFFa,b\n1,2\n\n3,4\n";
    const crlf = lf.replace(/\n/g, "\r\n");
    const expected = [
      [1, "a", "b"],
      [2, "1", "2"],
      [4, "3", "4"],
    ];
    expect(shape(readAll(lf))).toEqual(expected);
    expect(shape(readAll(crlf))).toEqual(expected);
    expect(shape(readAll("a,b\r1,2"))).toEqual([
      [1, "a", "b"],
      [2, "1", "2"],
    ]);
  });

  it("numbers a record by the line it starts on, with CRLF or LF inside quoted fields", () => {
    const text = 'id,note\r\n1,"two\r\nlines"\r\n2,"three\n\nlines"\r\n3,"say ""hi"", ok"\r\n4,last';
    expect(shape(readAll(text))).toEqual([
      [1, "id", "note"],
      [2, "1", "two\r\nlines"],
      [4, "2", "three\n\nlines"],
      [7, "3", 'say "hi", ok'],
      [8, "4", "last"],
    ]);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const text = 'a,b\r\n"x,""y""\r\nz",2\r\n\r\n3,"4"\r\n';
    const whole = readAll(text);
    for (const chunk of [1, 2, 3, 5, 7]) expect(readAll(text, chunk)).toEqual(whole);
  });

  it("reports an unclosed quote at the line where the quoted field starts", () => {
    expect(() => readAll('a,b\n1,2\n3,"open\n4,5\n6,7\n')).toThrow(
      new CsvSyntaxError(3, 'a quoted field starts on this line and is never closed (a missing closing ")'),
    );
  });

  it("reports text after a closing quote as a syntax error with its line", () => {
    expect(() => readAll('a,b\n1,"x"y\n')).toThrow(/line 2: unexpected "y" after a closing quote in field 2/);
  });

  it("marks a stray quote inside an unquoted value as malformed and reads on", () => {
    const [, record, next] = readAll('a,b\n1,12" pipe\n2,3\n');
    expect(record.fields).toEqual(["1", '12" pipe']);
    expect(record.malformed).toMatch(/double quote inside an unquoted value in field 2/);
    expect(next).toEqual({ fields: ["2", "3"], line: 3, malformed: undefined });
  });

  it("agrees with csv-parse on generated RFC 4180 files", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r\n", "é") });
    const rows = fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 9 }), (table, chunk) => {
        const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
        const text = table.map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
        const expected = parse(text, { relax_column_count: true }) as string[][];
        expect(readAll(text, chunk).map((r) => r.fields)).toEqual(expected);
      }),
    );
  });

  it("reads a record up to the size limit whatever the chunks, and refuses a longer one on the line it starts", () => {
    const feed = (reader: CsvReader, text: string, chunk: number) => {
      const records: CsvRecord[] = [];
      for (let i = 0; i < text.length; i += chunk) records.push(...reader.push(text.slice(i, i + chunk)));
      return [...records, ...reader.end()];
    };
    const near = `a,b\n1,${"x".repeat(95)}\n2,"${"y".repeat(90)}"\n3,z\n`;
    for (const chunk of [1, 7, 64]) {
      expect(feed(new CsvReader(100), near, chunk).map((r) => [r.line, r.fields[1].length])).toEqual([
        [1, 1],
        [2, 95],
        [3, 90],
        [4, 1],
      ]);
    }
    expect(() => feed(new CsvReader(100), `a,b\n1,b\n2,${"x".repeat(200)}\n`, 7)).toThrow(
      /line 3: a record longer than/,
    );
    // A 4 M character record in 1 KiB chunks (rescanning it on every push would run past the test's timeout).
    const big = `a,${"x".repeat(4 << 20)}\nb,c\n`;
    expect(feed(new CsvReader(), big, 1 << 10).map((r) => r.fields[0])).toEqual(["a", "b"]);
  });

  it("streams a file in chunks, decoding UTF-8 split across chunk boundaries", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "csv-reader-"));
    const file = path.join(dir, "f.csv");
    writeFileSync(file, '\uFEFFname\nZoë Ærø\n"Ünïcødé\nline"\n');
    const records: CsvRecord[] = [];
    for await (const batch of readCsvFile(file, 3)) records.push(...batch);
    expect(shape(records)).toEqual([
      [1, "name"],
      [2, "Zoë Ærø"],
      [3, "Ünïcødé\nline"],
    ]);
  });
});
