import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, parseColumns } from "./pipeline-columns";

describe("pipeline columns from the URL", () => {
  it("defaults to the standard columns", () => {
    expect(parseColumns(new URLSearchParams(""))).toEqual({ columns: DEFAULT_COLUMNS, issues: [] });
  });

  it("keeps the order given, without repeats", () => {
    expect(parseColumns(new URLSearchParams("columns=amount,oppId,amount,customerId")).columns).toEqual([
      "amount",
      "oppId",
      "customerId",
    ]);
  });

  it("reports unknown ids and falls back to the default when nothing valid is left", () => {
    const { columns, issues } = parseColumns(new URLSearchParams("columns=password,secret"));
    expect(columns).toEqual(DEFAULT_COLUMNS);
    expect(issues).toEqual([
      { param: "columns", message: expect.stringMatching(/unknown column "password", "secret"/) },
    ]);
  });
});
