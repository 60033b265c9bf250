import { databasePoolSize } from "../db/pool-size";
import { positiveIntegerSetting } from "../positive-integer-setting";
import { endWhenIdle } from "./end-when-idle";
import { ExportSlots } from "./export-slots";

export const DEFAULT_EXPORT_IDLE_TIMEOUT_MS = 60_000;
/** How long an export waits for a slot before it is answered 503: rides out a burst, never looks like a hang. */
export const EXPORT_SLOT_WAIT_MS = 2_000;

/** What keeps exports, which hold a database connection for as long as a download lasts, from starving the pages. */
export interface ExportLimits {
  /** Exports running at once. */
  slots: ExportSlots;
  /** A download whose client reads nothing for this long is ended, and its connection given back. */
  idleTimeoutMs: number;
}

/** Half the pool, at least one: whatever the exports do, the pages keep the other half. */
export function exportSlotCount(poolSize: number): number {
  return Math.max(1, Math.floor(poolSize / 2));
}

export function exportLimits(options: { poolSize: number; idleTimeoutMs: number; slotWaitMs?: number }): ExportLimits {
  return {
    slots: new ExportSlots(exportSlotCount(options.poolSize), options.slotWaitMs ?? EXPORT_SLOT_WAIT_MS),
    idleTimeoutMs: options.idleTimeoutMs,
  };
}

/** The limits DATABASE_POOL_SIZE and EXPORT_IDLE_TIMEOUT_MS give. */
export function exportLimitsFromEnv(env: Record<string, string | undefined> = process.env): ExportLimits {
  return exportLimits({
    poolSize: databasePoolSize(env),
    idleTimeoutMs: positiveIntegerSetting(
      "EXPORT_IDLE_TIMEOUT_MS",
      env.EXPORT_IDLE_TIMEOUT_MS,
      DEFAULT_EXPORT_IDLE_TIMEOUT_MS,
    ),
  });
}

// One pool per process, so one set of slots per process, kept on globalThis like the database itself.
const globalForExports = globalThis as unknown as { pipelineRiskExportLimits?: ExportLimits };

export function serverExportLimits(): ExportLimits {
  return (globalForExports.pipelineRiskExportLimits ??= exportLimitsFromEnv());
}

/**
 * Starts an export within `limits`: takes a slot, runs `open` (the reads that start the export
 * and give its body), and gives the slot back once that body is done with, however it ends:
 * read to the end, cancelled, failed, or ended by the idle timeout. Undefined when no slot came
 * free in time (the caller answers 503); the slot is given back at once if `open` fails.
 */
export async function openWithinLimits(
  limits: ExportLimits,
  open: () => Promise<ReadableStream<Uint8Array>>,
  options: { signal?: AbortSignal; onIdle?: () => void } = {},
): Promise<ReadableStream<Uint8Array> | undefined> {
  const release = await limits.slots.acquire(options.signal);
  if (!release) return undefined;
  let body: ReadableStream<Uint8Array>;
  try {
    body = await open();
  } catch (error) {
    release();
    throw error;
  }
  return endWhenIdle(body, {
    idleTimeoutMs: limits.idleTimeoutMs,
    onEnd: release,
    onIdle: options.onIdle,
    signal: options.signal,
  });
}
