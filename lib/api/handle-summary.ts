import type { ApiDeps } from "./api-deps";
import { badRequest, errorResponse, jsonResponse } from "./api-response";
import { toPipelineSummaryJson } from "./pipeline-json";
import { parseStrictPipelineQuery } from "./strict-params";

/** GET /api/summary: totals and chart series over the whole filtered set. */
export async function handleSummary(request: Request, deps: ApiDeps): Promise<Response> {
  const { searchParams, search } = new URL(request.url);
  const parsed = parseStrictPipelineQuery(searchParams, deps.today());
  if (!parsed.ok) return badRequest(parsed.issues);
  try {
    const summary = await (await deps.repository()).summarize(parsed.value);
    return jsonResponse(toPipelineSummaryJson(summary));
  } catch (error) {
    return errorResponse(error, { route: "GET /api/summary", search });
  }
}
