import { MAX_ID_LENGTH } from "../gtm/limits";
import {
  amount,
  calendarDate,
  churnRisk,
  type FieldRule,
  forecastCategory,
  probability,
  stage,
  text,
} from "./field-rules";

export type CrmEntity = "customers" | "opportunities" | "teams";

/** Import order: customers before the opportunities that reference them. */
export const CRM_ENTITIES: readonly CrmEntity[] = ["customers", "opportunities", "teams"];

export interface ImportColumn {
  /** Header name in the CSV and column name in the table. */
  name: string;
  rule: FieldRule;
  /** SQL cast from the staged text to the column's type. */
  cast: string;
  /**
   * A column a file may leave out: then every row keeps its stored value (a new row takes the
   * column's default). A file that has it may leave a cell empty, which stores NULL.
   */
  optional?: boolean;
  /**
   * Optional, and never NULL: a new row whose file leaves it out or empty takes the import's
   * effective date (the calendar date it takes effect), an existing one keeps its own.
   */
  defaultsToEffectiveDate?: boolean;
}

export interface EntitySpec {
  entity: CrmEntity;
  table: string;
  /** The first column is the primary key. */
  columns: ImportColumn[];
}

export const ENTITY_SPECS: Readonly<Record<CrmEntity, EntitySpec>> = {
  customers: {
    entity: "customers",
    table: "customers",
    columns: [
      { name: "customer_id", rule: text(MAX_ID_LENGTH), cast: "" },
      { name: "name", rule: text(500), cast: "" },
      { name: "churn_risk", rule: churnRisk, cast: "::churn_risk" },
    ],
  },
  opportunities: {
    entity: "opportunities",
    table: "opportunities",
    columns: [
      { name: "opp_id", rule: text(MAX_ID_LENGTH), cast: "" },
      { name: "customer_id", rule: text(MAX_ID_LENGTH), cast: "" },
      { name: "stage", rule: stage, cast: "::sales_stage" },
      { name: "close_date", rule: calendarDate, cast: "::date" },
      { name: "amount", rule: amount, cast: "::numeric(18,2)" },
      { name: "sales_owner", rule: text(MAX_ID_LENGTH), cast: "" },
      { name: "name", rule: text(500), cast: "", optional: true },
      { name: "created_date", rule: calendarDate, cast: "::date", optional: true, defaultsToEffectiveDate: true },
      { name: "forecast_category", rule: forecastCategory, cast: "::forecast_category", optional: true },
      { name: "probability", rule: probability, cast: "::int", optional: true },
    ],
  },
  teams: {
    entity: "teams",
    table: "sales_teams",
    columns: [
      { name: "sales_owner", rule: text(MAX_ID_LENGTH), cast: "" },
      { name: "manager", rule: text(MAX_ID_LENGTH), cast: "" },
      { name: "owner_name", rule: text(200), cast: "", optional: true },
      { name: "manager_name", rule: text(200), cast: "", optional: true },
    ],
  },
};

export const requiredColumns = (spec: EntitySpec) => spec.columns.filter((column) => !column.optional);

/** The temporary table an entity's rows are staged in, with their line number and whether they are valid. */
export const stagingTable = (entity: CrmEntity) => `import_stage_${entity}`;
