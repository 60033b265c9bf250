import { expect, it } from "vitest";
import { decodeRouteParam, hasMalformedEscape } from "./decode-route-param";

const malformed = ["%zz", "%C0%AF", "%", "abc%E2%82", "%ED%A0%80"];

it("decodes a route segment, and says null for escapes no link of ours can produce", () => {
  expect(decodeRouteParam("C-0001")).toBe("C-0001");
  expect(decodeRouteParam(encodeURIComponent("Café & Co/1"))).toBe("Café & Co/1");
  for (const bad of malformed) expect(decodeRouteParam(bad), bad).toBeNull();
});

it("tells a path with a malformed escape from one with well-formed ones", () => {
  for (const bad of malformed) expect(hasMalformedEscape(`/customers/${bad}`), bad).toBe(true);
  expect(hasMalformedEscape(`/customers/${encodeURIComponent("100% Café")}`)).toBe(false);
});
