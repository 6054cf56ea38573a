import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Channel } from "../core/channel.js";
import type { ChannelStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { channels } from "./schema.js";

type Row = typeof channels.$inferSelect;

const toChannel = (row: Row): Channel => ({
  id: row.id,
  platform: row.platform,
  workspaceId: row.workspaceId,
  channelRef: row.channelRef,
  name: row.name,
  subscribed: row.subscribed,
  digestTime: row.digestTime,
  timezone: row.timezone,
  weekdaysOnly: row.weekdaysOnly,
  paperCount: row.paperCount,
  topics: row.topics,
  minUpvotes: row.minUpvotes,
  minScore: row.minScore,
  threads: row.threads,
  nextDigestAt: row.nextDigestAt,
});

export function createChannelStore(db: Database): ChannelStore {
  const one = async (rows: Row[]) => {
    const row = rows[0];
    if (!row) throw new Error("channel not found");
    return toChannel(row);
  };
  return {
    async ensure(address) {
      const rows = await db.orm
        .insert(channels)
        .values({
          platform: address.platform,
          workspaceId: address.workspaceId,
          channelRef: address.channelRef,
          name: address.name ?? null,
        })
        .onConflictDoUpdate({
          target: [channels.platform, channels.channelRef],
          // A no-op update (names only when given) so RETURNING yields the row in one round trip.
          set: { name: sql`coalesce(excluded.name, ${channels.name})` },
        })
        .returning();
      return one(rows);
    },
    async find(platform, channelRef) {
      const rows = await db.orm
        .select()
        .from(channels)
        .where(and(eq(channels.platform, platform), eq(channels.channelRef, channelRef)));
      return rows[0] ? toChannel(rows[0]) : null;
    },
    async byId(id) {
      const rows = await db.orm.select().from(channels).where(eq(channels.id, id));
      return rows[0] ? toChannel(rows[0]) : null;
    },
    async subscribe(id, settings, nextDigestAt) {
      return one(
        await db.orm
          .update(channels)
          .set({ ...settings, subscribed: true, nextDigestAt, updatedAt: new Date() })
          .where(eq(channels.id, id))
          .returning(),
      );
    },
    async unsubscribe(id) {
      return one(
        await db.orm
          .update(channels)
          .set({ subscribed: false, nextDigestAt: null, updatedAt: new Date() })
          .where(eq(channels.id, id))
          .returning(),
      );
    },
    async setNextDigest(id, at) {
      await db.orm.update(channels).set({ nextDigestAt: at }).where(eq(channels.id, id));
    },
    async due(now, limit) {
      const rows = await db.orm
        .select()
        .from(channels)
        .where(and(eq(channels.subscribed, true), lte(channels.nextDigestAt, now)))
        .orderBy(asc(channels.nextDigestAt))
        .limit(limit);
      return rows.map(toChannel);
    },
    async subscribed() {
      const rows = await db.orm
        .select()
        .from(channels)
        .where(eq(channels.subscribed, true))
        .orderBy(asc(channels.id));
      return rows.map(toChannel);
    },
  };
}
