import type { PrismaClient } from "../db/generated/client";

/** Reads through a cache of values per data version (a PipelineReadCache, or one request's view of it). */
export interface PipelineReads {
  read<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** The value kept for `key` in the state named `stamp` (readVersionStamp), if there is one. */
  held<T>(stamp: string, key: string): T | undefined;
}

/**
 * Pipeline reads kept per data version, so identical views cost no SQL but one version read.
 *
 * Exact, not a cache that can be stale: every statement that writes opportunities or customers
 * bumps `pipeline_version` in its own transaction (migration 20261201000000_rollup_version),
 * and every one that writes quotas, forecast settings or teams bumps `reference_version`
 * (20261201060000_reference_version), so the pair names one state of everything a read uses. A
 * read is served from here only for the version the database reports after the caller asked (for
 * a request's reads, `forRequest`, after the request began), i.e. the state a read of its own
 * would have seen. A value is kept only when the version read before its statements ran equals the
 * one read after they finished: no write committed in between, so every statement saw that
 * one state (statement snapshots on one server only move forward in time).
 *
 * One per database (versions of two databases are unrelated). Bounded: the values of a
 * version are dropped as soon as another one is seen, and at most `maxEntries` are kept
 * (least recently used out).
 */
export class PipelineReadCache implements PipelineReads {
  private stamp: string | undefined;
  private readonly values = new Map<string, unknown>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private pendingVersion: Promise<string> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxEntries = 2_000,
  ) {}

  /**
   * The value of `load` in the pipeline's current state: from the cache when it holds this
   * state's value for `key`, else loaded (once for concurrent callers) and kept when exact.
   * `key` must name everything the value depends on other than the data (scope, filters, day).
   */
  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.readAt(this.currentVersion(), key, load);
  }

  /**
   * One request's reads: the version is read once, at the request's first read, and its other
   * reads are served for that version, so a repeated view costs one version read, not one per
   * widget, and its widgets show one state. None is older than the request, which began before
   * that read.
   */
  forRequest(): PipelineReads {
    let version: Promise<string> | undefined;
    return {
      read: (key, load) => this.readAt((version ??= this.currentVersion()), key, load),
      held: (stamp, key) => this.held(stamp, key),
    };
  }

  held<T>(stamp: string, key: string): T | undefined {
    return stamp === this.stamp ? (this.values.get(`${stamp}\u0000${key}`) as T | undefined) : undefined;
  }

  private async readAt<T>(version: Promise<string>, key: string, load: () => Promise<T>): Promise<T> {
    const before = await version;
    const versioned = `${before}\u0000${key}`;
    if (this.values.has(versioned)) {
      const value = this.values.get(versioned) as T;
      // Most recently used last (Map keeps insertion order).
      this.values.delete(versioned);
      this.values.set(versioned, value);
      return value;
    }
    const inFlight = this.loading.get(versioned);
    if (inFlight) return inFlight as Promise<T>;
    const loaded = (async () => {
      const value = await load();
      if ((await this.currentVersion()) === before) this.keep(before, versioned, value);
      return value;
    })().finally(() => this.loading.delete(versioned));
    this.loading.set(versioned, loaded);
    return loaded;
  }

  /**
   * The version now. Callers in the same turn of the event loop share one query, sent after
   * all of them asked (never one already under way: it might predate a caller's request).
   */
  private currentVersion(): Promise<string> {
    this.pendingVersion ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.pendingVersion = undefined;
      return readVersionStamp(this.prisma).then((stamp) => this.see(stamp));
    });
    return this.pendingVersion;
  }

  /** Another version than the last one seen: the values kept are of a state that is gone. */
  private see(stamp: string): string {
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      this.values.clear();
    }
    return stamp;
  }

  private keep(stamp: string, versioned: string, value: unknown): void {
    if (stamp !== this.stamp) return; // another version was seen meanwhile
    this.values.set(versioned, value);
    if (this.values.size > this.maxEntries) this.values.delete(this.values.keys().next().value!);
  }
}

/** `load` through `cache` when there is one; `key` names all the value depends on but the data. */
export function readThrough<T>(cache: PipelineReads | undefined, key: unknown[], load: () => Promise<T>): Promise<T> {
  return cache ? cache.read(JSON.stringify(key), load) : load();
}

/** What readThrough keeps for `key` in the state `stamp`, if it does. */
export function heldIn<T>(cache: PipelineReads | undefined, stamp: string, key: unknown[]): T | undefined {
  return cache?.held<T>(stamp, JSON.stringify(key));
}

/**
 * The data versions (pipeline and reference data) with the ids of the transactions that set
 * them: a database recreated or restored under a running server counts its versions from 0
 * again, and the transaction ids of a server only grow, so a stamp never names two states.
 */
export async function readVersionStamp(prisma: Pick<PrismaClient, "$queryRaw">): Promise<string> {
  const [row] = await prisma.$queryRaw<{ stamp: string }[]>`
    SELECT p.version::text || '/' || p.xmin::text || '/' || r.version::text || '/' || r.xmin::text AS stamp
    FROM pipeline_version p CROSS JOIN reference_version r`;
  return row.stamp;
}
