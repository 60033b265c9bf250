import type { CalendarDate } from "../gtm/calendar-date";
import type { OpportunityRepository } from "../gtm/opportunity-repository";

/** What a handler needs from the server; route files pass the real ones, tests a test database. */
export interface ApiDeps {
  repository: () => Promise<OpportunityRepository>;
  today: () => CalendarDate;
}
