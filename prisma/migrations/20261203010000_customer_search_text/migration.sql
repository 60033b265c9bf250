-- A search matches a customer's name and id lowered (lib/gtm-prisma/pipeline-sql.ts,
-- customerMatchesSearchSql). Kept with the row, lower() runs once per write rather than once per
-- customer in every search statement, and in each of its parallel workers: a broad search of what
-- changed at 1M deals (100,000 customers, matched on both days and again for the end) spent
-- ~75 ms of ~1.1 s lowering them (BENCHMARKS.md, session 18). Versions are written by the
-- triggers with their columns named, so theirs are computed the same way.
ALTER TABLE "customers"
  ADD COLUMN "name_lower" text GENERATED ALWAYS AS (lower("name")) STORED,
  ADD COLUMN "customer_id_lower" text GENERATED ALWAYS AS (lower("customer_id")) STORED;
ALTER TABLE "customer_versions"
  ADD COLUMN "name_lower" text GENERATED ALWAYS AS (lower("name")) STORED,
  ADD COLUMN "customer_id_lower" text GENERATED ALWAYS AS (lower("customer_id")) STORED;
