import { handleForecast } from "@/lib/api/handle-forecast";
import { serverApiDeps } from "@/lib/server/request-context";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handleForecast(request, serverApiDeps);
}
