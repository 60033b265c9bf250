import { InvalidChurnRisk } from "./errors";

export const CHURN_RISKS = ["low", "medium", "high"] as const;
export type ChurnRisk = (typeof CHURN_RISKS)[number];

export interface Customer {
  customerId: string;
  name: string;
  churnRisk: ChurnRisk;
}

export function isChurnRisk(value: string): value is ChurnRisk {
  return (CHURN_RISKS as readonly string[]).includes(value);
}

export function parseChurnRisk(value: string): ChurnRisk {
  const normalized = value.trim().toLowerCase();
  if (!isChurnRisk(normalized)) throw new InvalidChurnRisk(value);
  return normalized;
}
