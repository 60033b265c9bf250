// Lint: typescript-eslint, React hooks, Next's rules, and the architecture's one-way
// dependencies (no import cycles between files, no folder importing a folder above it).
import nextPlugin from "@next/eslint-plugin-next";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

/** Each folder and what it must never import: together a layering, so folders cannot import each other in a circle. */
const LAYERS = {
  "lib/gtm": [
    "lib/db",
    "lib/gtm-prisma",
    "lib/auth",
    "lib/api",
    "lib/export",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "lib/csv",
    "lib/view",
    "app",
  ],
  "lib/view": [
    "lib/db",
    "lib/gtm-prisma",
    "lib/auth",
    "lib/api",
    "lib/export",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "app",
  ],
  "lib/http": [
    "lib/db",
    "lib/gtm-prisma",
    "lib/auth",
    "lib/api",
    "lib/export",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "app",
  ],
  "lib/csv": [
    "lib/db",
    "lib/gtm-prisma",
    "lib/auth",
    "lib/api",
    "lib/export",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "app",
  ],
  "lib/db": [
    "lib/gtm-prisma",
    "lib/auth",
    "lib/api",
    "lib/export",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "app",
  ],
  "lib/gtm-prisma": [
    "lib/auth",
    "lib/api",
    "lib/export",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "app",
  ],
  "lib/export": [
    "lib/gtm-prisma",
    "lib/auth",
    "lib/api",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "app",
  ],
  "lib/auth": [
    "lib/gtm-prisma",
    "lib/api",
    "lib/export",
    "lib/import",
    "lib/dashboard",
    "lib/demo",
    "lib/server",
    "app",
  ],
  "lib/import": ["lib/auth", "lib/api", "lib/export", "lib/dashboard", "lib/demo", "lib/server", "app"],
  "lib/api": ["lib/import", "lib/dashboard", "lib/demo", "lib/server", "app"],
  "lib/dashboard": ["lib/import", "lib/api", "lib/demo", "lib/server", "app"],
  "lib/demo": ["lib/api", "lib/dashboard", "lib/server", "app"],
  "lib/server": ["app"],
};

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/db/generated/**",
      "data/**",
      ".reports/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mts,mjs}"],
    plugins: { "import-x": importX, "react-hooks": reactHooks, "@next/next": nextPlugin },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
      // no-cycle follows imports into other files, which it must parse as TypeScript too.
      "import-x/extensions": [".ts", ".tsx", ".mts", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx", ".mts"] },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      // TanStack Table's hook returns fresh functions by design; the table component is not memoized.
      "react-hooks/incompatible-library": "off",
      "import-x/no-cycle": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests may reach across layers to set up data; the code they test may not.
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "lib/testing/**"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: Object.entries(LAYERS).map(([target, from]) => ({
            target: `./${target}`,
            from: from.map((folder) => `./${folder}`),
            message: "folders depend one way (eslint.config.mjs LAYERS)",
          })),
        },
      ],
    },
  },
);
