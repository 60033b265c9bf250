// Adds up the Vitest and Playwright JSON reports into one closing line.
import { existsSync, readFileSync } from "node:fs";

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined);
let passed = 0,
  failed = 0,
  skipped = 0;
const vitest = read(".reports/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
}
const playwright = read(".reports/playwright.json");
if (playwright) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
  // Errors outside any test (a web server that did not start, a spec that did not load).
  for (const error of playwright.errors ?? []) console.log(`Playwright: ${error.message?.split("\n")[0]}`);
  failed += playwright.errors?.length ?? 0;
}
const missing = [!vitest && "Vitest", !playwright && "Playwright"].filter(Boolean);
if (missing.length) console.log(`No report from ${missing.join(" and ")}: that stage did not run to the end.`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
