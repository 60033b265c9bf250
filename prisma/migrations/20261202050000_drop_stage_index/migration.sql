-- A stage is one of five values, and an open view holds three of them (62% of the deals at 1M):
-- PostgreSQL walked this index into a bitmap of nearly every page where a sequential scan is
-- half the time (what changed for a risk view: 737 ms -> 394 ms for its unchanged deals), and
-- every changed deal paid for one more index entry. No read needs it: the sorted pages and the
-- summaries have their own indexes and rollups.
DROP INDEX "opportunities_stage_idx";
