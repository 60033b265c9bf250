import type { ParamIssue } from "./pipeline-query";

/**
 * The columns of a pipeline view, in default order. The `columns` URL parameter
 * (comma-separated ids, in display order) picks and orders them; the table and
 * the export read the same value, so a file has the columns seen on screen.
 */
export const PIPELINE_COLUMNS = [
  { id: "oppId", label: "Opportunity" },
  { id: "name", label: "Deal name" },
  { id: "customerName", label: "Customer" },
  { id: "customerId", label: "Customer ID" },
  { id: "churnRisk", label: "Churn risk" },
  { id: "stage", label: "Stage" },
  { id: "closeDate", label: "Close date" },
  { id: "amount", label: "Amount (USD)" },
  { id: "salesOwner", label: "Sales owner" },
  { id: "status", label: "Status" },
  { id: "firstSeen", label: "First seen" },
  { id: "daysInStage", label: "Days in stage" },
  { id: "pushCount", label: "Times pushed" },
] as const;

export type PipelineColumnId = (typeof PIPELINE_COLUMNS)[number]["id"];

/** Shown when the URL names no columns; the customer id and the deal's age are there for exports and on demand. */
export const DEFAULT_COLUMNS: PipelineColumnId[] = [
  "oppId",
  "name",
  "customerName",
  "churnRisk",
  "stage",
  "closeDate",
  "amount",
  "salesOwner",
  "status",
];

const COLUMN_IDS = new Set<string>(PIPELINE_COLUMNS.map((column) => column.id));

export function columnLabel(id: PipelineColumnId): string {
  return PIPELINE_COLUMNS.find((column) => column.id === id)!.label;
}

/** Visible columns from `columns=a,b,c`; unknown ids are reported and skipped, an empty result falls back to the default. */
export function parseColumns(params: URLSearchParams): { columns: PipelineColumnId[]; issues: ParamIssue[] } {
  const raw = params.getAll("columns").join(",").trim();
  if (raw === "") return { columns: DEFAULT_COLUMNS, issues: [] };
  const columns: PipelineColumnId[] = [];
  const unknown: string[] = [];
  for (const id of raw
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (!COLUMN_IDS.has(id)) unknown.push(id);
    else if (!columns.includes(id as PipelineColumnId)) columns.push(id as PipelineColumnId);
  }
  const issues: ParamIssue[] = unknown.length
    ? [
        {
          param: "columns",
          message: `unknown column ${unknown.map((id) => `"${id.slice(0, 40)}"`).join(", ")} (expected ids among ${[...COLUMN_IDS].join(", ")})`,
        },
      ]
    : [];
  return { columns: columns.length > 0 ? columns : DEFAULT_COLUMNS, issues };
}
