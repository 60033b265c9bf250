import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./safe-return-path";

/** What a browser does with a `Location` header on this site: where it ends up. */
const landsOn = (location: string) => new URL(location, "https://pipeline.example");

describe("the return path after sign-in", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeReturnPath("/customers/C-1?asOf=2026-12-01")).toBe("/customers/C-1?asOf=2026-12-01");
    expect(safeReturnPath("/opportunities/O%2F1#status")).toBe("/opportunities/O%2F1#status");
    expect(safeReturnPath("/?owner=ana.silva&q=//not-a-host")).toBe("/?owner=ana.silva&q=//not-a-host");
    expect(safeReturnPath(["/admin", "//evil.test"])).toBe("/admin");
  });

  // As the page receives them: `?next=` already percent-decoded by the URL parser.
  const leavingTheSite = {
    "protocol-relative": "//evil.test",
    "backslash host": "/\\evil.test",
    "tab then slash (?next=/%09/evil.test)": "/\t/evil.test",
    "tab then backslash (?next=/%09%5Cevil.test)": "/\t\\evil.test",
    "newline then slash": "/\n/evil.test",
    "carriage return then slash": "/\r/evil.test",
    "NUL then slash": "/\u0000/evil.test",
    "dot segment then slash": "/.//evil.test",
    "dot-dot segments then slash": "/a/../..//evil.test",
    "encoded dot-dot then slash (?next=/%252e%252e//evil.test)": "/%2e%2e//evil.test",
    "absolute https": "https://evil.test/",
    "absolute with odd case": "HtTpS://evil.test",
    "scheme-less host": "evil.test",
    "javascript:": "javascript:alert(document.domain)",
    "data:": "data:text/html,<script>alert(1)</script>",
    "leading space": " //evil.test",
  };
  for (const [name, value] of Object.entries(leavingTheSite)) {
    it(`sends ${name} to the pipeline instead`, () => {
      expect(safeReturnPath(value)).toBe("/");
    });
  }

  it("never gives a Location that a browser resolves to another site, nor one with a control character", () => {
    for (const value of [
      ...Object.values(leavingTheSite),
      "/%09/evil.test",
      "/%5Cevil.test",
      "/%2F%2Fevil.test",
      "/\u3000/evil.test",
    ]) {
      const location = safeReturnPath(value);
      expect(landsOn(location).origin, value).toBe("https://pipeline.example");
      expect(location, value).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
  });

  it("falls back to the pipeline for nothing, a bare newline (?next=/%0A) and anything not a path", () => {
    for (const value of ["", undefined, [], "/\n", "/%0A\n", "customers/C-1", "?next=/admin"])
      expect(safeReturnPath(value)).toBe("/");
  });

  it("keeps encoded text as the link had it, so the page it names is the page reached", () => {
    expect(safeReturnPath("/customers/%2F%2Fevil.test")).toBe("/customers/%2F%2Fevil.test");
    expect(safeReturnPath("/customers/Caf\u00e9")).toBe("/customers/Caf%C3%A9");
  });
});
