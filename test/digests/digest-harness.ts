import type { Channel } from "../../src/core/channel.js";
import type { DigestPoster } from "../../src/core/chat-platform.js";
import { selectDigestPapers } from "../../src/core/digests/select-papers.js";
import { makePaper, type Paper } from "../../src/core/paper.js";
import type { Clock, Logger, Store } from "../../src/core/ports.js";
import type { PaperCard } from "../../src/core/reply.js";
import { DigestScheduler, type SchedulerDeps } from "../../src/scheduler/digest-scheduler.js";

/** A clock the test moves by hand: no sleeping, no real time. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export const quietLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

let messageCounter = 0;

/** Stands where a platform would: records what a digest sends, in order, and can be told to fail or hang. */
export class RecordingPoster implements DigestPoster {
  readonly headers: string[] = [];
  readonly papers: { channel: string; paperId: string }[] = [];
  /** Called before each paper; may throw (a platform error) or never resolve (a process killed mid-send). */
  beforePaper: (card: PaperCard, index: number) => Promise<void> = async () => {};

  async postHeader(channel: Channel): Promise<string> {
    this.headers.push(channel.channelRef);
    return `h${this.headers.length}`;
  }

  async postPaper(channel: Channel, card: PaperCard) {
    await this.beforePaper(card, this.papers.length);
    this.papers.push({ channel: channel.channelRef, paperId: card.id });
    // Unique across instances, as a platform's message ids are.
    return { messageRef: `m${++messageCounter}-${channel.channelRef}` };
  }

  postedTo(channelRef: string): string[] {
    return this.papers.filter((p) => p.channel === channelRef).map((p) => p.paperId);
  }
}

export function scheduler(
  store: Store,
  poster: DigestPoster,
  clock: Clock,
  owner = "process-a",
  options: Pick<SchedulerDeps, "dueBatch"> = {},
): DigestScheduler {
  return new DigestScheduler({
    store,
    posters: new Map([["slack", poster]]),
    select: selectDigestPapers,
    clock,
    logger: quietLogger,
    owner,
    ...options,
  });
}

/** `n` papers featured on a day, with descending upvotes so the order is known. */
export function papersOn(day: string, n: number, prefix = "2601"): Paper[] {
  return Array.from({ length: n }, (_, i) =>
    makePaper({
      id: `${prefix}.${String(10000 + i)}`,
      title: `Paper ${i} featured ${day}`,
      abstract: `An abstract about topic ${i}.`,
      source: "huggingface",
      featuredOn: day,
      hfUpvotes: 100 - i,
    }),
  );
}

export async function subscribeChannel(
  store: Store,
  channelRef: string,
  now: Date,
  settings: Partial<Pick<Channel, "digestTime" | "timezone" | "weekdaysOnly" | "paperCount" | "topics">> = {},
): Promise<Channel> {
  const { nextDigestAt } = await import("../../src/core/digests/schedule.js");
  const channel = await store.channels.ensure({ platform: "slack", workspaceId: "T1", channelRef });
  const full = {
    digestTime: "09:00",
    timezone: "UTC",
    weekdaysOnly: true,
    paperCount: 3,
    topics: [],
    minUpvotes: null,
    minScore: null,
    threads: true,
    ...settings,
  };
  return store.channels.subscribe(channel.id, full, nextDigestAt(full, now));
}
