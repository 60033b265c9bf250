import type { CalendarDate } from "./calendar-date";
import type { ChurnRisk } from "./customer";
import type { Opportunity } from "./opportunity";
import type { OpportunityStatus } from "./revenue-at-risk";

/** An opportunity as the pipeline shows it: with its customer and its status on the query's asOf. */
export interface PipelineRow extends Opportunity {
  /** The deal's name from the CRM (the import's optional `name`), null when the file had none. */
  name: string | null;
  customerName: string;
  churnRisk: ChurnRisk;
  status: OpportunityStatus;
  /** The local day (GTM_TIMEZONE) the deal was first seen (lib/gtm/deal-age.ts). */
  firstSeen: CalendarDate;
  /** Whole days from the local day its stage began to the query's asOf (deal-age.ts daysInStage). */
  daysInStage: number;
  /** Times its close date moved later. */
  pushCount: number;
}
