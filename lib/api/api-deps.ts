import type { Viewer } from "../auth/viewer";
import type { CalendarDate } from "../gtm/calendar-date";
import type { OpportunityRepository } from "../gtm/opportunity-repository";

export interface ExportAuditEntry {
  format: string;
  filters: string;
  rowCount: number;
}

/** What a handler needs from the server; route files pass the real ones, tests a test database. */
export interface ApiDeps {
  /** Who sent the request (API token, else session cookie); null is answered with 401. */
  viewer: (request: Request) => Promise<Viewer | null>;
  /** A repository narrowed to what the viewer may see. */
  repository: (viewer: Viewer) => Promise<OpportunityRepository>;
  recordExport: (viewer: Viewer, entry: ExportAuditEntry) => Promise<void>;
  today: () => CalendarDate;
}
