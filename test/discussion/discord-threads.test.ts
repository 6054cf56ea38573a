import { once } from "node:events";
import { type Client, Events } from "discord.js";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runDigest } from "../../src/core/digests/run-digest.js";
import { selectDigestPapers } from "../../src/core/digests/select-papers.js";
import { createStore } from "../../src/db/store.js";
import { createDiscordClient } from "../../src/platforms/discord/discord-platform.js";
import { createDiscordPoster } from "../../src/platforms/discord/discord-poster.js";
import { withDiscordThreads } from "../../src/platforms/discord/discord-thread-poster.js";
import { registerMentions } from "../../src/platforms/discord/register-mentions.js";
import { ManualClock, quietLogger } from "../digests/digest-harness.js";
import { DISCORD_DEFAULTS, DiscordEmulator } from "../emulators/discord.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { loadSample, makeCore } from "./discussion-harness.js";

const { channelId, member, bot } = DISCORD_DEFAULTS;

describeEachDatabase("Discord threads: briefings, mentions, replies and the recap image", (t) => {
  let emulator: DiscordEmulator;
  let client: Client;
  beforeEach(async () => {
    emulator = new DiscordEmulator();
    await emulator.start();
    // paperboy's own client: the intents (GuildMessages for mentions), partials and mention rules it runs with.
    client = createDiscordClient(emulator.apiUrl, {});
  });
  afterEach(async () => {
    await client.destroy();
    await emulator.stop();
  });

  it("starts a thread per paper with its briefing, answers mentions there and counts replies", async () => {
    const clock = new ManualClock(new Date("2026-01-14T09:00:00Z"));
    const store = createStore(t.db);
    await loadSample(store, new Date("2026-01-14T08:00:00Z"));
    const core = makeCore(store, clock);
    registerMentions(client, core, quietLogger);
    const ready = once(client, Events.ClientReady);
    await client.login(emulator.token);
    await ready;
    await emulator.identified();

    const channel = await store.channels.ensure({
      platform: "discord",
      workspaceId: DISCORD_DEFAULTS.guildId,
      channelRef: channelId,
    });
    const subscribed = await store.channels.subscribe(
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
    const poster = withDiscordThreads(createDiscordPoster(client), client);
    const digest = { store, poster, select: selectDigestPapers, clock, logger: quietLogger, owner: "t" };
    expect((await runDigest(digest, subscribed)).status).toBe("posted");
    const run = await store.digestRuns.get(channel.id, "2026-01-14", "daily");
    const [first] = await store.posts.ofRun(run?.id ?? 0);
    // The thread takes the paper message's id, and holds the briefing.
    expect(first?.threadRef).toBe(first?.messageRef);
    const threadId = first?.threadRef ?? "";
    const [briefing] = emulator.messages(threadId);
    expect(briefing?.embeds[0]?.title).toBe("In short");
    expect(briefing?.embeds[0]?.description).toMatch(
      /• \*\*What:\*\* .+\n• \*\*How:\*\* .+\n• \*\*Result:\*\* /,
    );

    emulator.messageCreate({ channelId: threadId, userId: member.id, content: "interesting!" });
    emulator.messageCreate({ channelId: threadId, userId: member.id, content: `<@${bot.id}> summary` });
    await expect.poll(() => emulator.messages(threadId).length, { timeout: 10_000 }).toBe(2);
    const answer = emulator.messages(threadId)[1];
    expect(answer?.embeds[0]?.title).toMatch(/^In short: “/);
    expect(answer?.embeds[0]?.description).toContain("What:");
    await expect.poll(async () => (await store.papers.get(first?.paperId ?? ""))?.replies).toBe(2);

    // Outside any thread, a mention is a search.
    emulator.messageCreate({ channelId, userId: member.id, content: `<@${bot.id}> kv cache compression` });
    await expect
      .poll(() => emulator.messages(channelId).some((m) => m.embeds[0]?.title?.startsWith("Papers on")), {
        timeout: 10_000,
      })
      .toBe(true);

    const sentId = await poster.postImage?.(
      subscribed,
      { visibility: "channel", tone: "info", title: "The week in papers", lines: ["Most upvoted:"] },
      {
        png: new Uint8Array([137, 80, 78, 71]),
        filename: "weekly.png",
        altText: "chart",
        width: 1,
        height: 1,
      },
    );
    const upload = emulator.requests.find(
      (r) =>
        r.route === "POST /channels/:channelId/messages" &&
        JSON.stringify(r.body).includes("attachment://weekly.png"),
    );
    expect(upload?.status).toBe(200);
    expect(sentId).toBeTruthy();
  });
});
