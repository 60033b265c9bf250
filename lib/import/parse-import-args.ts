import { existsSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ImportFiles, ImportOptions } from "./import-crm-files";

export const IMPORT_USAGE = `Usage: npm run import -- [--customers <file.csv>] [--opportunities <file.csv>] [--teams <file.csv>] [--dry-run] [--skip-invalid]

Imports CRM data into DATABASE_URL's database (PGlite in ./data/pglite when unset).
Headers: customers customer_id,name,churn_risk; opportunities opp_id,customer_id,stage,close_date,amount,sales_owner;
teams sales_owner,manager. Give at least one file. All-or-nothing unless --skip-invalid, which imports the valid rows
and writes the others to <file>.rejects.csv. --dry-run validates and reports without writing.
Exit codes: 0 imported, 1 invalid data (nothing written), 2 usage error.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseImportArgs(args: string[]): { files: ImportFiles; options: ImportOptions; help: boolean } {
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
        "dry-run": { type: "boolean" },
        "skip-invalid": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const files: ImportFiles = { customers: values.customers, opportunities: values.opportunities, teams: values.teams };
  if (values.help) return { files, options: {}, help: true };
  const given = Object.entries(files).filter(([, file]) => file !== undefined);
  if (given.length === 0) throw new UsageError("give at least one of --customers, --opportunities, --teams");
  for (const [entity, file] of given) {
    if (!existsSync(file!) || !statSync(file!).isFile()) throw new UsageError(`--${entity}: no such file: ${file}`);
  }
  return { files, options: { dryRun: values["dry-run"] ?? false, skipInvalid: values["skip-invalid"] ?? false }, help: false };
}
