import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { PostRecord, PostStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { posts } from "./schema.js";

type Row = typeof posts.$inferSelect;

const toPost = (row: Row): PostRecord => ({
  id: row.id,
  channelId: row.channelId,
  paperId: row.paperId,
  status: row.status as PostRecord["status"],
  messageRef: row.messageRef,
  threadRef: row.threadRef,
  digestRunId: row.digestRunId,
  position: row.position,
});

export function createPostStore(db: Database): PostStore {
  return {
    async reserve(channelId, paperId, digestRunId, position) {
      const rows = await db.orm
        .insert(posts)
        .values({ channelId, paperId, digestRunId, position, status: "queued" })
        // A paper an earlier run reserved but never sent (it gave up) moves to this run.
        .onConflictDoUpdate({
          target: [posts.channelId, posts.paperId],
          set: { digestRunId, position, status: "queued" },
          setWhere: sql`${posts.status} in ('queued', 'failed') and ${posts.digestRunId} is distinct from ${digestRunId}`,
        })
        .returning();
      return rows[0] ? toPost(rows[0]) : null;
    },
    async markSending(postId) {
      const rows = await db.orm
        .update(posts)
        .set({ status: "sending" })
        .where(and(eq(posts.id, postId), inArray(posts.status, ["queued", "failed"])))
        .returning({ id: posts.id });
      return rows.length > 0;
    },
    async markSent(postId, messageRef, threadRef = null) {
      await db.orm
        .update(posts)
        .set({ status: "sent", messageRef, threadRef: threadRef ?? messageRef, postedAt: new Date() })
        .where(eq(posts.id, postId));
    },
    async markFailed(postId) {
      await db.orm.update(posts).set({ status: "failed" }).where(eq(posts.id, postId));
    },
    async release(postId) {
      await db.orm
        .delete(posts)
        .where(and(eq(posts.id, postId), inArray(posts.status, ["queued", "sending", "failed"])));
    },
    async byMessage(channelId, messageRef) {
      const rows = await db.orm
        .select()
        .from(posts)
        .where(and(eq(posts.channelId, channelId), eq(posts.messageRef, messageRef)));
      return rows[0] ? toPost(rows[0]) : null;
    },
    async ofRun(digestRunId) {
      const rows = await db.orm
        .select()
        .from(posts)
        .where(eq(posts.digestRunId, digestRunId))
        .orderBy(asc(posts.position));
      return rows.map(toPost);
    },
    async countReply(channelId, threadRef) {
      const rows = await db.orm
        .update(posts)
        .set({ replyCount: sql`${posts.replyCount} + 1` })
        .where(and(eq(posts.channelId, channelId), eq(posts.threadRef, threadRef)))
        .returning({ id: posts.id });
      return rows.length > 0;
    },
    async byThread(channelId, threadRef) {
      const rows = await db.orm
        .select()
        .from(posts)
        .where(and(eq(posts.channelId, channelId), eq(posts.threadRef, threadRef)))
        .limit(1);
      return rows[0] ? toPost(rows[0]) : null;
    },
    async setThread(postId, threadRef) {
      await db.orm.update(posts).set({ threadRef }).where(eq(posts.id, postId));
    },
  };
}
