import { existsSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ImportFiles, ImportOptions } from "./import-crm-files";

export const IMPORT_USAGE = `Usage: npm run import -- [--customers <file.csv>] [--opportunities <file.csv>] [--teams <file.csv>] [--quotas <file.csv>] [--dry-run] [--skip-invalid]

Imports CRM data into DATABASE_URL's database (PGlite in ./data/pglite when unset).
Headers: customers customer_id,name,churn_risk; opportunities opp_id,customer_id,stage,close_date,amount,sales_owner;
teams sales_owner,manager; quotas sales_owner,period,amount (period YYYY-MM or YYYY-Qn). Give at least one file.
All-or-nothing unless --skip-invalid, which imports the valid rows and writes the others to <file>.rejects.csv
(quotas are always all-or-nothing, imported after the other files). --dry-run validates and reports without writing.
Exit codes: 0 imported, 1 invalid data (nothing written), 2 usage error.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parseImportArgs(args: string[]): { files: ImportFiles; quotas?: string; options: ImportOptions; help: boolean } {
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
  return { files, quotas, options: { dryRun: values["dry-run"] ?? false, skipInvalid: values["skip-invalid"] ?? false }, help: false };
}
