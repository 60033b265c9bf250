-- A table page as of a past day sorted by amount or close date (the table's two sort orders,
-- covered on the current table by 20261125000000_covering_sort_indexes) read every version in
-- force that day and sorted them for the first 50: 2.6 s at 1M opportunities with a quarter of
-- history. Walking the versions in sort order and keeping those in force stops after the page:
-- 52 ms (BENCHMARKS.md, "Session 5").

CREATE INDEX "opportunity_versions_amount_opp_id_idx" ON "opportunity_versions" ("amount", "opp_id");
CREATE INDEX "opportunity_versions_close_date_opp_id_idx" ON "opportunity_versions" ("close_date", "opp_id");
