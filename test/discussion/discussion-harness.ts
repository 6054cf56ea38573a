import type { DiscussionDeps } from "../../src/core/discussion/answer-question.js";
import type { Paper } from "../../src/core/paper.js";
import { createPaperboy, type Paperboy } from "../../src/core/paperboy.js";
import type { Clock, PostRecord, Store } from "../../src/core/ports.js";
import { DEFAULT_EMOJI_ACTIONS } from "../../src/core/votes/emoji-actions.js";
import { quietLogger } from "../digests/digest-harness.js";
import { samplePapers } from "../helpers/sample-papers.js";

/** The bundled sample page's papers, parsed by the file source, stored, and returned by title. */
export async function loadSample(store: Store, now: Date): Promise<Paper[]> {
  const papers = await samplePapers();
  await store.papers.upsert(papers, now);
  return papers;
}

export function byTitle(papers: Paper[], start: string): Paper {
  const paper = papers.find((p) => p.title.startsWith(start));
  if (!paper) throw new Error(`no sample paper titled "${start}…"`);
  return paper;
}

export function makeCore(store: Store, clock: Clock, discussion?: DiscussionDeps): Paperboy {
  return createPaperboy({
    store,
    clock,
    logger: quietLogger,
    admins: [],
    defaults: { timezone: "UTC", digestTime: "09:00" },
    emojiActions: new Map(Object.entries(DEFAULT_EMOJI_ACTIONS)),
    ...(discussion ? { discussion } : {}),
  });
}

/** A paper posted in a Slack channel as a digest would leave it: sent, its thread keyed by the message ts. */
export async function postPaper(
  store: Store,
  channelRef: string,
  paperId: string,
  messageRef: string,
): Promise<PostRecord> {
  const channel = await store.channels.ensure({ platform: "slack", workspaceId: "T1", channelRef });
  const post = await store.posts.reserve(channel.id, paperId, null, 0);
  if (!post) throw new Error(`${paperId} was already posted in ${channelRef}`);
  await store.posts.markSending(post.id);
  await store.posts.markSent(post.id, messageRef);
  return { ...post, status: "sent", messageRef, threadRef: messageRef };
}

/** A question without an event id, so always answered (never null). */
export async function ask(core: Paperboy, channelRef: string, threadRef: string | null, text: string) {
  const reply = await core.mention({
    platform: "slack",
    channelRef,
    threadRef,
    userRef: "U1",
    text: `<@UBOT> ${text}`,
  });
  if (!reply) throw new Error("a mention without an event id went unanswered");
  return reply;
}

/** Everything a reply says, as one string, for content checks. */
export const said = (reply: { title: string; lines?: string[]; footer?: string }) =>
  [reply.title, ...(reply.lines ?? []), reply.footer ?? ""].join("\n");
