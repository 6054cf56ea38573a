import { DateTime } from "luxon";

export interface RecapWeek {
  /** The recap day's local date: the weekly run's identity ("YYYY-MM-DD"). */
  key: string;
  /** The digests recapped: local dates in [from, to). */
  from: string;
  to: string;
}

/** A recap is posted with the first digest on or after its day, but not days late, when it's old news. */
const MAX_LATE_DAYS = 2;

/**
 * The week a digest on `localDate` should recap, or null when none is due: the latest recap day
 * (ISO weekday, 1 = Monday) on or before it, covering the seven days before that day.
 */
export function recapWeek(localDate: string, weekday: number): RecapWeek | null {
  const day = DateTime.fromISO(localDate, { zone: "UTC" });
  const late = (day.weekday - weekday + 7) % 7;
  if (late > MAX_LATE_DAYS) return null;
  const key = day.minus({ days: late });
  return {
    key: key.toISODate() as string,
    from: key.minus({ days: 7 }).toISODate() as string,
    to: key.toISODate() as string,
  };
}
