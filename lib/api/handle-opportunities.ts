import type { ApiDeps } from "./api-deps";
import { badRequest, errorResponse, jsonResponse } from "./api-response";
import { toPipelineRowJson } from "./pipeline-json";
import { parseStrictPipelineQuery } from "./strict-params";

/** GET /api/opportunities: one page of the filtered, sorted pipeline. */
export async function handleOpportunities(request: Request, deps: ApiDeps): Promise<Response> {
  const { searchParams, search } = new URL(request.url);
  const parsed = parseStrictPipelineQuery(searchParams, deps.today());
  if (!parsed.ok) return badRequest(parsed.issues);
  try {
    const page = await (await deps.repository()).search(parsed.value);
    return jsonResponse({ ...page, data: page.data.map(toPipelineRowJson) });
  } catch (error) {
    return errorResponse(error, { route: "GET /api/opportunities", search });
  }
}
