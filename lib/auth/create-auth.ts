import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { Database } from "../db/open-database";
import { authSecret } from "./secret";

export const SIGN_IN_ATTEMPTS_PER_MINUTE = 5;

/**
 * Better Auth on our own Prisma client and tables (prisma/migrations/*_auth):
 * email and password only, no self sign-up (users come from `npm run user` or an
 * admin), httpOnly SameSite=Lax cookies, Secure when served over https, and
 * sign-in attempts rate-limited per client address. That address is the one
 * X-Forwarded-For the auth route hands over (app/api/auth, lib/http/client-address.ts):
 * the socket's, or the client behind a proxy listed in TRUSTED_PROXIES.
 */
export function createAuth(db: Database, options: { baseURL?: string } = {}) {
  const baseURL = options.baseURL ?? process.env.BETTER_AUTH_URL;
  return betterAuth({
    appName: "Pipeline Risk",
    baseURL,
    secret: authSecret(db.target),
    database: prismaAdapter(db.prisma, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, autoSignIn: false },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "rep" },
        ownerId: { type: "string", required: false, input: false },
      },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE } },
    },
    // Same-origin requests only: the Origin of a state-changing request must be the host it was sent to.
    trustedOrigins: (request) => [
      ...(baseURL ? [new URL(baseURL).origin] : []),
      ...(request ? [requestOrigin(request)] : []),
    ],
    // Better Auth skips the origin check when NODE_ENV is "test"; ours is always on, so tests prove it.
    advanced: {
      useSecureCookies: baseURL?.startsWith("https://") ?? false,
      disableOriginCheck: false,
      // One resolved address, never a chain: Better Auth reads a single-value header as is.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    telemetry: { enabled: false },
  });
}

function requestOrigin(request: Request): string {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  const protocol = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return `${protocol}://${host}`;
}

export type Auth = ReturnType<typeof createAuth>;
