import type { CrmEntity } from "./crm-entities";
import type { EffectiveTime } from "./effective-time";

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
  /** Deleted by a snapshot import because the file no longer had them. */
  removed: number;
  rejected: number;
  rejectsFile?: string;
}

export interface ImportReport {
  /**
   * `rejected`: nothing was written because of the problems listed. `refused`: nothing was
   * written because records it touches already have changes recorded after its effective time.
   */
  outcome: "imported" | "dry-run" | "rejected" | "refused";
  /** Why it was refused, ready to print. */
  refusal?: string;
  /** When the changes take (or would take) effect; absent when the files were rejected first. */
  effective?: EffectiveTime;
  /** The import run recorded (not for a dry run). */
  runId?: number;
  entities: Partial<Record<CrmEntity, EntityReport>>;
  problems: ImportProblem[];
  problemCount: number;
  /** A problem with a file itself (header, broken quoting): --skip-invalid cannot help. */
  fileProblem: boolean;
  warnings: string[];
}
