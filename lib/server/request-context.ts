import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { ChangesApiDeps } from "../api/handle-changes";
import type { ForecastApiDeps } from "../api/handle-forecast";
import { type Auth, createAuth } from "../auth/create-auth";
import { recordExport } from "../auth/export-audit";
import { apiViewer, sessionViewer, type Viewer } from "../auth/viewer";
import { type Database, openDatabase } from "../db/open-database";
import { exportCursorDriver } from "../gtm-prisma/export-cursor";
import { PipelineReadCache } from "../gtm-prisma/pipeline-read-cache";
import { keepPipelineRollupCurrent } from "../gtm-prisma/pipeline-rollup";
import type { HistoryClock } from "../gtm-prisma/pipeline-source";
import { PrismaChangesRepository } from "../gtm-prisma/prisma-changes-repository";
import { PrismaForecastRepository } from "../gtm-prisma/prisma-forecast-repository";
import { PrismaOpportunityRepository } from "../gtm-prisma/prisma-opportunity-repository";
import type { ChangesRepository } from "../gtm/changes-repository";
import type { ForecastRepository } from "../gtm/forecast-repository";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import { configuredTimeZone, today } from "../today";

/**
 * The one place a request gets what it works with: the process's database and auth, the
 * viewer, and a repository narrowed to what the viewer may see.
 */

// One database and one auth per process, kept on globalThis so dev-mode reloads reuse them
// (PGlite must never be opened twice on one data directory).
const processWide = globalThis as unknown as { pipelineRiskDb?: Promise<Database>; pipelineRiskAuth?: Promise<Auth> };

export function getDatabase(): Promise<Database> {
  processWide.pipelineRiskDb ??= openDatabase().catch((error: unknown) => {
    processWide.pipelineRiskDb = undefined;
    throw error;
  });
  return processWide.pipelineRiskDb;
}

export function getAuth(): Promise<Auth> {
  processWide.pipelineRiskAuth ??= getDatabase()
    .then((db) => createAuth(db))
    .catch((error: unknown) => {
      processWide.pipelineRiskAuth = undefined;
      throw error;
    });
  return processWide.pipelineRiskAuth;
}

/** The database's cache of reads per data version: one per database, shared by every request. */
const readCaches = new WeakMap<Database, PipelineReadCache>();
function readCacheOf(db: Database): PipelineReadCache {
  let cache = readCaches.get(db);
  if (!cache) readCaches.set(db, (cache = new PipelineReadCache(db.prisma)));
  return cache;
}

/** The composition of a repository: bound to a viewer's scope; every read gives the rollup upkeep a chance to run. */
async function repositoryFor(viewer: Viewer): Promise<OpportunityRepository> {
  const db = await getDatabase();
  keepPipelineRollupCurrent(db, today());
  return new PrismaOpportunityRepository(db.prisma, viewer.scope, {
    exportCursor: exportCursorDriver(db),
    history: historyClock(),
    cache: readCacheOf(db).forRequest(),
  });
}

/** Today and where a day ends: a past `asOf` reads history. */
function historyClock(): HistoryClock {
  return { today: today(), timeZone: configuredTimeZone() };
}

/** The forecast's repository, bound to a viewer's scope. */
async function forecastRepositoryFor(viewer: Viewer): Promise<ForecastRepository> {
  const db = await getDatabase();
  return new PrismaForecastRepository(db.prisma, viewer.scope, historyClock(), readCacheOf(db).forRequest());
}

/** What changed, bound to a viewer's scope; days end at midnight in GTM_TIMEZONE, and today reads today's tables. */
async function changesRepositoryFor(viewer: Viewer): Promise<ChangesRepository> {
  const db = await getDatabase();
  return new PrismaChangesRepository(db.prisma, viewer.scope, historyClock(), readCacheOf(db).forRequest());
}

export interface RequestContext {
  viewer: Viewer;
  repository: OpportunityRepository;
}

/** The signed-in person of this page request (session cookie only), looked up once per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  // headers() first: it marks the page dynamic, so `next build` never opens the database.
  const requestHeaders = await headers();
  const [db, auth] = await Promise.all([getDatabase(), getAuth()]);
  return sessionViewer(db.prisma, auth, requestHeaders);
});

/** For pages and server actions: the viewer, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireViewer(returnTo = "/"): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}

/** For pages: the viewer and their scoped repository, once per request. */
export const requireRequestContext = cache(async (returnTo: string): Promise<RequestContext> => {
  const viewer = await requireViewer(returnTo);
  return { viewer, repository: await repositoryFor(viewer) };
});

/** For the forecast page: the viewer and their scoped forecast repository. */
export async function requireForecastContext(
  returnTo: string,
): Promise<{ viewer: Viewer; forecastRepository: ForecastRepository }> {
  const viewer = await requireViewer(returnTo);
  return { viewer, forecastRepository: await forecastRepositoryFor(viewer) };
}

/** For the Changes page: the viewer and their scoped changes repository. */
export async function requireChangesContext(
  returnTo: string,
): Promise<{ viewer: Viewer; changesRepository: ChangesRepository }> {
  const viewer = await requireViewer(returnTo);
  return { viewer, changesRepository: await changesRepositoryFor(viewer) };
}

/** For admin pages: a signed-out person signs in; a signed-in non-admin gets the 403 page. */
export async function requireAdmin(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewer(returnTo);
  if (viewer.role !== "admin") forbidden();
  return viewer;
}

/** What the JSON API and exports run with (lib/api/with-viewer.ts); tests pass their own. */
export const serverApiDeps: ForecastApiDeps & ChangesApiDeps = {
  viewer: async (request) => {
    const [db, auth] = await Promise.all([getDatabase(), getAuth()]);
    return apiViewer(db.prisma, auth, request.headers);
  },
  repository: repositoryFor,
  forecastRepository: forecastRepositoryFor,
  changes: changesRepositoryFor,
  recordExport: async (viewer, entry) =>
    recordExport((await getDatabase()).prisma, { userId: viewer.userId, ...entry }),
  today: () => today(),
};
