-- The dashboard's at-risk trend reads, for each of twelve days, the open high-churn groups of the
-- history rollup standing then (at-risk-trend-sql.ts, atRiskTrendFromRollupsSql): a third of
-- each rollup's rows. 257 ms -> 122 ms at 1M deals (BENCHMARKS.md, session 6).
CREATE INDEX "history_rollup_at_risk_idx" ON "history_rollup" ("at", "close_date")
  WHERE "high_churn" AND "stage" IN ('prospecting', 'qualification', 'proposal');
