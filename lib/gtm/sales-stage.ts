import { InvalidSalesStage } from "./errors";

export const SALES_STAGES = ["prospecting", "qualification", "proposal", "closed_won", "closed_lost"] as const;
export type SalesStage = (typeof SALES_STAGES)[number];

export const CLOSED_STAGES: readonly SalesStage[] = ["closed_won", "closed_lost"];
export const OPEN_STAGES: readonly SalesStage[] = SALES_STAGES.filter((stage) => !CLOSED_STAGES.includes(stage));

export function isOpen(stage: SalesStage): boolean {
  return !CLOSED_STAGES.includes(stage);
}

export function isSalesStage(value: string): value is SalesStage {
  return (SALES_STAGES as readonly string[]).includes(value);
}

/** Accepts any letter case ("Closed_Won"), as CRM exports vary. */
export function parseSalesStage(value: string): SalesStage {
  const normalized = value.trim().toLowerCase();
  if (!isSalesStage(normalized)) throw new InvalidSalesStage(value);
  return normalized;
}
