import { expect, it } from "vitest";
import { makePaper } from "../../src/core/paper.js";
import { createStore } from "../../src/db/store.js";
import { ManualClock } from "../digests/digest-harness.js";
import { makeCore } from "../discussion/discussion-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

describeEachDatabase("sharing a search answer", (t) => {
  it("re-runs the search, also for a topic named like a command", async () => {
    const clock = new ManualClock(new Date("2026-01-15T00:00:00Z"));
    const store = createStore(t.db);
    await store.papers.upsert(
      [
        makePaper({
          id: "2601.00001",
          title: "Top week subscribe: a paper whose words are command names",
          abstract: "It studies the top week, how to subscribe and which settings matter.",
          source: "arxiv",
        }),
      ],
      clock.now(),
    );
    const core = makeCore(store, clock);
    const context = {
      address: { platform: "slack", workspaceId: "T1", channelRef: "C1" },
      userRef: "U1",
      isAdmin: false,
    };
    for (const topic of ["top week", "subscribe", "settings"]) {
      const asked = await core.command(context, `search ${topic}`);
      expect(asked.title).toBe(`Papers on "${topic}"`);
      expect(asked.shareCommand).toBe(`search ${topic}`);
      // What the Share button runs is what the asker saw.
      const shared = await core.command(context, asked.shareCommand ?? "");
      expect(shared.title).toBe(asked.title);
      expect(shared.papers?.map((p) => p.id)).toEqual(asked.papers?.map((p) => p.id));
    }
  });
});
