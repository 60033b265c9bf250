import type { ApiDeps } from "./api-deps";
import { badRequest, errorResponse, jsonResponse, unauthorized } from "./api-response";
import { toPipelineRowJson } from "./pipeline-json";
import { parseStrictPipelineQuery } from "./strict-params";

/** GET /api/opportunities: one page of the filtered, sorted pipeline. */
export async function handleOpportunities(request: Request, deps: ApiDeps): Promise<Response> {
  const { searchParams, search } = new URL(request.url);
  try {
    const viewer = await deps.viewer(request);
    if (!viewer) return unauthorized();
    const parsed = parseStrictPipelineQuery(searchParams, deps.today());
    if (!parsed.ok) return badRequest(parsed.issues);
    const page = await (await deps.repository(viewer)).search(parsed.value);
    return jsonResponse({ ...page, data: page.data.map(toPipelineRowJson) });
  } catch (error) {
    return errorResponse(error, { route: "GET /api/opportunities", search });
  }
}
