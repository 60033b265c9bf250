import { existsSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CalendarDate, isCalendarDate } from "../gtm/calendar-date";
import { today as currentDate } from "../today";
import type { ImportFiles, ImportOptions } from "./import-crm-files";

export const IMPORT_USAGE = `Usage: npm run import -- [--customers <file.csv>] [--opportunities <file.csv>] [--teams <file.csv>] [--quotas <file.csv>]
                         [--effective-date YYYY-MM-DD] [--snapshot] [--dry-run] [--skip-invalid]

Imports CRM data into DATABASE_URL's database (PGlite in ./data/pglite when unset).
Headers: customers customer_id,name,churn_risk; opportunities opp_id,customer_id,stage,close_date,amount,sales_owner
(optional: name, created_date, forecast_category, probability); teams sales_owner,manager (optional: owner_name,
manager_name); quotas sales_owner,period,amount (period YYYY-MM or YYYY-Qn). Give at least one file.
All-or-nothing unless --skip-invalid, which imports the valid rows and writes the others to <file>.rejects.csv
(quotas are always all-or-nothing, imported after the other files). --dry-run validates and reports without writing.
--effective-date: the files are the CRM as it stood on that day (the changes take effect at its start in
GTM_TIMEZONE); without it, now. Import dated exports oldest first: an import dated before a later recorded change
of a record it touches is refused. --snapshot: the opportunities file is the whole pipeline; opportunities missing
from it are recorded as removed.
Exit codes: 0 imported, 1 invalid data or refused (nothing written), 2 usage error.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** `today`: the current date in GTM_TIMEZONE, which an --effective-date may not be after. */
export function parseImportArgs(
  args: string[],
  today: CalendarDate = currentDate(),
): { files: ImportFiles; quotas?: string; options: ImportOptions; help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        customers: { type: "string" },
        opportunities: { type: "string" },
        teams: { type: "string" },
        quotas: { type: "string" },
        "effective-date": { type: "string" },
        snapshot: { type: "boolean" },
        "dry-run": { type: "boolean" },
        "skip-invalid": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const files: ImportFiles = { customers: values.customers, opportunities: values.opportunities, teams: values.teams };
  const quotas = values.quotas;
  if (values.help) return { files, quotas, options: {}, help: true };
  const given = Object.entries({ ...files, quotas }).filter(([, file]) => file !== undefined);
  if (given.length === 0) throw new UsageError("give at least one of --customers, --opportunities, --teams, --quotas");
  for (const [entity, file] of given) {
    if (!existsSync(file!) || !statSync(file!).isFile()) throw new UsageError(`--${entity}: no such file: ${file}`);
  }
  if (values.snapshot && files.opportunities === undefined) {
    throw new UsageError(
      "--snapshot needs --opportunities: the opportunities file is the whole pipeline, and those missing from it are removed",
    );
  }
  const options: ImportOptions = { dryRun: values["dry-run"] ?? false, skipInvalid: values["skip-invalid"] ?? false };
  if (values.snapshot) options.snapshot = true;
  if (values["effective-date"] !== undefined) options.effectiveDate = effectiveDate(values["effective-date"], today);
  return { files, quotas, options, help: false };
}

function effectiveDate(value: string, today: CalendarDate): CalendarDate {
  if (!isCalendarDate(value))
    throw new UsageError(`--effective-date: "${value}" is not a calendar date in YYYY-MM-DD form, like ${today}`);
  if (value > today)
    throw new UsageError(
      `--effective-date: ${value} is in the future (today is ${today} in GTM_TIMEZONE); files can only show the CRM as it stood`,
    );
  return value;
}
