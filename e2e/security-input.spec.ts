import { request as httpRequest } from "node:http";
import { expect, test } from "@playwright/test";
import { demoUsers } from "../lib/demo/demo-users";
import { SIGN_IN_ATTEMPTS_PER_MINUTE } from "../lib/auth/create-auth";
import { assertLocalDatabase } from "./assert-local-database";

assertLocalDatabase();

const [admin] = demoUsers();
const base = () => new URL(test.info().project.use.baseURL!);

/**
 * A sign-in sent from `localAddress`, another loopback address than the browser's
 * 127.0.0.1: the limit it runs into is that address's alone, so the other specs'
 * sign-ins are untouched, and a rerun picks a fresh address.
 */
function signInFrom(localAddress: string, credentials: { email: string; password: string }, forwardedFor?: string) {
  const body = JSON.stringify(credentials);
  return new Promise<{ status: number; setCookie: string[]; body: string }>((resolve, reject) => {
    const request = httpRequest(
      {
        host: base().hostname,
        port: base().port,
        localAddress,
        method: "POST",
        path: "/api/auth/sign-in/email",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          origin: base().origin,
          ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode!, setCookie: response.headers["set-cookie"] ?? [], body: text }),
        );
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

const randomLoopback = () =>
  `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;

test("a rotating X-Forwarded-For does not get around the sign-in limit, and does not spill onto another address", async () => {
  const attacker = randomLoopback();
  const statuses: number[] = [];
  for (let i = 1; i <= 12; i++) {
    statuses.push(
      (
        await signInFrom(
          attacker,
          { email: "nobody@security-input.test", password: `guess-number-${i}` },
          `10.0.0.${i}`,
        )
      ).status,
    );
  }
  expect(statuses.slice(0, SIGN_IN_ATTEMPTS_PER_MINUTE)).toEqual(Array(SIGN_IN_ATTEMPTS_PER_MINUTE).fill(401));
  expect(statuses.slice(SIGN_IN_ATTEMPTS_PER_MINUTE)).toEqual(Array(12 - SIGN_IN_ATTEMPTS_PER_MINUTE).fill(429));

  // Someone else, even claiming the blocked address in X-Forwarded-For, signs in.
  const someoneElse = await signInFrom(randomLoopback(), admin, attacker);
  expect(someoneElse.status).toBe(200);
});

// As a person would paste them into the address bar.
const offSitePayloads = [
  "/%09/evil.test",
  "/%09%5Cevil.test",
  "//evil.test",
  "/%5Cevil.test",
  "/%0D%0A/evil.test",
  "/.//evil.test",
  "/%2e%2e//evil.test",
  "https://evil.test/",
  "javascript:alert(document.domain)",
];

test("a signed-in user is sent to a page on this site whatever `next` says, never a 500", async ({ request }) => {
  for (const payload of [...offSitePayloads, "/%0A"]) {
    const response = await request.get(`/sign-in?next=${payload}`, { maxRedirects: 0 });
    expect(response.status(), payload).toBe(307);
    const location = response.headers().location;
    expect(new URL(location, base()).origin, `${payload} -> ${location}`).toBe(base().origin);
    expect(new URL(location, base()).pathname, payload).toBe("/");
  }
  const local = await request.get(`/sign-in?next=${encodeURIComponent("/customers/CUST-00001?asOf=2026-12-01")}`, {
    maxRedirects: 0,
  });
  expect(local.headers().location).toBe("/customers/CUST-00001?asOf=2026-12-01");
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in form sends a user to this site after signing in, whatever `next` says", async ({
    page,
    context,
  }) => {
    // The form's own request goes out from another loopback address (see signInFrom), with the real answer and cookie.
    await page.route("**/api/auth/sign-in/email", async (route) => {
      const answer = await signInFrom(randomLoopback(), JSON.parse(route.request().postData()!));
      await route.fulfill({
        status: answer.status,
        headers: { "content-type": "application/json", "set-cookie": answer.setCookie.join("\n") },
        body: answer.body,
      });
    });
    for (const payload of ["/%09/evil.test", "/%09%5Cevil.test"]) {
      await context.clearCookies();
      await page.goto(`/sign-in?next=${payload}`);
      await page.getByLabel("Email").fill(admin.email);
      await page.getByLabel("Password").fill(admin.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("signed-in-as")).toHaveText(`${admin.email} · ${admin.role}`);
      expect(new URL(page.url()).origin, payload).toBe(base().origin);
      expect(new URL(page.url()).pathname, payload).toBe("/");
    }
  });
});

test("a malformed escape in a detail page's path is a 404, not a 500", async ({ page }) => {
  for (const path of [
    "/customers/%zz",
    "/customers/%C0%AF",
    "/opportunities/%C0%AF",
    "/opportunities/%zz",
    "/opportunities/%E2%82",
  ]) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" }), path).toBeVisible();
  }
});
