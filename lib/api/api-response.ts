import type { ParamIssue } from "../gtm/pipeline-query";

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { ...JSON_HEADERS, ...init.headers },
  });
}

export function unauthorized(): Response {
  return jsonResponse(
    { error: "Sign in, or send an API token as `Authorization: Bearer <token>`." },
    { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="pipeline-risk"' } },
  );
}

/** The 400 body of the public contract: `{ error, issues: [{ param, message }] }`. */
export function badRequest(issues: ParamIssue[]): Response {
  const names = [...new Set(issues.map((issue) => issue.param))].join(", ");
  return jsonResponse(
    { error: `Invalid query parameter${issues.length > 1 ? "s" : ""}: ${names}`, issues },
    { status: 400 },
  );
}

const DATABASE_ERROR_NAMES = new Set([
  "DatabaseUnavailable",
  "DriverAdapterError",
  "PrismaClientKnownRequestError",
  "PrismaClientUnknownRequestError",
  "PrismaClientInitializationError",
  "PrismaClientRustPanicError",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "57P01",
  "57P03",
  "53300",
]);

/** Errors that mean "the database could not answer", as opposed to a bug in our code. */
export function isDatabaseError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (DATABASE_ERROR_NAMES.has(current.name)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || /^P1\d{3}$/.test(code) || /^08\w{3}$/.test(code)))
      return true;
  }
  return false;
}

/**
 * Logs the failure with its context (server side only) and answers without a stack:
 * 503 when the database could not answer, 500 for anything else.
 */
export function errorResponse(error: unknown, context: { route: string; search: string }): Response {
  const database = isDatabaseError(error);
  console.error(`[api] ${context.route}${context.search} failed${database ? " (database)" : ""}:`, error);
  return database
    ? jsonResponse(
        { error: "The database is unavailable right now; try again shortly." },
        { status: 503, headers: { "Retry-After": "5" } },
      )
    : jsonResponse({ error: "Something went wrong while answering this request." }, { status: 500 });
}
