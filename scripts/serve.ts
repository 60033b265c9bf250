/**
 * `npm start`: `next start` of the production build, in as many processes as
 * serverProcessCount says, sharing one port through node:cluster (the primary accepts
 * connections and hands them to the workers in turn). Arguments go to `next start`
 * (`npm start -- -p 8080`). When a worker dies the others are stopped and the exit code
 * passed on, as a single `next start` would: restarting is the supervisor's job.
 */
import cluster from "node:cluster";
import { createRequire } from "node:module";
import { parseDatabaseUrl } from "../lib/db/database-url";
import { serverProcessCount } from "../lib/server/server-processes";

const workers = serverProcessCount(parseDatabaseUrl(process.env.DATABASE_URL));
cluster.setupPrimary({
  exec: createRequire(import.meta.url).resolve("next/dist/bin/next"),
  args: ["start", ...process.argv.slice(2)],
  // The workers run plain Node: tsx's loader, which runs this script, is not theirs.
  execArgv: [],
});
if (workers > 1) console.log(`[serve] ${workers} server processes (WEB_CONCURRENCY) on one port`);

let stopping = false;
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
}

cluster.on("exit", (worker, code, signal) => {
  if (!stopping) {
    console.error(
      `[serve] server process ${worker.process.pid} ended (${signal ?? `exit ${code}`}); stopping the rest`,
    );
    stop(code || 1);
  }
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(0));
for (let i = 0; i < workers; i++) cluster.fork();
