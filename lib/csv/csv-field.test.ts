import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "./csv-field";

describe("RFC 4180 CSV", () => {
  it("quotes fields with commas, quotes and line breaks, doubling quotes", () => {
    expect(csvField("Holdings, Inc.")).toBe('"Holdings, Inc."');
    expect(csvField('Say "hi"')).toBe('"Say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("plain")).toBe("plain");
    expect(csvRecord(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });

  it("any fields read back unchanged by a CSV parser", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: "grapheme" }), { minLength: 2, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (records) => {
          const width = records[0].length;
          const rows = records.map((record) =>
            record.slice(0, width).concat(Array(Math.max(0, width - record.length)).fill("")),
          );
          const text = rows.map(csvRecord).join("");
          expect(parse(text, { relax_column_count: false })).toEqual(rows);
        },
      ),
    );
  });
});
