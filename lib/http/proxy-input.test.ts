import { NextRequest } from "next/server";
import { expect, it } from "vitest";
import { config, proxy } from "../../proxy";
import { RECEIVED_FORWARDED_FOR } from "./forwarded-for";

const matchers = config.matcher.map((matcher) => new RegExp(`^${matcher.source.replace("/:path*", "(?:/.*)?")}$`));

it("runs on every auth endpoint, prefetch or not, so no sign-in reaches Better Auth with a client's X-Forwarded-For", () => {
  const authMatcher = config.matcher.find((matcher) => matcher.source.startsWith("/api/auth"))!;
  expect(authMatcher).not.toHaveProperty("missing");
  expect(authMatcher).not.toHaveProperty("has");
  for (const path of ["/api/auth/sign-in/email", "/api/auth/get-session", "/api/auth/sign-out"])
    expect(
      matchers.some((matcher) => matcher.test(path)),
      path,
    ).toBe(true);
  expect(
    matchers.some((matcher) => matcher.test("/api/opportunities")),
    "/api/opportunities",
  ).toBe(false);
});

it("sets a received X-Forwarded-For aside (for Next to refill with the socket's address), replacing any value a client put there", () => {
  const response = proxy(
    new NextRequest("http://localhost/api/auth/sign-in/email", {
      method: "POST",
      headers: { "x-forwarded-for": "10.0.0.7", [RECEIVED_FORWARDED_FOR]: "10.0.0.8" },
    }),
  );
  const overridden = response.headers.get("x-middleware-override-headers")!.split(",");
  expect(overridden).not.toContain("x-forwarded-for");
  expect(response.headers.get(`x-middleware-request-${RECEIVED_FORWARDED_FOR}`)).toBe("10.0.0.7");
  // An API response gets no page CSP from here (next.config.js gives the API its own).
  expect(response.headers.get("content-security-policy")).toBeNull();
});

it("drops a client's set-aside header when no X-Forwarded-For came, and does the same on pages", () => {
  const response = proxy(new NextRequest("http://localhost/", { headers: { [RECEIVED_FORWARDED_FOR]: "10.0.0.8" } }));
  const overridden = response.headers.get("x-middleware-override-headers")!.split(",");
  expect(overridden).not.toContain(RECEIVED_FORWARDED_FOR);
  expect(overridden).not.toContain("x-forwarded-for");
  expect(response.headers.get("content-security-policy")).toContain("'nonce-");
});

it("sets X-Forwarded-For aside on prefetches too, without a page nonce", () => {
  const response = proxy(
    new NextRequest("http://localhost/customers/C-1", {
      headers: { "next-router-prefetch": "1", "x-forwarded-for": "10.0.0.7" },
    }),
  );
  expect(response.headers.get(`x-middleware-request-${RECEIVED_FORWARDED_FOR}`)).toBe("10.0.0.7");
  expect(response.headers.get("content-security-policy")).toBeNull();
});

it("sends a path with a malformed escape to a page that does not exist (a 404, where Next's router gave a bare 500)", () => {
  for (const path of ["/customers/%zz", "/opportunities/%C0%AF", "/api/auth/%E2%82"]) {
    const rewrite = proxy(new NextRequest(`http://localhost${path}`)).headers.get("x-middleware-rewrite");
    expect(rewrite, path).toMatch(/^http:\/\/localhost\/_no-such-page$/);
  }
  for (const path of ["/customers/CUST-00001", "/customers/A%20%2F%25B", "/"])
    expect(proxy(new NextRequest(`http://localhost${path}`)).headers.get("x-middleware-rewrite"), path).toBeNull();
});
