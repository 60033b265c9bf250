import { describe, expect, it } from "vitest";
import { parseImportArgs, UsageError } from "./parse-import-args";

describe("import command line", () => {
  it("takes either file alone or both, with the flags", () => {
    expect(parseImportArgs(["--customers", "examples/customers.csv", "--dry-run"])).toEqual({
      files: { customers: "examples/customers.csv", opportunities: undefined, teams: undefined },
      options: { dryRun: true, skipInvalid: false },
      help: false,
    });
    expect(parseImportArgs(["--opportunities", "examples/opportunities.csv", "--skip-invalid"]).options).toEqual({ dryRun: false, skipInvalid: true });
    expect(parseImportArgs(["--quotas", "examples/quotas.csv"])).toMatchObject({ files: {}, quotas: "examples/quotas.csv" });
  });

  it("refuses unknown options, no file and missing files as usage errors", () => {
    expect(() => parseImportArgs(["--customer", "x.csv"])).toThrow(UsageError);
    expect(() => parseImportArgs(["--dry-run"])).toThrow("give at least one of --customers, --opportunities, --teams, --quotas");
    expect(() => parseImportArgs(["--teams", "no/such.csv"])).toThrow("--teams: no such file: no/such.csv");
    expect(() => parseImportArgs(["examples/customers.csv"])).toThrow(UsageError);
  });
});
