import { expect, type Page, test } from "@playwright/test";
import { assertLocalDatabase } from "./assert-local-database";

assertLocalDatabase();

/** Collects CSP violations two ways: the console (what a person sees in DevTools) and the DOM event. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text()))
      fromConsole.push(`${message.type()}: ${message.text()}`);
  });
  // Runs before any page script (Playwright injects it outside the page's CSP).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return async () => [
    ...fromConsole,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])),
  ];
}

function expectStaticHeaders(headers: Record<string, string>) {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toContain("camera=()");
  // Served over plain http here: no HSTS.
  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(headers["x-powered-by"]).toBeUndefined();
}

test("the dashboard sends the security headers and a nonce CSP, and renders and hydrates with zero CSP violations", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  const response = await page.goto("/");
  const headers = response!.headers();
  expectStaticHeaders(headers);
  const policy = headers["content-security-policy"];
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);

  // Hydrated (the filter form marks itself), so Next's nonced scripts ran.
  await expect(page.locator("form[data-hydrated]")).toBeAttached();
  await expect(page.getByRole("heading", { name: "Pipeline", level: 1 })).toBeVisible();
  // Every script on the page carries this response's nonce (the browser hides the attribute value from the DOM, not the property).
  const scriptNonces = await page
    .locator("script")
    .evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));

  // Recharts draws with inline styles and shows a tooltip on hover.
  const stageChart = page.getByRole("figure").filter({ hasText: "Open pipeline by stage" });
  const bar = stageChart.locator(".recharts-bar-rectangle").first();
  await expect(bar).toBeVisible();
  await bar.hover();
  await expect(stageChart.locator(".recharts-tooltip-wrapper")).toBeVisible();
  await page.waitForTimeout(300);
  expect(await violations()).toEqual([]);

  // A second load gets a different nonce.
  const again = await page.request.get("/");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce!);
});

test("the JSON API sends the security headers and a deny-all CSP, signed in or not", async ({ page, playwright }) => {
  const signedIn = await page.request.get("/api/summary");
  expect(signedIn.status()).toBe(200);
  expectStaticHeaders(signedIn.headers());
  expect(signedIn.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");

  const anonymous = await playwright.request.newContext({
    baseURL: test.info().project.use.baseURL,
    storageState: { cookies: [], origins: [] },
  });
  const refused = await anonymous.get("/api/opportunities?page=-1");
  expect(refused.status()).toBe(401);
  expectStaticHeaders(refused.headers());
  await anonymous.dispose();
});

test("the sign-in page has the same protections", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const violations = await watchCsp(page);
  const response = await page.goto("/sign-in");
  expectStaticHeaders(response!.headers());
  expect(response!.headers()["content-security-policy"]).toMatch(/'nonce-[^']+'/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
  await context.close();
});
