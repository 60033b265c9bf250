export class ExportIdleTimeout extends Error {
  constructor(idleTimeoutMs: number) {
    super(`the client read nothing of the export for ${idleTimeoutMs} ms`);
    this.name = "ExportIdleTimeout";
  }
}

export interface EndWhenIdleOptions {
  idleTimeoutMs: number;
  /** Runs once, after `body` is done with (its database read ended), however the download ended. */
  onEnd: () => void;
  /** Runs when the idle timeout ended the download (for logging). */
  onIdle?: () => void;
  /** Aborted when the client goes away: ends the download at once instead of at the timeout. */
  signal?: AbortSignal;
}

/**
 * `body`, passed through as it is read, but ended when its reader has not asked for more for
 * `idleTimeoutMs`: a client that stopped reading and keeps its socket open, or a body that nobody
 * reads at all (a HEAD answered by running GET). The stream then errors, which makes the server
 * drop the response, and `body` is cancelled, which ends its database read. Time spent waiting
 * for the database is not idle: the clock runs only while the reader owes the next read.
 */
export function endWhenIdle(body: ReadableStream<Uint8Array>, options: EndWhenIdleOptions): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    options.onEnd();
  };
  const stop = (reason: unknown) => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    controller.error(reason);
    void reader
      .cancel(reason)
      .catch(() => undefined)
      .finally(end);
  };
  const waitForReader = () => {
    timer = setTimeout(() => {
      options.onIdle?.();
      stop(new ExportIdleTimeout(options.idleTimeoutMs));
    }, options.idleTimeoutMs);
    timer.unref?.();
  };
  const onAbort = () => stop(options.signal?.reason);

  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener("abort", onAbort, { once: true });
        waitForReader();
      },
      async pull() {
        clearTimeout(timer);
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          stopped = true;
          end();
          throw error;
        }
        if (stopped) return;
        if (result.done) {
          stopped = true;
          end();
          controller.close();
          return;
        }
        controller.enqueue(result.value);
        waitForReader();
      },
      async cancel(reason) {
        stopped = true;
        clearTimeout(timer);
        try {
          await reader.cancel(reason);
        } finally {
          end();
        }
      },
    },
    // Nothing is read ahead of the client: a pull is a read the client asked for.
    { highWaterMark: 0 },
  );
}
