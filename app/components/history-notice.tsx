import { beforeHistory } from "@/lib/dashboard/history-start";
import type { PipelineView } from "@/lib/dashboard/pipeline-view";

/** A past day before the first recorded change shows nothing; this says why and how to backfill. */
export async function HistoryNotice({ view }: { view: PipelineView }) {
  const before = await beforeHistory(view);
  if (!before) return null;
  return (
    <div className="notice" role="status" data-testid="history-notice">
      {before.starts ? (
        <>
          History starts on <time dateTime={before.starts}>{before.starts}</time>: import dated snapshots with
          --effective-date to backfill.
        </>
      ) : (
        <>No history is recorded yet: import dated snapshots with --effective-date to backfill.</>
      )}
    </div>
  );
}
