import { DateTime } from "luxon";
import type { Channel } from "../channel.js";

type Schedule = Pick<Channel, "digestTime" | "timezone" | "weekdaysOnly">;

const isSendingDay = (day: DateTime, weekdaysOnly: boolean) => !weekdaysOnly || day.weekday <= 5;

/** The UTC instant of a channel's digest time on a local date. A time skipped by DST moves forward. */
export function digestInstant(schedule: Schedule, localDate: string): Date {
  const [hour, minute] = schedule.digestTime.split(":").map(Number);
  const local = DateTime.fromISO(localDate, { zone: schedule.timezone }).set({
    hour,
    minute,
    second: 0,
    millisecond: 0,
  });
  return local.toJSDate();
}

/** The channel's local date at an instant ("YYYY-MM-DD"). */
export function localDateAt(timezone: string, at: Date): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate() as string;
}

/**
 * The first digest instant strictly after `after`, on a sending day. Computed from local dates, so
 * a DST change shifts the UTC instant and never yields two digests or none.
 */
export function nextDigestAt(schedule: Schedule, after: Date): Date {
  let day = DateTime.fromJSDate(after, { zone: schedule.timezone }).startOf("day");
  for (let i = 0; i < 9; i++, day = day.plus({ days: 1 })) {
    if (!isSendingDay(day, schedule.weekdaysOnly)) continue;
    const at = digestInstant(schedule, day.toISODate() as string);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error("no sending day within a week");
}

/** The last digest instant at or before `at` on a sending day, within the past week. */
export function latestDigestAt(schedule: Schedule, at: Date): Date | null {
  let day = DateTime.fromJSDate(at, { zone: schedule.timezone }).startOf("day");
  for (let i = 0; i < 8; i++, day = day.minus({ days: 1 })) {
    if (!isSendingDay(day, schedule.weekdaysOnly)) continue;
    const instant = digestInstant(schedule, day.toISODate() as string);
    if (instant.getTime() <= at.getTime()) return instant;
  }
  return null;
}

/** Whether a due digest at `now` is still for the same local day it was scheduled for (else it is stale). */
export function isSameLocalDay(timezone: string, scheduledAt: Date, now: Date): boolean {
  return localDateAt(timezone, scheduledAt) === localDateAt(timezone, now);
}
