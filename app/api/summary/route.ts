import { handleSummary } from "@/lib/api/handle-summary";
import { serverApiDeps } from "@/lib/server/request-context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleSummary(request, serverApiDeps);
}
