/** Gives a taken slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * A counting semaphore for exports: at most `capacity` run at once, and one that finds
 * them all taken waits its turn (first come, first served) for at most `waitMs`.
 */
export class ExportSlots {
  private taken = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly capacity: number,
    private readonly waitMs: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`export slots: capacity must be a positive integer, got ${capacity}`);
  }

  /** Slots taken right now. */
  get inUse(): number {
    return this.taken;
  }

  /** A slot, or undefined when none came free within the wait (or `signal` aborted first). */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.taken < this.capacity) {
      this.taken++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const settle = (slot: ReleaseSlot | undefined) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", giveUp);
        resolve(slot);
      };
      // A releasing holder hands its slot straight to the first waiter: `taken` stays as it is.
      const grant = () => settle(this.releaser());
      const giveUp = () => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        settle(undefined);
      };
      const timer = setTimeout(giveUp, this.waitMs);
      signal?.addEventListener("abort", giveUp, { once: true });
      this.waiting.push(grant);
    });
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.taken--;
    };
  }
}
