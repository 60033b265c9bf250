import { describe, expect, it } from "vitest";
import type { CalendarDate } from "../gtm/calendar-date";
import { parseImportArgs, UsageError } from "./parse-import-args";

const today = "2026-11-24" as CalendarDate;

describe("import command line", () => {
  it("takes either file alone or both, with the flags", () => {
    expect(parseImportArgs(["--customers", "examples/customers.csv", "--dry-run"], today)).toEqual({
      files: { customers: "examples/customers.csv", opportunities: undefined, teams: undefined },
      options: { dryRun: true, skipInvalid: false },
      help: false,
    });
    expect(parseImportArgs(["--opportunities", "examples/opportunities.csv", "--skip-invalid"], today).options).toEqual(
      { dryRun: false, skipInvalid: true },
    );
    expect(parseImportArgs(["--quotas", "examples/quotas.csv"], today)).toMatchObject({
      files: {},
      quotas: "examples/quotas.csv",
    });
  });

  it("takes an effective date up to today, and a snapshot of the opportunities", () => {
    expect(
      parseImportArgs(
        ["--opportunities", "examples/opportunities.csv", "--effective-date", "2026-11-03", "--snapshot"],
        today,
      ).options,
    ).toEqual({
      dryRun: false,
      skipInvalid: false,
      snapshot: true,
      effectiveDate: "2026-11-03",
    });
    expect(
      parseImportArgs(["--customers", "examples/customers.csv", "--effective-date=2026-11-24"], today).options
        .effectiveDate,
    ).toBe("2026-11-24");
  });

  it("refuses unknown options, no file and missing files as usage errors", () => {
    expect(() => parseImportArgs(["--customer", "x.csv"], today)).toThrow(UsageError);
    expect(() => parseImportArgs(["--dry-run"], today)).toThrow(
      "give at least one of --customers, --opportunities, --teams, --quotas",
    );
    expect(() => parseImportArgs(["--teams", "no/such.csv"], today)).toThrow("--teams: no such file: no/such.csv");
    expect(() => parseImportArgs(["examples/customers.csv"], today)).toThrow(UsageError);
  });

  it("refuses bad effective dates, a date in the future and a snapshot without opportunities as usage errors", () => {
    const opportunities = ["--opportunities", "examples/opportunities.csv"];
    for (const bad of ["2026-02-30", "03/11/2026", "2026-11-3", "yesterday", ""]) {
      expect(() => parseImportArgs([...opportunities, "--effective-date", bad], today)).toThrow(
        new UsageError(`--effective-date: "${bad}" is not a calendar date in YYYY-MM-DD form, like 2026-11-24`),
      );
    }
    expect(() => parseImportArgs([...opportunities, "--effective-date", "2026-11-25"], today)).toThrow(
      "--effective-date: 2026-11-25 is in the future (today is 2026-11-24 in GTM_TIMEZONE); files can only show the CRM as it stood",
    );
    expect(() => parseImportArgs([...opportunities, "--effective-date"], today)).toThrow(UsageError);
    expect(() => parseImportArgs(["--customers", "examples/customers.csv", "--snapshot"], today)).toThrow(
      "--snapshot needs --opportunities: the opportunities file is the whole pipeline, and those missing from it are removed",
    );
  });
});
