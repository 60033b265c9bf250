import type Decimal from "decimal.js";
import type { CalendarDate } from "./calendar-date";
import type { SalesStage } from "./sales-stage";

/** A sales or expansion opportunity linked to a customer (the seed's entity). */
export interface Opportunity {
  oppId: string;
  customerId: string;
  stage: SalesStage;
  closeDate: CalendarDate;
  /** USD, exact to the cent. */
  amount: Decimal;
  salesOwner: string;
}
