import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { InvalidSetting } from "../positive-integer-setting";
import { ExportIdleTimeout, endWhenIdle } from "./end-when-idle";
import {
  DEFAULT_EXPORT_IDLE_TIMEOUT_MS,
  exportLimits,
  exportLimitsFromEnv,
  exportSlotCount,
  openWithinLimits,
} from "./export-limits";
import { ExportSlots } from "./export-slots";

/** A body of `chunks` chunks (endless when undefined), recording how far it was read and whether it was cancelled. */
function recordingBody(options: { chunks?: number; delayMs?: number; failAt?: number } = {}) {
  const state = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (options.delayMs) await sleep(options.delayMs);
        state.pulled++;
        if (state.pulled === options.failAt) return controller.error(new Error("the database went away"));
        if (options.chunks !== undefined && state.pulled > options.chunks) return controller.close();
        controller.enqueue(new Uint8Array(1024));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, state };
}

function guarded(body: ReadableStream<Uint8Array>, idleTimeoutMs: number, signal?: AbortSignal) {
  const state = { ended: 0, idle: 0 };
  const stream = endWhenIdle(body, { idleTimeoutMs, signal, onEnd: () => state.ended++, onIdle: () => state.idle++ });
  return { stream, state };
}

async function readAll(stream: ReadableStream<Uint8Array>, pauseMs = 0): Promise<number> {
  let chunks = 0;
  const reader = stream.getReader();
  while (!(await reader.read()).done) {
    chunks++;
    if (pauseMs) await sleep(pauseMs);
  }
  return chunks;
}

describe("export slots", () => {
  it("lets `capacity` exports run at once, answers the next after the wait, and hands a freed slot to the first waiter", async () => {
    const slots = new ExportSlots(2, 150);
    const first = await slots.acquire();
    const second = await slots.acquire();
    expect(first && second).toBeTruthy();
    const started = Date.now();
    expect(await slots.acquire()).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    const waiter = slots.acquire();
    const later = slots.acquire();
    first!();
    first!(); // a second release gives nothing back twice
    const handed = await waiter;
    expect(handed).toBeTypeOf("function");
    expect(await later).toBeUndefined();
    expect(slots.inUse).toBe(2);
    handed!();
    second!();
    expect(slots.inUse).toBe(0);
  });

  it("stops waiting when the client goes away", async () => {
    const slots = new ExportSlots(1, 10_000);
    const held = await slots.acquire();
    const abort = new AbortController();
    const waiting = slots.acquire(abort.signal);
    abort.abort();
    expect(await waiting).toBeUndefined();
    held!();
    expect(slots.inUse).toBe(0);
  });

  it("takes half the pool, at least one", () => {
    expect([1, 2, 3, 4, 10, 21].map(exportSlotCount)).toEqual([1, 1, 1, 2, 5, 10]);
  });

  it("reads the pool size and the idle timeout from the environment, and refuses nonsense", () => {
    const limits = exportLimitsFromEnv({ DATABASE_POOL_SIZE: "6", EXPORT_IDLE_TIMEOUT_MS: "2500" });
    expect([limits.slots.capacity, limits.idleTimeoutMs]).toEqual([3, 2500]);
    const defaults = exportLimitsFromEnv({});
    expect([defaults.slots.capacity, defaults.idleTimeoutMs]).toEqual([5, DEFAULT_EXPORT_IDLE_TIMEOUT_MS]);
    expect(() => exportLimitsFromEnv({ EXPORT_IDLE_TIMEOUT_MS: "60s" })).toThrow(InvalidSetting);
    expect(() => exportLimitsFromEnv({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE "0"/);
  });
});

describe("an export body that nobody reads", () => {
  it("passes a body read to the end through whole, and lets go of it once", async () => {
    const { body, state } = recordingBody({ chunks: 5 });
    const { stream, state: guard } = guarded(body, 200);
    expect(await readAll(stream)).toBe(5);
    expect(guard).toEqual({ ended: 1, idle: 0 });
    expect(state.cancelled).toBe(false);
  });

  it("does not end a reader that is slow but keeps reading, nor a database that is slow to answer", async () => {
    const slowReader = guarded(recordingBody({ chunks: 6 }).body, 400);
    expect(await readAll(slowReader.stream, 60)).toBe(6);
    const slowDatabase = guarded(recordingBody({ chunks: 3, delayMs: 400 }).body, 100);
    expect(await readAll(slowDatabase.stream)).toBe(3);
    expect([slowReader.state.idle, slowDatabase.state.idle]).toEqual([0, 0]);
  });

  it("ends a body never read, and one whose reader stopped, after the idle timeout: the body is cancelled", async () => {
    const never = recordingBody();
    const neverRead = guarded(never.body, 100);
    const stalled = recordingBody();
    const stalledRead = guarded(stalled.body, 100);
    const reader = stalledRead.stream.getReader();
    await reader.read();
    await reader.read();
    await vi.waitFor(() => expect([never.state.cancelled, stalled.state.cancelled]).toEqual([true, true]), {
      timeout: 5_000,
    });
    expect([neverRead.state, stalledRead.state]).toEqual([
      { ended: 1, idle: 1 },
      { ended: 1, idle: 1 },
    ]);
    expect(stalled.state.pulled).toBe(2);
    await expect(reader.read()).rejects.toThrow(ExportIdleTimeout);
  });

  it("lets go at once when the download is cancelled, fails, or its client goes away", async () => {
    const cancelled = recordingBody();
    const cancelledGuard = guarded(cancelled.body, 60_000);
    const reader = cancelledGuard.stream.getReader();
    await reader.read();
    await reader.cancel();
    expect(cancelled.state.cancelled).toBe(true);

    const failing = guarded(recordingBody({ failAt: 3 }).body, 60_000);
    await expect(readAll(failing.stream)).rejects.toThrow("the database went away");

    const abort = new AbortController();
    const gone = recordingBody();
    const goneGuard = guarded(gone.body, 60_000, abort.signal);
    await goneGuard.stream.getReader().read();
    abort.abort();
    await vi.waitFor(() => expect([gone.state.cancelled, goneGuard.state.ended]).toEqual([true, 1]));
    expect([cancelledGuard.state.ended, failing.state.ended, goneGuard.state.ended]).toEqual([1, 1, 1]);
  });
});

describe("openWithinLimits", () => {
  it("holds a slot for as long as the body is in use, and gives it back when opening fails", async () => {
    const limits = exportLimits({ poolSize: 2, idleTimeoutMs: 100, slotWaitMs: 50 });
    const body = await openWithinLimits(limits, async () => recordingBody().body);
    expect(body).toBeDefined();
    expect(await openWithinLimits(limits, async () => recordingBody().body)).toBeUndefined();
    // Unread: ended by the idle timeout.
    await vi.waitFor(() => expect(limits.slots.inUse).toBe(0), { timeout: 5_000 });
    await expect(openWithinLimits(limits, () => Promise.reject(new Error("no database")))).rejects.toThrow(
      "no database",
    );
    expect(limits.slots.inUse).toBe(0);
  });
});
