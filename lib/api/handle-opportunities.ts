import { toPipelineRowText } from "../gtm/pipeline-wire";
import { jsonResponse } from "./api-response";
import { parseStrictPipelineQuery } from "./strict-params";
import { withViewer } from "./with-viewer";

/** GET /api/opportunities: one page of the filtered, sorted pipeline. */
export const handleOpportunities = withViewer(
  "GET /api/opportunities",
  parseStrictPipelineQuery,
  async ({ params, repository }) => {
    const page = await repository.search(params);
    return jsonResponse({ ...page, data: page.data.map(toPipelineRowText) });
  },
);
