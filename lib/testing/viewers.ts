import type { ApiDeps } from "../api/api-deps";
import type { Viewer } from "../auth/viewer";
import type { CalendarDate } from "../gtm/calendar-date";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import { ALL_OWNERS } from "../gtm/pipeline-scope";

export const ADMIN_VIEWER: Viewer = {
  userId: "u-admin",
  email: "admin@example.com",
  name: "Admin",
  role: "admin",
  ownerId: null,
  scope: ALL_OWNERS,
  via: "session",
};

/** API deps for code that is not about access: an admin who sees everything, exports not audited. */
export function adminApiDeps(repository: OpportunityRepository, today: () => CalendarDate): ApiDeps {
  return {
    viewer: async () => ADMIN_VIEWER,
    repository: async () => repository,
    recordExport: async () => undefined,
    today,
  };
}
