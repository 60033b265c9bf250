import { handleExport } from "@/lib/api/handle-export";
import { serverApiDeps } from "@/lib/api/server-api-deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleExport(request, serverApiDeps);
}
