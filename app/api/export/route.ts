import { handleExport, handleExportHead } from "@/lib/api/handle-export";
import { serverApiDeps } from "@/lib/server/request-context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleExport(request, serverApiDeps);
}

export function HEAD(request: Request): Promise<Response> {
  return handleExportHead(request, serverApiDeps);
}
