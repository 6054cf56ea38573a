import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_DEFAULTS, DiscordEmulator, type InteractionOption } from "../emulators/discord.js";
import { type BotProcess, DiscordWorkspace, SAMPLE_PAGE } from "./discord-bot-harness.js";
import {
  activeSyntax,
  answerOf,
  embedsOf,
  expectWithinLimits,
  farFromNow,
  textsOf,
  unescapeMarkdown,
  webhookCalls,
} from "./discord-checks.js";
import { HOSTILE_PAPER, HOSTILE_WORD } from "./hostile-paper.js";

// /papers in a guild, through the wire: the emulator sends INTERACTION_CREATE over the gateway to the
// real bot process and records the callbacks and webhook edits it answers with.

const { channelId, member, moderator } = DISCORD_DEFAULTS;

let emulator: DiscordEmulator;
let workspace: DiscordWorkspace;
let bot: BotProcess | undefined;
/** What `paperboy search compression --json` finds in the same library: the bot must show these. */
let compressionTitles: string[] = [];

const papers = (name: string, options: InteractionOption[] = [], context = {}) =>
  emulator.interaction("papers", [{ type: 1, name, ...(options.length ? { options } : {}) }], context);
const str = (name: string, value: string, focused = false): InteractionOption => ({
  type: 3,
  name,
  value,
  ...(focused ? { focused } : {}),
});

beforeAll(async () => {
  emulator = new DiscordEmulator();
  await emulator.start();
  workspace = await DiscordWorkspace.create(emulator);
  await workspace.ingest(SAMPLE_PAGE);
  await workspace.ingest(workspace.writePapers("hostile.jsonl", [HOSTILE_PAPER]));
  const search = await workspace.cli(["search", "compression", "--json", "--limit", "5"]);
  expect(search.code, search.stderr).toBe(0);
  compressionTitles = (JSON.parse(search.stdout) as { title: string }[]).map((p) => p.title);
  bot = await workspace.startBot();
}, 300_000);

afterAll(async () => {
  await bot?.stop();
  await emulator?.stop();
  await workspace?.close();
}, 60_000);

