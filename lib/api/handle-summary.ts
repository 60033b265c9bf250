import { toPipelineSummaryJson } from "../gtm/pipeline-wire";
import { jsonResponse } from "./api-response";
import { parseStrictPipelineQuery } from "./strict-params";
import { withViewer } from "./with-viewer";

/** GET /api/summary: totals and chart series over the whole filtered set. */
export const handleSummary = withViewer("GET /api/summary", parseStrictPipelineQuery, async ({ params, repository }) =>
  jsonResponse(toPipelineSummaryJson(await repository.summarize(params))),
);
