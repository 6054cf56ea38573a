import { PassThrough } from "node:stream";
import { expect, it } from "vitest";
import { runDigest } from "../../src/core/digests/run-digest.js";
import { selectDigestPapers } from "../../src/core/digests/select-papers.js";
import { createStore } from "../../src/db/store.js";
import { PLAIN } from "../../src/platforms/terminal/render-text.js";
import { TERMINAL_CHANNEL, TerminalPlatform } from "../../src/platforms/terminal/terminal-platform.js";
import { ManualClock, quietLogger } from "../digests/digest-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { loadSample, makeCore } from "./discussion-harness.js";

describeEachDatabase("the terminal channel's threads", (t) => {
  it("shows each paper's briefing under it, and answers ask <n> and @paperboy … about <n>", async () => {
    const clock = new ManualClock(new Date("2026-01-14T09:00:00Z"));
    const store = createStore(t.db);
    await loadSample(store, new Date("2026-01-14T08:00:00Z"));
    const core = makeCore(store, clock);
    const channel = await store.channels.ensure(TERMINAL_CHANNEL);
    await store.channels.subscribe(
      channel.id,
      {
        digestTime: "09:00",
        timezone: "UTC",
        weekdaysOnly: false,
        paperCount: 2,
        topics: [],
        minUpvotes: null,
        minScore: null,
        threads: true,
      },
      null,
    );
    const input = new PassThrough();
    const output = new PassThrough();
    let text = "";
    output.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    const ended = new Promise<void>((resolve) => {
      const terminal = new TerminalPlatform({ core, input, output, style: PLAIN, onEnd: resolve });
      void (async () => {
        const subscribed = await store.channels.byId(channel.id);
        if (!subscribed) throw new Error("no channel");
        const digest = {
          store,
          poster: terminal.poster,
          select: selectDigestPapers,
          clock,
          logger: quietLogger,
          owner: "t",
        };
        expect((await runDigest(digest, subscribed)).status).toBe("posted");
        await terminal.start();
        input.end(
          [
            "ask 1 what is the main result?",
            "@paperboy does it discuss quantum chemistry? about 2",
            "ask 7 anything",
            "@paperboy kv cache",
          ].join("\n"),
        );
      })();
    });
    await ended;
    // Under each paper, indented: the briefing's three points, links, related papers and the question.
    const paper1 = text.slice(text.indexOf("[1] "), text.indexOf("[2] "));
    expect(paper1).toMatch(/\n {4}│ In short\n {4}│ What: .+\n {4}│ How: .+\n {4}│ Result: .+/);
    expect(paper1).toMatch(/\n {4}│ More like this:\n {4}│ • /);
    expect(paper1).toMatch(/\n {4}│ 💬 .+\?/);
    const after = text.slice(text.indexOf("ask <n> <question>"));
    expect(after).toMatch(/ {4}│ From “.+”\n {4}│ {3}“.+” — Abstract/);
    expect(after).toContain("│ The paper doesn't say");
    expect(after).toContain("There is no paper [7] on screen");
    expect(after).toMatch(/Papers on "kv cache"/);
  });
});