describe(`/papers in a Discord guild (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("connects with the Guilds, GuildMessages and GuildMessageReactions intents only", async () => {
    await emulator.identified();
    const identify = emulator.gatewayFrames.find((f) => f.direction === "in" && f.op === 2);
    expect(identify?.d).toMatchObject({ token: emulator.token, intents: 1 | (1 << 9) | (1 << 10) });
    expect(bot?.logs.find((l) => l.msg === "discord: connected")).toMatchObject({ guilds: 1 });
  });

  it("answers /papers search topic:compression privately with the corpus's compression papers", async () => {
    expect(compressionTitles).toHaveLength(5);
    const asked = papers("search", [str("topic", "compression")], { userId: member.id });
    const { callback, body, request } = await answerOf(emulator, asked);
    // Deferred at once, ephemeral; then the deferred reply is edited with the answer.
    expect(callback.type).toBe(5);
    expect(callback.data).toMatchObject({ flags: 64 });
    expect(request?.method).toBe("PATCH");
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expectWithinLimits(body);
    const [summary, ...cards] = embedsOf(body);
    expect(summary?.title).toBe('Papers on "compression"');
    expect(cards.map((c) => unescapeMarkdown(c.title ?? ""))).toEqual(compressionTitles);
    for (const card of cards) {
      expect(`${card.title} ${card.description}`).toMatch(/compress/i);
      expect(card.url).toMatch(/^https:\/\//);
    }
    // Only the asker sees it, and they can share it with the channel.
    const original = emulator.messages(channelId).find((m) => m.interaction_metadata?.id === asked.id);
    expect(Number(original?.flags) & 64).toBe(64);
    expect(JSON.stringify(body.components)).toContain('"custom_id":"paperboy_share:search compression"');
  });

  it("shares an answer in the channel with the Share button", async () => {
    const asked = papers("search", [str("topic", "compression")], { userId: member.id });
    await answerOf(emulator, asked);
    const original = emulator.messages(channelId).find((m) => m.interaction_metadata?.id === asked.id);
    const click = emulator.interaction("paperboy_share:search compression", [], {
      type: "button",
      messageId: original?.id,
      userId: member.id,
    });
    const { callback, body } = await answerOf(emulator, click);
    expect(callback.type).toBe(5);
    expect(Number(callback.data?.flags ?? 0) & 64).toBe(0);
    expect(body.content).toBe("Shared by Test User");
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.components ?? []).toEqual([]);
    expect(
      embedsOf(body)
        .slice(1)
        .map((c) => unescapeMarkdown(c.title ?? "")),
    ).toEqual(compressionTitles);
  });

  it("autocompletes the topic from the corpus's words", async () => {
    const typed = emulator.interaction(
      "papers",
      [{ type: 1, name: "search", options: [str("topic", "compr", true)] }],
      { type: "autocomplete", userId: member.id },
    );
    const callback = await typed.response(10_000);
    expect(callback.type).toBe(8);
    const choices = (callback.data?.choices ?? []) as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((c) => c.value)).toContain("compression");
    for (const choice of choices) {
      expect(choice.value).toMatch(/^compr[a-z0-9]*$/);
      expect(choice.name).toBe(choice.value);
    }

    // Only the word being typed is completed; the words before it stay.
    const second = emulator.interaction(
      "papers",
      [{ type: 1, name: "search", options: [str("topic", "kv cache compr", true)] }],
      { type: "autocomplete", userId: member.id },
    );
    const more = ((await second.response(10_000)).data?.choices ?? []) as { value: string }[];
    expect(more.map((c) => c.value)).toContain("kv cache compression");
    for (const choice of more) expect(choice.value).toMatch(/^kv cache compr/);
  });

  it("renders a hostile paper inert: no pings, no masked links, no unsafe links", async () => {
    const asked = papers("search", [str("topic", HOSTILE_WORD)], { userId: member.id });
    const { body } = await answerOf(emulator, asked);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expectWithinLimits(body);
    const card = embedsOf(body).find((e) => unescapeMarkdown(e.title ?? "").startsWith("Zanzibarization"));
    expect(card, JSON.stringify(body)).toBeDefined();
    // What a reader sees is the title as written...
    expect(unescapeMarkdown(card?.title ?? "")).toBe(HOSTILE_PAPER.title);
    // ...but nothing in the message is syntax Discord acts on.
    expect(activeSyntax(textsOf(body.embeds))).toEqual([]);
    expect(card?.url).toBeUndefined();
    const sent = JSON.stringify(body);
    expect(sent).not.toContain("javascript:");
    expect(sent).not.toContain("[click](https://evil.example");
  });

  it("refuses /papers subscribe to a member without Manage Channels, privately", async () => {
    const asked = papers("subscribe", [str("at", farFromNow()), str("tz", "UTC")], { userId: member.id });
    const { callback, body } = await answerOf(emulator, asked);
    // Nobody else ever sees a refusal, not even a "thinking…" placeholder.
    expect(callback.type).toBe(5);
    expect(callback.data).toMatchObject({ flags: 64 });
    expect(embedsOf(body)[0]?.title).toBe("Only admins can change this channel's digest");
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const visible = emulator
      .messages(channelId)
      .filter((m) => m.interaction_metadata?.id === asked.id && (Number(m.flags) & 64) === 0);
    expect(visible).toEqual([]);
  });

  it("subscribes the channel for a Moderators member, visibly", async () => {
    const at = farFromNow();
    const asked = papers(
      "subscribe",
      [str("at", at), str("tz", "UTC"), { type: 4, name: "count", value: 3 }],
      {
        userId: moderator.id,
      },
    );
    const { callback, body } = await answerOf(emulator, asked);
    expect(callback.type).toBe(5);
    expect(Number(callback.data?.flags ?? 0) & 64).toBe(0);
    const [embed] = embedsOf(body);
    expect(embed?.title).toBe("Subscribed: this channel gets a daily paper digest");
    expect(embed?.description).toContain(`When: ${at} UTC, Monday to Friday`);
    expect(embed?.description).toContain("Papers: the top 3");
    const original = emulator.messages(channelId).find((m) => m.interaction_metadata?.id === asked.id);
    expect(Number(original?.flags) & 64).toBe(0);
    expect(webhookCalls(emulator, asked.token)).toEqual(["PATCH /messages/@original"]);

    // A second subscribe updates the settings instead.
    const again = papers("subscribe", [{ type: 5, name: "weekends", value: true }], { userId: moderator.id });
    expect(embedsOf((await answerOf(emulator, again)).body)[0]?.title).toBe("Digest settings updated");
  });

  it("answers a moderator's mistyped option privately, leaving nothing in the channel", async () => {
    const asked = papers("subscribe", [str("at", "25:00")], { userId: moderator.id });
    const callback = await asked.response(10_000);
    // An admin's answer is for the channel, so the placeholder is public at first...
    expect(callback.type).toBe(5);
    expect(Number(callback.data?.flags ?? 0) & 64).toBe(0);
    // ...then dropped, and the mistake explained to the asker alone.
    const followUp = await emulator.waitFor(
      (r) => r.method === "POST" && r.path === `/webhooks/${emulator.applicationId}/${asked.token}`,
      60_000,
    );
    expect(followUp.body).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    expect(embedsOf(followUp.body)[0]?.title).toMatch(/"at" takes a time of day/);
    expect(webhookCalls(emulator, asked.token)).toEqual(["DELETE /messages/@original", "POST /"]);
    const visible = emulator
      .messages(channelId)
      .filter((m) => m.interaction_metadata?.id === asked.id && (Number(m.flags) & 64) === 0);
    expect(visible).toEqual([]);
  });

  it("shows this channel's settings to anyone", async () => {
    const asked = papers("settings", [], { userId: member.id });
    const { callback, body } = await answerOf(emulator, asked);
    expect(callback.data).toMatchObject({ flags: 64 });
    expect(embedsOf(body)[0]?.description).toContain("every day");
    expect(embedsOf(body)[0]?.description).toContain("Papers: the top 3");
  });

  it("stops cleanly on SIGTERM, having logged no error", async () => {
    const running = bot as BotProcess;
    bot = undefined;
    expect(await running.stop()).toEqual({ code: 0, signal: null });
    expect(running.errors, running.describe()).toEqual([]);
  });
});
