import { describe, expect, it } from "vitest";
import { exportHref } from "./export-href";

describe("exportHref", () => {
  it("keeps the view's filters, sort and columns, and drops paging", () => {
    const href = exportHref(
      "?owner=a&owner=b&risk=at-risk&sort=amount.asc&columns=oppId,amount&page=4&pageSize=100",
      "xlsx",
    );
    const url = new URL(href, "http://localhost");
    expect(url.pathname).toBe("/api/export");
    expect(url.searchParams.getAll("owner")).toEqual(["a", "b"]);
    expect(Object.fromEntries([...url.searchParams].filter(([name]) => name !== "owner"))).toEqual({
      risk: "at-risk",
      sort: "amount.asc",
      columns: "oppId,amount",
      format: "xlsx",
    });
  });

  it("asks for a BOM on CSV, for Excel, and works without a leading question mark", () => {
    expect(exportHref("q=caf%C3%A9", "csv")).toBe("/api/export?q=caf%C3%A9&format=csv&bom=1");
    expect(exportHref("", "csv")).toBe("/api/export?format=csv&bom=1");
  });
});
