import type { CrmEntity } from "./crm-entities";

export interface ImportProblem {
  file: string;
  line: number;
  column?: string;
  /** Names file, line, column, value and reason, ready to print. */
  message: string;
}

export interface EntityReport {
  file: string;
  /** Data rows read (header and empty lines not counted). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejectsFile?: string;
}

export interface ImportReport {
  /** `rejected`: nothing was written because of the problems listed. */
  outcome: "imported" | "dry-run" | "rejected";
  entities: Partial<Record<CrmEntity, EntityReport>>;
  problems: ImportProblem[];
  problemCount: number;
  /** A problem with a file itself (header, broken quoting): --skip-invalid cannot help. */
  fileProblem: boolean;
  warnings: string[];
}
