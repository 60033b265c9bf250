import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const script = path.resolve(__dirname, "../../scripts/check-client-bundle.mjs");
const check = (dir: string, env: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [script, dir], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...env } as unknown as NodeJS.ProcessEnv,
  });
  return { status: result.status, output: result.stdout + result.stderr };
};
function bundle(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "client-bundle-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
const CLEAN = 'self.__next_f.push([1,"hello"]);function a(b){return b.amount.toFixed(2)}';

describe("scripts/check-client-bundle.mjs (run by scripts/test.sh after the production build)", () => {
  it("passes a clean bundle", () => {
    expect(check(bundle({ "chunks/app.js": CLEAN }))).toMatchObject({ status: 0 });
  });

  it.each([
    ["the database setting's name", "let u=process.env.DATABASE_URL;"],
    ["the auth secret's name", '"BETTER_AUTH_SECRET"'],
    ["a server-only marker", 'throw Error("This module cannot be imported from a Client Component module.")'],
    ["the Prisma runtime", 'require("@prisma/client/runtime/client")'],
    ["the pg driver", 'module.exports=require("pg-protocol")'],
    ["PGlite", "class PGlite extends BasePGlite{}"],
    ["a scrypt hash", `"${"a1".repeat(16)}:${"b2".repeat(64)}"`],
    ["an API token", `"prk_${"x".repeat(43)}"`],
    ["a database URL with a password", '"postgresql://app:hunter2@db:5432/app"'],
  ])("fails on %s, naming the file", (_, leak) => {
    const result = check(bundle({ "chunks/app.js": CLEAN, "chunks/nested/leak.js": `${CLEAN};${leak}` }));
    expect(result.status).toBe(1);
    expect(result.output).toContain(path.join("nested", "leak.js"));
    expect(result.output).not.toContain("app.js:");
  });

  it("fails on this machine's actual secret values", () => {
    const secret = "s3cr3t-value-0123456789-abcdefghij";
    const result = check(bundle({ "chunks/app.js": `${CLEAN};var k="${secret}"` }), { BETTER_AUTH_SECRET: secret });
    expect(result.status).toBe(1);
    expect(result.output).toContain("BETTER_AUTH_SECRET's value");
    expect(result.output).not.toContain(secret);
  });

  it("fails when there is no build to check", () => {
    expect(check(path.join(tmpdir(), "no-such-next-static")).status).toBe(1);
    expect(check(bundle({ "chunks/readme.txt": "no js" })).status).toBe(1);
  });

  it("the current build's client bundle, if there is one, is clean", (context) => {
    const staticDir = path.resolve(__dirname, "../../.next/static");
    if (!existsSync(staticDir)) {
      console.warn(
        "\n*** .next/static is absent: the client bundle check is SKIPPED here (scripts/test.sh runs it after `next build`). ***\n",
      );
      context.skip();
    }
    const result = check(staticDir, process.env as Record<string, string>);
    expect(result.output).toContain("Client bundle clean");
    expect(result.status).toBe(0);
  });
});
