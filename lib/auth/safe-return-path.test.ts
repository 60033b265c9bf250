import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./safe-return-path";

describe("the return path after sign-in", () => {
  it("keeps paths on this site and refuses anything that leaves it", () => {
    expect(safeReturnPath("/customers/C-1?asOf=2026-12-01")).toBe("/customers/C-1?asOf=2026-12-01");
    for (const bad of ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", undefined]) {
      expect(safeReturnPath(bad)).toBe("/");
    }
  });
});
