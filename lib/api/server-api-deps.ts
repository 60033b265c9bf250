import "server-only";
import { auditExport, repositoryFor, viewerOf } from "../auth/server";
import { today } from "../today";
import type { ApiDeps } from "./api-deps";

export const serverApiDeps: ApiDeps = {
  viewer: (request) => viewerOf(request.headers),
  repository: repositoryFor,
  recordExport: auditExport,
  today: () => today(),
};
