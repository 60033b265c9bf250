import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseTrustedProxies, withResolvedClientAddress } from "../http/client-address";
import { setReceivedForwardedForAside } from "../http/forwarded-for";
import { describeEachDatabase, type TestDatabase } from "../testing/test-databases";
import { type Auth, createAuth, SIGN_IN_ATTEMPTS_PER_MINUTE } from "./create-auth";
import { createUser } from "./users";

const ORIGIN = "http://pipeline.test";
process.env.BETTER_AUTH_SECRET ??= "test-secret-of-at-least-thirty-two-characters!";

describeEachDatabase("the sign-in rate limit counts the client's real address", (kind) => {
  let db: TestDatabase;
  let auth: Auth;
  const user = { email: "rep@limits.test", role: "rep", ownerId: "rep.one", password: "rep-password-1" };
  // Each suite its own addresses, so that a count left over from the other cannot pass for this one's.
  const net = kind.name.startsWith("PGlite") ? "198.51.100" : "203.0.113";
  const proxyAddress = `${net}.2`;
  const behindProxy = parseTrustedProxies(proxyAddress);

  /** A sign-in as the auth route passes it on: proxy.ts set the sent X-Forwarded-For aside and Next wrote the socket's address. */
  const signIn = (
    socket: string,
    forwardedFor: string | undefined,
    password: string,
    trustedProxies = parseTrustedProxies(undefined),
  ) => {
    const headers = new Headers({ "content-type": "application/json", origin: ORIGIN });
    if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
    setReceivedForwardedForAside(headers);
    headers.set("x-forwarded-for", socket);
    const request = new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: user.email, password }),
    });
    return auth.handler(withResolvedClientAddress(request, trustedProxies));
  };

  beforeAll(async () => {
    db = await kind.create();
    await createUser(db.prisma, user);
    auth = createAuth(db, { baseURL: ORIGIN });
  });
  afterAll(() => db?.dispose());

  it("ignores a rotating X-Forwarded-For from a client that is not a trusted proxy", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i++) statuses.push((await signIn(`${net}.10`, `10.0.0.${i}`, "wrong-password-x")).status);
    expect(statuses.slice(0, SIGN_IN_ATTEMPTS_PER_MINUTE)).toEqual(Array(SIGN_IN_ATTEMPTS_PER_MINUTE).fill(401));
    expect(statuses.slice(SIGN_IN_ATTEMPTS_PER_MINUTE)).toEqual(Array(12 - SIGN_IN_ATTEMPTS_PER_MINUTE).fill(429));
    // Someone at another address, claiming one of the spoofed ones, is not held back.
    expect((await signIn(`${net}.11`, "10.0.0.1", user.password)).status).toBe(200);
  });

  it("behind a trusted proxy, counts each client the proxy names, and only the client's own hop", async () => {
    for (let i = 1; i <= 12; i++)
      expect((await signIn(proxyAddress, `10.9.0.${i}`, "wrong-password-x", behindProxy)).status, `client ${i}`).toBe(
        401,
      );
    const statuses: number[] = [];
    // One client, forging addresses left of the hop the proxy appended.
    for (let i = 1; i <= SIGN_IN_ATTEMPTS_PER_MINUTE + 1; i++)
      statuses.push((await signIn(proxyAddress, `10.8.0.${i}, 10.9.0.77`, "wrong-password-x", behindProxy)).status);
    expect(statuses.at(-1)).toBe(429);
    expect((await signIn(proxyAddress, "10.9.0.78", user.password, behindProxy)).status).toBe(200);
  });

  it.runIf(kind.name === "PostgreSQL")(
    "counts the attempts made through every server process (npm start runs one per core)",
    async () => {
      const address = `${net}.20`;
      const here = [];
      for (let i = 0; i < 3; i++) here.push((await signIn(address, undefined, "wrong-password-x")).status);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "lib/testing/sign-in-attempts.ts", address, "3", user.email, "wrong-password-x"],
        { env: { ...process.env, DATABASE_URL: (db.target as { url: string }).url } },
      );
      expect(here).toEqual([401, 401, 401]);
      // The other process's third attempt is the sixth from this address.
      expect(JSON.parse(stdout)).toEqual([401, 401, 429]);
    },
    30_000,
  );
});
