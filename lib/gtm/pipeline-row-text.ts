import type { CalendarDate } from "./calendar-date";
import type { ChurnRisk } from "./customer";
import type { OpportunityStatus } from "./revenue-at-risk";
import type { SalesStage } from "./sales-stage";

/**
 * A pipeline row with every field as text, as files and the JSON API write it: the
 * amount a two-place decimal string ("1234.50", exact, never through a float), the
 * close date YYYY-MM-DD. Exports read millions of these, so no Decimal per row.
 */
export interface PipelineRowText {
  oppId: string;
  customerId: string;
  customerName: string;
  churnRisk: ChurnRisk;
  stage: SalesStage;
  closeDate: CalendarDate;
  amount: string;
  salesOwner: string;
  status: OpportunityStatus;
}
