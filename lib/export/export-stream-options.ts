export interface ExportStreamOptions {
  /** Aborted when the client goes away (the request's signal); the export stops reading rows. */
  signal?: AbortSignal;
  /** Called with an error that broke the stream after the response started (for logging). */
  onError?: (error: unknown) => void;
}

export function onceStopped(signal: AbortSignal | undefined, stop: () => Promise<void>): void {
  if (!signal) return;
  const run = () => void stop().catch(() => undefined);
  if (signal.aborted) run();
  else signal.addEventListener("abort", run, { once: true });
}
