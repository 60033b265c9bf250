import { handleOpportunities } from "@/lib/api/handle-opportunities";
import { serverApiDeps } from "@/lib/api/server-api-deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleOpportunities(request, serverApiDeps);
}
