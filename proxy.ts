import { type NextRequest, NextResponse } from "next/server";
import { hasMalformedEscape } from "./lib/http/decode-route-param";
import { setReceivedForwardedForAside } from "./lib/http/forwarded-for";

/**
 * A Content-Security-Policy with a fresh nonce per request (Next 16 "proxy", the
 * successor of middleware). Next reads the nonce from the request's CSP header
 * while rendering and puts it on its own scripts; every page here is dynamic
 * (the layout reads the session), so each response carries its own nonce.
 * The static headers (nosniff, frame denial, referrer, permissions, HSTS) are in
 * next.config.js; API routes get a locked-down CSP there.
 *
 * Every request that passes here also has its X-Forwarded-For set aside, so that
 * behind this proxy that header is the socket's address (lib/http/forwarded-for.ts):
 * the auth endpoints rate-limit sign-in by it. And a path with a malformed escape
 * is a 404 page.
 */
export function contentSecurityPolicy(nonce: string, options: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts loaded by a nonced script (Next's chunks) are trusted; nothing else runs.
    // React needs eval in development only, for its error overlay.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // Recharts (and React's SSR of `style={...}`) writes inline style attributes; a nonce cannot cover
    // attributes, and a nonce in this directive would make browsers ignore 'unsafe-inline'. Inline
    // styles cannot run code, so this is the usual, accepted trade-off; scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Served over https, directly or behind a TLS-terminating reverse proxy. */
export function isHttps(request: NextRequest): boolean {
  return (
    request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https"
  );
}

// No route has this path (folders starting with `_` are private in the app router), so it renders not-found.tsx with a 404.
const NO_SUCH_PAGE = "/_no-such-page";

const isPrefetch = (request: NextRequest) =>
  request.headers.has("next-router-prefetch") || request.headers.get("purpose") === "prefetch";

export function proxy(request: NextRequest): NextResponse {
  const requestHeaders = new Headers(request.headers);
  setReceivedForwardedForAside(requestHeaders);
  // Next's router answers a malformed escape in a dynamic segment (`/customers/%zz`, `%C0%AF`) with a bare 500.
  const forward = (init: { request: { headers: Headers } }) =>
    hasMalformedEscape(request.nextUrl.pathname)
      ? NextResponse.rewrite(new URL(NO_SUCH_PAGE, request.url), init)
      : NextResponse.next(init);
  // Prefetches and API responses are never rendered as a document: no nonce needed (next.config.js gives the API its CSP).
  if (request.nextUrl.pathname.startsWith("/api/") || isPrefetch(request))
    return forward({ request: { headers: requestHeaders } });

  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const nonce = Buffer.from(bytes).toString("base64");
  const policy = contentSecurityPolicy(nonce, { https: isHttps(request), dev: process.env.NODE_ENV === "development" });

  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = forward({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    // Pages (prefetches included, so that none skips the checks above); static assets and the icon need nothing here.
    { source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)" },
    // The auth endpoints: sign-in's rate limit must see the socket's address, never a client's claim.
    { source: "/api/auth/:path*" },
  ],
};
