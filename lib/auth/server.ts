import "server-only";
import { redirect } from "next/navigation";
import type { ExportAuditEntry } from "../api/api-deps";
import { getDatabase, getOpportunityRepository } from "../db/server";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import { type Auth, createAuth } from "./create-auth";
import { currentViewer } from "./current-viewer";
import { recordExport } from "./export-audit";
import { resolveViewer, type Viewer } from "./viewer";

const globalForAuth = globalThis as unknown as { pipelineRiskAuth?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  globalForAuth.pipelineRiskAuth ??= getDatabase()
    .then((db) => createAuth(db))
    .catch((error: unknown) => {
      globalForAuth.pipelineRiskAuth = undefined;
      throw error;
    });
  return globalForAuth.pipelineRiskAuth;
}

export async function viewerOf(requestHeaders: Headers): Promise<Viewer | null> {
  const [db, auth] = await Promise.all([getDatabase(), getAuth()]);
  return resolveViewer(db.prisma, auth, requestHeaders);
}

/** For pages: the signed-in viewer, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireViewer(returnTo = "/"): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}

export async function requireAdmin(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewer(returnTo);
  if (viewer.role !== "admin") redirect("/");
  return viewer;
}

export function repositoryFor(viewer: Viewer): Promise<OpportunityRepository> {
  return getOpportunityRepository(viewer.scope);
}

export async function auditExport(viewer: Viewer, entry: ExportAuditEntry): Promise<void> {
  await recordExport((await getDatabase()).prisma, { userId: viewer.userId, ...entry });
}
