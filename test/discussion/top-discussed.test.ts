import { expect, it } from "vitest";
import { makePaper } from "../../src/core/paper.js";
import type { PostRecord } from "../../src/core/ports.js";
import { createStore } from "../../src/db/store.js";
import { PLAIN, renderReply } from "../../src/platforms/terminal/render-text.js";
import { ManualClock } from "../digests/digest-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { makeCore, postPaper } from "./discussion-harness.js";

describeEachDatabase("/papers top with discussion", (t) => {
  it("lists discussed papers with their reply counts, ties on votes going to the most discussed", async () => {
    // Post times are the database's own, so this test runs at the real time.
    const clock = new ManualClock(new Date());
    const store = createStore(t.db);
    const papers = ["quiet", "talked", "only-talk", "nothing"].map((name, i) =>
      makePaper({ id: `2601.0000${i}`, title: `Paper ${name}`, abstract: `About ${name}.`, source: "arxiv" }),
    );
    await store.papers.upsert(papers, clock.now());
    const posts: PostRecord[] = [];
    for (const [i, paper] of papers.entries()) posts.push(await postPaper(store, "C1", paper.id, `m${i}`));
    const channel = await store.channels.find("slack", "C1");
    const up = (i: number) =>
      store.votes.apply({
        postId: posts[i]?.id ?? 0,
        paperId: papers[i]?.id ?? "",
        platform: "slack",
        userRef: "U1",
        emoji: "+1",
        action: "up",
        added: true,
        eventAt: clock.now(),
      });
    await up(0);
    await up(1);
    for (let n = 0; n < 3; n++) await store.posts.countReply(channel?.id ?? 0, "m1");
    for (let n = 0; n < 2; n++) await store.posts.countReply(channel?.id ?? 0, "m2");

    const core = makeCore(store, clock);
    const reply = await core.command(
      { address: { platform: "slack", workspaceId: "T1", channelRef: "C1" }, userRef: "U1", isAdmin: false },
      "top week",
    );
    expect(reply.papers?.map((c) => [c.title, c.votes, c.replies])).toEqual([
      ["Paper talked", 1, 3],
      ["Paper quiet", 1, 0],
      ["Paper only-talk", 0, 2],
    ]);
    expect(reply.footer).toContain("most discussed");
    expect(renderReply(reply, PLAIN)).toContain("+1 here · 💬 3");
  });
});
