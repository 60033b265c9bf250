import { amount, churnRisk, closeDate, type FieldRule, stage, text } from "./field-rules";

export type CrmEntity = "customers" | "opportunities" | "teams";

export interface ImportColumn {
  /** Header name in the CSV and column name in the table. */
  name: string;
  rule: FieldRule;
  /** SQL cast from the staged text to the column's type. */
  cast: string;
}

export interface EntitySpec {
  entity: CrmEntity;
  table: string;
  /** The first column is the primary key. */
  columns: ImportColumn[];
}

const ID_LENGTH = 64;

/** Import order: customers before the opportunities that reference them. */
export const ENTITY_SPECS: readonly EntitySpec[] = [
  {
    entity: "customers",
    table: "customers",
    columns: [
      { name: "customer_id", rule: text(ID_LENGTH), cast: "" },
      { name: "name", rule: text(500), cast: "" },
      { name: "churn_risk", rule: churnRisk, cast: "::churn_risk" },
    ],
  },
  {
    entity: "opportunities",
    table: "opportunities",
    columns: [
      { name: "opp_id", rule: text(ID_LENGTH), cast: "" },
      { name: "customer_id", rule: text(ID_LENGTH), cast: "" },
      { name: "stage", rule: stage, cast: "::sales_stage" },
      { name: "close_date", rule: closeDate, cast: "::date" },
      { name: "amount", rule: amount, cast: "::numeric(18,2)" },
      { name: "sales_owner", rule: text(ID_LENGTH), cast: "" },
    ],
  },
  {
    entity: "teams",
    table: "sales_teams",
    columns: [
      { name: "sales_owner", rule: text(ID_LENGTH), cast: "" },
      { name: "manager", rule: text(ID_LENGTH), cast: "" },
    ],
  },
];

export function specOf(entity: CrmEntity): EntitySpec {
  return ENTITY_SPECS.find((spec) => spec.entity === entity)!;
}
