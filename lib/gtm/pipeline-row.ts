import type { ChurnRisk } from "./customer";
import type { Opportunity } from "./opportunity";
import type { OpportunityStatus } from "./revenue-at-risk";

/** An opportunity as the pipeline shows it: with its customer and its status on the query's asOf. */
export interface PipelineRow extends Opportunity {
  customerName: string;
  churnRisk: ChurnRisk;
  status: OpportunityStatus;
}
