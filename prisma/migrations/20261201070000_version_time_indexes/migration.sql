-- Statements that look for versions by time or for the current version of a record scanned the
-- whole history, so they grew with it (BENCHMARKS.md, "Issue 14: history at 1M"):
-- - the import's out-of-order check (lib/import/later-changes.ts) asks for versions that end
--   after the import's effective instant, or are current and started after it: none for an
--   import dated in order, found by two index range scans instead of reading every version;
-- - the history triggers close the current version of each changed record: a probe of the
--   current versions' index per changed record instead of a hash join with every version.
-- Partial on purpose: an index on every version's valid_from drew the planner into index scans
-- for the past-day reads (valid_from < a day), which keep most versions and are faster as
-- sequential scans.

CREATE INDEX "opportunity_versions_valid_to_idx" ON "opportunity_versions" ("valid_to") WHERE "valid_to" IS NOT NULL;
CREATE INDEX "opportunity_versions_current_idx" ON "opportunity_versions" ("opp_id") WHERE "valid_to" IS NULL;
CREATE INDEX "opportunity_versions_current_from_idx" ON "opportunity_versions" ("valid_from") WHERE "valid_to" IS NULL;

CREATE INDEX "customer_versions_valid_to_idx" ON "customer_versions" ("valid_to") WHERE "valid_to" IS NOT NULL;
CREATE INDEX "customer_versions_current_idx" ON "customer_versions" ("customer_id") WHERE "valid_to" IS NULL;
CREATE INDEX "customer_versions_current_from_idx" ON "customer_versions" ("valid_from") WHERE "valid_to" IS NULL;
