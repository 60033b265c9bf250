-- What changed no longer looks deals up by creation: a deal that changed between two days has
-- its later state begun in the window (the current versions' index by valid_from, or the ended
-- versions' by valid_to; pipeline-changes-sql.ts), creations included. Nothing reads this index
-- now, and every first version paid for it.
DROP INDEX IF EXISTS "opportunity_versions_created_idx";
