import { createRequire } from "node:module";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "../../proxy";

// next.config.js is CommonJS; its headers() is what `next start` sends.
const nextConfig = createRequire(import.meta.url)("../../next.config.js") as {
  headers: () => Promise<{ source: string; has?: unknown[]; headers: { key: string; value: string }[] }[]>;
};

const directives = (policy: string) =>
  new Map(
    policy.split(";").map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

describe("Content-Security-Policy (proxy.ts)", () => {
  it("gives each page request its own nonce, on the response and on the request Next renders with", () => {
    const first = proxy(new NextRequest("http://localhost/"));
    const second = proxy(new NextRequest("http://localhost/"));
    const policy = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
    expect(nonce, policy).toBeDefined();
    expect(nonce!.length).toBeGreaterThanOrEqual(22); // >= 128 bits
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    // NextResponse.next({ request: { headers } }) forwards overridden request headers as x-middleware-request-*.
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
  });

  it("allows scripts only by nonce, forbids framing, plugins and foreign form targets", () => {
    const policy = directives(proxy(new NextRequest("http://localhost/")).headers.get("content-security-policy")!);
    const scripts = policy.get("script-src")!;
    expect(scripts).toContain("'strict-dynamic'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    // A nonce in style-src would silently disable 'unsafe-inline', which Recharts' inline styles need.
    expect(policy.get("style-src")!.some((value) => value.startsWith("'nonce-"))).toBe(false);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("upgrades insecure requests only when served over https", () => {
    const behindTls = new NextRequest("http://localhost/", { headers: { "x-forwarded-proto": "https" } });
    expect(proxy(behindTls).headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("runs on pages, not on API routes or static assets", () => {
    const source = new RegExp(`^${config.matcher[0].source}$`);
    for (const path of ["/", "/sign-in", "/opportunities/OPP-1", "/admin", "/api"]) expect(path, path).toMatch(source);
    for (const path of [
      "/api/opportunities",
      "/api/auth/sign-in/email",
      "/_next/static/chunks/x.js",
      "/favicon.ico",
      "/icon.svg",
    ])
      expect(path, path).not.toMatch(source);
  });
});

describe("static security headers (next.config.js)", () => {
  it("sends nosniff, a strict referrer policy, a permissions policy and frame denial on every path", async () => {
    const rules = await nextConfig.headers();
    const everywhere = rules.find((rule) => rule.source === "/:path*" && !rule.has)!;
    const headers = Object.fromEntries(everywhere.headers.map((h) => [h.key.toLowerCase(), h.value]));
    expect(headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
    });
    expect(headers["permissions-policy"]).toMatch(/camera=\(\)/);
    expect(headers["strict-transport-security"]).toBeUndefined();
  });

  it("sends HSTS only on https, and a deny-all CSP on the API", async () => {
    const rules = await nextConfig.headers();
    const hsts = rules.find((rule) => rule.headers.some((h) => h.key === "Strict-Transport-Security"))!;
    expect(hsts.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    const api = rules.find((rule) => rule.source === "/api/:path*")!;
    expect(api.headers).toContainEqual({
      key: "Content-Security-Policy",
      value: "default-src 'none'; frame-ancestors 'none'",
    });
  });
});
