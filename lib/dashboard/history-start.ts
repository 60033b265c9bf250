import "server-only";
import { type CalendarDate, calendarDateAt } from "../gtm/calendar-date";
import { endOfDay } from "../gtm/history-time";
import { configuredTimeZone } from "../today";
import type { PipelineView } from "./pipeline-view";

/**
 * Whether the view's day is before anything was recorded (nothing was in force then), and if
 * so the day history starts (null while nothing is recorded at all). Null for views that read
 * history's span or today's tables.
 */
export async function beforeHistory(view: PipelineView): Promise<{ starts: CalendarDate | null } | null> {
  if (view.query.asOf >= view.today) return null;
  const timeZone = configuredTimeZone();
  const starts = await view.repository.historyStarts();
  if (starts && starts.getTime() < endOfDay(view.query.asOf, timeZone).getTime()) return null;
  return { starts: starts ? calendarDateAt(starts, timeZone) : null };
}
