import type { Viewer } from "../auth/viewer";
import type { OpportunityRepository } from "../gtm/opportunity-repository";
import type { ApiDeps } from "./api-deps";
import { badRequest, errorResponse, unauthorized } from "./api-response";
import type { StrictParser } from "./strict-params";

export interface ApiContext<T> {
  request: Request;
  /** The request's parameters, strictly parsed. */
  params: T;
  viewer: Viewer;
  /** Narrowed to what the viewer may see. */
  repository: OpportunityRepository;
  deps: ApiDeps;
}

/** A route's handler with its dependencies passed in: route files pass the server's, tests a test database's. */
export type ApiHandler = (request: Request, deps: ApiDeps) => Promise<Response>;

/**
 * Every JSON API and export route in one shape: the viewer or 401, the parameters strictly
 * parsed or 400, then the handler; anything thrown is logged once with the route and its
 * parameters and answered 503 (database) or 500 without a stack.
 */
export function withViewer<T>(
  route: string,
  parse: StrictParser<T>,
  handle: (context: ApiContext<T>) => Promise<Response>,
): ApiHandler {
  return async (request, deps) => {
    const { searchParams, search } = new URL(request.url);
    try {
      const viewer = await deps.viewer(request);
      if (!viewer) return unauthorized();
      const parsed = parse(searchParams, deps.today());
      if (!parsed.ok) return badRequest(parsed.issues);
      return await handle({ request, params: parsed.value, viewer, repository: await deps.repository(viewer), deps });
    } catch (error) {
      return errorResponse(error, { route, search });
    }
  };
}
