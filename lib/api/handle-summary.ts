import type { ApiDeps } from "./api-deps";
import { badRequest, errorResponse, jsonResponse, unauthorized } from "./api-response";
import { toPipelineSummaryJson } from "./pipeline-json";
import { parseStrictPipelineQuery } from "./strict-params";

/** GET /api/summary: totals and chart series over the whole filtered set. */
export async function handleSummary(request: Request, deps: ApiDeps): Promise<Response> {
  const { searchParams, search } = new URL(request.url);
  try {
    const viewer = await deps.viewer(request);
    if (!viewer) return unauthorized();
    const parsed = parseStrictPipelineQuery(searchParams, deps.today());
    if (!parsed.ok) return badRequest(parsed.issues);
    const summary = await (await deps.repository(viewer)).summarize(parsed.value);
    return jsonResponse(toPipelineSummaryJson(summary));
  } catch (error) {
    return errorResponse(error, { route: "GET /api/summary", search });
  }
}
