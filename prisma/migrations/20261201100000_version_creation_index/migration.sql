-- What changed reads only the deals that changed between its two days (pipeline-changes-sql.ts):
-- those with a version ended in the window (opportunity_versions_valid_to_idx) and those
-- created in it. A deal's first version (of each life) starts at its first_seen, so this
-- index holds exactly the creations. Partial, so that no query about which version is in
-- force at an instant can take it for an index on valid_from (an index on every version's
-- valid_from made past-day reads slower, BENCHMARKS.md "Session 5").
CREATE INDEX "opportunity_versions_created_idx" ON "opportunity_versions" ("valid_from") WHERE "valid_from" = "first_seen";
