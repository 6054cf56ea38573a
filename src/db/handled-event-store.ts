import { lt, sql } from "drizzle-orm";
import type { HandledEventStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { handledEvents } from "./schema.js";

/** Slack retries within minutes and Discord resends on reconnect: days leave a wide margin. */
const KEEP = "3 days";
/** Each process deletes expired rows on a claim at most this often: an indexed delete, rarely. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export function createHandledEventStore(db: Database): HandledEventStore {
  let prunedAt = Number.NEGATIVE_INFINITY;
  return {
    async claim(platform, eventId) {
      if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
        // Set first, so claims arriving together don't all delete the same rows.
        prunedAt = Date.now();
        await db.orm.delete(handledEvents).where(lt(handledEvents.handledAt, sql`now() - ${KEEP}::interval`));
      }
      // One statement decides between processes: the row is inserted by exactly one claim.
      const rows = await db.orm
        .insert(handledEvents)
        .values({ platform, eventId })
        .onConflictDoNothing()
        .returning({ eventId: handledEvents.eventId });
      return rows.length > 0;
    },
  };
}
