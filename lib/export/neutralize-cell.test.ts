import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { neutralizeCell } from "./neutralize-cell";

describe("neutralizeCell", () => {
  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", '=HYPERLINK("http://evil")'])(
    "prefixes a single quote to %j",
    (text) => {
      expect(neutralizeCell(text)).toBe(`'${text}`);
    },
  );

  it.each(["Acme", "", "1+1", "a=b", "'quoted", " =x"])("leaves %j as it is", (text) => {
    expect(neutralizeCell(text)).toBe(text);
  });

  it("never returns a cell a spreadsheet would evaluate, and keeps the text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = neutralizeCell(text);
        expect(/^[=+\-@\t\r\n]/.test(out)).toBe(false);
        expect(out.endsWith(text)).toBe(true);
      }),
    );
  });
});
