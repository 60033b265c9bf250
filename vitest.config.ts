import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
    environment: "node",
    // Migrates PGlite and PostgreSQL once per run; test databases are copies of those.
    globalSetup: ["lib/testing/migrated-templates.ts"],
    // Vitest's default is one file at a time on two cores; most files spend much of their time waiting
    // on the PostgreSQL server, so a second file overlaps with it. Each file has its own databases.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `server-only` throws outside a React server bundle; tests import server modules directly.
    alias: { "server-only": path.resolve(__dirname, "lib/testing/empty-module.ts") },
  },
});
