import { and, desc, eq, sql } from "drizzle-orm";
import type { DigestRun, DigestRunStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { channels, digestRuns } from "./schema.js";

type Row = typeof digestRuns.$inferSelect;

/** A failed run is retried inside its day, up to this many attempts in all. */
const MAX_ATTEMPTS = 5;

const toRun = (row: Row): DigestRun => ({ ...row, status: row.status as DigestRun["status"] });

export function createDigestRunStore(db: Database): DigestRunStore {
  return {
    async claim(channelId, localDate, kind, owner, now, leaseUntil) {
      // One statement: the unique key makes two claimers meet on one row, and the row lock taken by
      // ON CONFLICT makes the second one see the first one's lease.
      const rows = await db.orm
        .insert(digestRuns)
        .values({
          channelId,
          localDate,
          kind,
          status: "claimed",
          claimedBy: owner,
          leaseUntil,
          attempts: 1,
          startedAt: now,
        })
        .onConflictDoUpdate({
          target: [digestRuns.channelId, digestRuns.localDate, digestRuns.kind],
          set: {
            claimedBy: owner,
            leaseUntil,
            attempts: sql`${digestRuns.attempts} + 1`,
            error: null,
            // A run taken over keeps its header; it is only "claimed" again until it posts.
            status: sql`case when ${digestRuns.headerRef} is null then 'claimed' else 'posting' end`,
          },
          setWhere: sql`${digestRuns.status} in ('claimed', 'posting', 'failed')
            and (${digestRuns.leaseUntil} is null or ${digestRuns.leaseUntil} <= ${now.toISOString()}::timestamptz)
            and ${digestRuns.attempts} < ${MAX_ATTEMPTS}`,
        })
        .returning();
      return rows[0] ? toRun(rows[0]) : null;
    },
    async finish(id, outcome) {
      await db.orm
        .update(digestRuns)
        .set({
          status: outcome.status,
          papersPosted: outcome.papersPosted,
          error: outcome.error,
          finishedAt: outcome.finishedAt,
          leaseUntil: outcome.retryAt ?? null,
        })
        .where(eq(digestRuns.id, id));
    },
    async extend(id, owner, leaseUntil) {
      const rows = await db.orm
        .update(digestRuns)
        .set({ leaseUntil, status: "posting" })
        .where(sql`${digestRuns.id} = ${id} and ${digestRuns.claimedBy} = ${owner}`)
        .returning({ id: digestRuns.id });
      return rows.length > 0;
    },
    async setHeader(id, headerRef) {
      await db.orm.update(digestRuns).set({ headerRef, status: "posting" }).where(eq(digestRuns.id, id));
    },
    async get(channelId, localDate, kind) {
      const rows = await db.orm
        .select()
        .from(digestRuns)
        .where(
          and(
            eq(digestRuns.channelId, channelId),
            eq(digestRuns.localDate, localDate),
            eq(digestRuns.kind, kind),
          ),
        );
      return rows[0] ? toRun(rows[0]) : null;
    },
    async recent(limit, channelId) {
      const rows = await db.orm
        .select({ run: digestRuns, channelRef: channels.channelRef, platform: channels.platform })
        .from(digestRuns)
        .innerJoin(channels, eq(channels.id, digestRuns.channelId))
        .where(channelId === undefined ? undefined : eq(digestRuns.channelId, channelId))
        .orderBy(desc(digestRuns.startedAt), desc(digestRuns.id))
        .limit(limit);
      return rows.map((r) => ({ ...toRun(r.run), channelRef: r.channelRef, platform: r.platform }));
    },
  };
}
