import { handleOpportunities } from "@/lib/api/handle-opportunities";
import { serverApiDeps } from "@/lib/server/request-context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleOpportunities(request, serverApiDeps);
}
