#!/usr/bin/env node
// Fails when the browser bundle (.next/static/**/*.js, what anyone can download) contains
// a secret or a sign that a server-only module was bundled for the client.
// Usage: node scripts/check-client-bundle.mjs [staticDir]   (run after `next build`)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Literal strings that only server code has any business containing. */
export const FORBIDDEN_STRINGS = [
  ["DATABASE_URL", "the database connection setting"],
  ["BETTER_AUTH_SECRET", "the session signing secret's name"],
  ["server-only", 'a module marked `import "server-only"` (or the marker package itself)'],
  ["cannot be imported from a Client Component", "the server-only marker package's client stub"],
  ["@prisma/client/runtime", "the Prisma runtime"],
  ["PrismaClient", "the Prisma client"],
  ["pg-protocol", "the PostgreSQL wire protocol driver"],
  ["PGlite", "the embedded database"],
  ["better-auth/adapters", "the auth database adapter"],
  ["demo-admin-2026", "a demo password (lib/demo)"],
];

/** Shapes of secrets and credentials. */
export const FORBIDDEN_PATTERNS = [
  [/\b[0-9a-f]{32}:[0-9a-f]{128}\b/, "a scrypt password hash (Better Auth's salt:key)"],
  [/\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/, "a bcrypt password hash"],
  [/\$argon2id?\$/, "an argon2 password hash"],
  [/\bprk_[A-Za-z0-9_-]{43}\b/, "an API token"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/postgres(?:ql)?:\/\/[^\s"'`]*:[^\s"'`@]+@/, "a database URL with a password"],
];

/** Secret values this machine actually holds: the configured ones and the embedded database's generated key. */
export function localSecrets(env = process.env, dataDir = "data") {
  const secrets = [];
  if (env.BETTER_AUTH_SECRET) secrets.push(["BETTER_AUTH_SECRET's value", env.BETTER_AUTH_SECRET]);
  for (const name of ["DATABASE_URL", "TEST_DATABASE_URL"]) {
    try {
      const password = env[name] ? decodeURIComponent(new URL(env[name]).password) : "";
      if (password.length >= 6) secrets.push([`the password in ${name}`, password]);
    } catch {}
  }
  if (existsSync(dataDir)) {
    for (const file of readdirSync(dataDir).filter((name) => name.endsWith(".auth-secret"))) {
      const value = readFileSync(path.join(dataDir, file), "utf8").trim();
      if (value.length >= 16) secrets.push([`the generated auth secret ${path.join(dataDir, file)}`, value]);
    }
  }
  return secrets;
}

function* jsFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(full);
    else if (/\.(m?js)$/.test(entry.name)) yield full;
  }
}

/** Every finding as `file: what (matched text)`; empty when the bundle is clean. */
export function scanClientBundle(staticDir, secrets = localSecrets()) {
  const findings = [];
  let files = 0;
  for (const file of jsFiles(staticDir)) {
    files++;
    const text = readFileSync(file, "utf8");
    for (const [needle, what] of FORBIDDEN_STRINGS)
      if (text.includes(needle)) findings.push(`${file}: ${what} ("${needle}")`);
    for (const [pattern, what] of FORBIDDEN_PATTERNS) {
      const match = pattern.exec(text);
      if (match) findings.push(`${file}: ${what} ("${match[0].slice(0, 12)}…")`);
    }
    for (const [what, value] of secrets) if (text.includes(value)) findings.push(`${file}: ${what}`);
  }
  return { files, findings };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const staticDir = process.argv[2] ?? ".next/static";
  if (!existsSync(staticDir)) {
    console.error(`${staticDir} does not exist: run \`npx next build\` first.`);
    process.exit(1);
  }
  const { files, findings } = scanClientBundle(staticDir);
  if (files === 0) {
    console.error(`No JavaScript under ${staticDir}: the build did not produce a client bundle.`);
    process.exit(1);
  }
  if (findings.length) {
    console.error(`The client bundle exposes server-only code or secrets (${findings.length}):`);
    for (const finding of findings) console.error(`  ${finding}`);
    process.exit(1);
  }
  console.log(`Client bundle clean: ${files} JavaScript files under ${staticDir}, no secrets or server-only modules.`);
}
