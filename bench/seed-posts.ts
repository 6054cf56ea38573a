import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { createStore } from "../src/db/store.js";
import { syntheticPapers } from "./synthetic-papers.js";

export interface SeededPost {
  id: number;
  paperId: string;
  /** The Slack ts of the post, which is also its thread's ts. */
  messageRef: string;
}

/**
 * A subscribed Slack channel with `count` of the bot's paper posts in it (status sent, each its own
 * thread), as a digest would have left them: what reactions and thread replies land on.
 */
export async function seedPosts(
  db: Database,
  count: number,
  channelRef = "C111",
  offset = 0,
): Promise<SeededPost[]> {
  const store = createStore(db);
  const make = await syntheticPapers();
  const papers = Array.from({ length: count }, (_, i) => make(offset + i));
  await store.papers.upsert(papers, new Date());
  await db.exec(`insert into channels (platform, workspace_id, channel_ref, name, subscribed)
    values ('slack', 'T111', '${channelRef}', 'random', true) on conflict do nothing`);
  const rows = await db.rows<{ id: number; paper_id: string; message_ref: string }>(sql`
    insert into posts (channel_id, paper_id, status, message_ref, thread_ref, position)
    select c.id, p.id, 'sent', m.ts, m.ts, 0
    from channels c,
      jsonb_array_elements_text(${JSON.stringify(papers.map((p) => p.id))}::jsonb) with ordinality as p(id, n),
      lateral (select '1700000000.' || lpad((${offset} + p.n)::text, 6, '0') as ts) m
    where c.platform = 'slack' and c.channel_ref = ${channelRef}
    returning id, paper_id, message_ref`);
  return rows.map((r) => ({ id: r.id, paperId: r.paper_id, messageRef: r.message_ref }));
}
