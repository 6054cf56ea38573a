import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Channel, ChannelAddress } from "../core/channel.js";
import type { ChannelStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { channels, digestRuns } from "./schema.js";

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

/**
 * Ids a store remembers, at most. A channel's row is never deleted and its id never changes, so an id
 * once found stays right, also when another replica made the row: only "not seen yet" is asked again.
 */
const REMEMBERED_IDS = 10_000;

export function createChannelStore(db: Database): ChannelStore {
  const ids = new Map<string, number>();
  const idKey = (platform: string, channelRef: string) => `${platform}\u0000${channelRef}`;
  const remember = (row: Row) => {
    if (ids.size >= REMEMBERED_IDS) ids.clear();
    ids.set(idKey(row.platform, row.channelRef), row.id);
  };
  const lookup = async (platform: string, channelRef: string): Promise<Row | undefined> => {
    const [row] = await db.orm
      .select()
      .from(channels)
      .where(and(eq(channels.platform, platform), eq(channels.channelRef, channelRef)));
    if (row) remember(row);
    return row;
  };
  const one = async (rows: Row[]) => {
    const row = rows[0];
    if (!row) throw new Error("channel not found");
    return toChannel(row);
  };
  const upsert = async (address: ChannelAddress): Promise<Channel> => {
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
    if (rows[0]) remember(rows[0]);
    return one(rows);
  };
  return {
    ensure: upsert,
    async ensureId(address) {
      return ids.get(idKey(address.platform, address.channelRef)) ?? (await upsert(address)).id;
    },
    async find(platform, channelRef) {
      const row = await lookup(platform, channelRef);
      return row ? toChannel(row) : null;
    },
    async idOf(platform, channelRef) {
      return ids.get(idKey(platform, channelRef)) ?? (await lookup(platform, channelRef))?.id ?? null;
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
    async setNextDigest(id, at, expected) {
      const unchanged =
        expected === undefined
          ? undefined
          : expected === null
            ? isNull(channels.nextDigestAt)
            : // A time set in SQL (now()) has microseconds; a Date read back has milliseconds.
              sql`date_trunc('milliseconds', ${channels.nextDigestAt}) = ${expected.toISOString()}::timestamptz`;
      const rows = await db.orm
        .update(channels)
        .set({ nextDigestAt: at })
        .where(and(eq(channels.id, id), unchanged))
        .returning({ id: channels.id });
      return rows.length > 0;
    },
    async due(now, limit, platforms) {
      if (platforms.length === 0) return [];
      // A run being posted under a live lease (here or on another replica) is someone's work already;
      // one without a lease is free, as claim() treats it.
      const posting = db.orm
        .select({ one: sql`1` })
        .from(digestRuns)
        .where(
          and(
            eq(digestRuns.channelId, channels.id),
            eq(digestRuns.kind, "daily"),
            inArray(digestRuns.status, ["claimed", "posting"]),
            sql`${digestRuns.leaseUntil} > ${now.toISOString()}::timestamptz`,
          ),
        );
      const rows = await db.orm
        .select()
        .from(channels)
        .where(
          and(
            eq(channels.subscribed, true),
            lte(channels.nextDigestAt, now),
            inArray(channels.platform, platforms),
            sql`not exists ${posting}`,
          ),
        )
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
