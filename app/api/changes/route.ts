import { handleChanges } from "@/lib/api/handle-changes";
import { serverApiDeps } from "@/lib/server/request-context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleChanges(request, serverApiDeps);
}
