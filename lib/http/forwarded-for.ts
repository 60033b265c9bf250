/** Where proxy.ts keeps the X-Forwarded-For a request arrived with; lib/http/client-address.ts reads it. */
export const RECEIVED_FORWARDED_FOR = "x-pipeline-risk-received-forwarded-for";

/**
 * Moves the X-Forwarded-For a request arrived with to RECEIVED_FORWARDED_FOR
 * (dropping any value a client put there), so that past the proxy Next sets
 * X-Forwarded-For afresh to the socket's address: the one address no client can
 * choose, and the only way route handlers learn it.
 */
export function setReceivedForwardedForAside(headers: Headers): void {
  const received = headers.get("x-forwarded-for");
  headers.delete(RECEIVED_FORWARDED_FOR);
  headers.delete("x-forwarded-for");
  if (received !== null) headers.set(RECEIVED_FORWARDED_FOR, received);
}
