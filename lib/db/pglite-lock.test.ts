import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "./open-database";

describe("PGlite data directory lock", () => {
  let root: string;
  let dataDir: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "pglite-lock-"));
    dataDir = path.join(root, "pglite");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("a second process cannot open a directory this one holds: a clear error naming the directory", async () => {
    const db = await openDatabase(`pglite:${dataDir}`);
    try {
      expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
      const script = path.join(root, "second-process.ts");
      writeFileSync(
        script,
        `import { openDatabase } from ${JSON.stringify(path.resolve(__dirname, "open-database"))};
        openDatabase(${JSON.stringify(`pglite:${dataDir}`)}).then(() => { console.log("OPENED"); process.exit(0); }, (e) => { console.log(e.message); process.exit(3); });`,
      );
      const tsx = path.resolve(__dirname, "../../node_modules/.bin/tsx");
      const child = spawnSync(tsx, [script], {
        encoding: "utf8",
        cwd: path.resolve(__dirname, "../.."),
        timeout: 60_000,
      });
      expect(child.stdout).not.toContain("OPENED");
      expect(child.status).toBe(3);
      expect(child.stdout).toContain(`the data directory ${dataDir} is in use by process ${process.pid}`);
      // Opening it again in this process is refused too.
      await expect(openDatabase(`pglite:${dataDir}`)).rejects.toThrow(/is in use by this process/);
    } finally {
      await db.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const again = await openDatabase(`pglite:${dataDir}`);
    await again.close();
  }, 90_000);

  it("takes over a lock left by a process that no longer runs", async () => {
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("exit", resolve));
    writeFileSync(`${dataDir}.lock`, String(dead.pid));
    const db = await openDatabase(`pglite:${dataDir}`);
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
    await db.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 60_000);
});
