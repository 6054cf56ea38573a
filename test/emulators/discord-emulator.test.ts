/**
 * Proves the Discord emulator against the real discord.js Client (no paperboy code): if these pass,
 * tests that drive the bot through discord.js exercise the same requests and frames as production.
 */
import { once } from "node:events";
import zlib from "node:zlib";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  type MessageReaction,
  Partials,
  PermissionFlagsBits,
  type TextChannel,
  type User,
} from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { DISCORD_DEFAULTS, DiscordEmulator, type DiscordEmulatorOptions } from "./discord.js";

const { guildId, channelId } = DISCORD_DEFAULTS;

let emulator: DiscordEmulator;
let client: Client;

function newClient(
  intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
  extra: Partial<ClientOptions> = {},
) {
  return new Client({
    intents,
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    // The only option needed: discord.js appends /v10 and learns the gateway URL from GET /gateway/bot.
    rest: { api: emulator.apiUrl },
    ...extra,
  });
}

async function startWith(options: DiscordEmulatorOptions = {}): Promise<void> {
  emulator = new DiscordEmulator(options);
  await emulator.start();
  client = newClient();
}

/** Tests that need other client options swap the never-logged-in default client out. */
async function replaceClient(...args: Parameters<typeof newClient>): Promise<void> {
  await client.destroy();
  client = newClient(...args);
}

/** login() resolves on the gateway READY; the client is usable once clientReady fired (all guilds in). */
async function login(): Promise<void> {
  const ready = once(client, Events.ClientReady);
  await client.login(emulator.token);
  await ready;
  await emulator.identified();
}

function onInteraction(handler: (interaction: Interaction) => Promise<unknown>): void {
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => client.emit("error", error as Error));
  });
}

function textChannel(id = channelId): TextChannel {
  return client.channels.cache.get(id) as TextChannel;
}

afterEach(async () => {
  await client?.destroy();
  await emulator?.stop();
});

describe("login and gateway handshake", () => {
  beforeEach(() => startWith());

  it("reaches clientReady and sees the guild, channel, roles and members", async () => {
    await login();
    expect(client.user?.id).toBe(DISCORD_DEFAULTS.bot.id);
    expect(client.application?.id).toBe(DISCORD_DEFAULTS.applicationId);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.name).toBe("Paperboy Test Guild");
    expect(textChannel().name).toBe("general");
    expect(guild?.members.me?.permissions.has(PermissionFlagsBits.ManageChannels)).toBe(false);
    expect(
      guild?.members.cache
        .get(DISCORD_DEFAULTS.owner.id)
        ?.permissions.has(PermissionFlagsBits.ManageChannels),
    ).toBe(true);
    expect(
      guild?.members.cache
        .get(DISCORD_DEFAULTS.moderator.id)
        ?.permissions.has(PermissionFlagsBits.ManageChannels),
    ).toBe(true);
    expect(
      guild?.members.cache
        .get(DISCORD_DEFAULTS.member.id)
        ?.permissions.has(PermissionFlagsBits.ManageChannels),
    ).toBe(false);

    const gatewayBot = emulator.requests.find((r) => r.path === "/gateway/bot");
    expect(gatewayBot?.headers.authorization).toBe(`Bot ${emulator.token}`);
    const identify = emulator.gatewayFrames.find((f) => f.direction === "in" && f.op === 2);
    // Without zlib-sync installed discord.js asks for no compression at all.
    expect(identify?.d).toMatchObject({
      token: emulator.token,
      compress: false,
      shard: [0, 1],
      intents: 1 | (1 << 10),
    });
    const sent = emulator.gatewayFrames
      .filter((f) => f.direction === "out" && f.op === 0)
      .map((f) => [f.t, f.s]);
    expect(sent).toEqual([
      ["READY", 1],
      ["GUILD_CREATE", 2],
    ]);
  });

  it("acknowledges heartbeats", async () => {
    await client.destroy();
    await emulator.stop();
    await startWith({ heartbeatIntervalMs: 20 });
    const acked = new Promise<void>((resolve) =>
      client.on(Events.Debug, (line) => line.includes("Heartbeat acknowledged") && resolve()),
    );
    await login();
    await acked;
    // d is the last sequence number the client saw (null for a beat sent before READY arrived).
    const beat = await emulator.waitForGateway((f) => f.direction === "in" && f.op === 1 && f.d !== null);
    expect(beat.d).toBeGreaterThanOrEqual(2);
  });

  it("rejects a wrong token with Discord's 401 body", async () => {
    await expect(client.login("not-the-token")).rejects.toMatchObject({ code: "TokenInvalid" });
    const request = emulator.requests.find((r) => r.path === "/gateway/bot");
    expect(request?.status).toBe(401);
  });

  it("resumes after a dropped connection and replays what was sent meanwhile", async () => {
    await login();
    const replied = new Promise<string>((resolve) =>
      onInteraction(async (i) => {
        if (!i.isChatInputCommand()) return;
        await i.reply({ content: "still here" });
        resolve(i.commandName);
      }),
    );
    emulator.dropConnection();
    // Dispatched while the socket is down: Discord keeps it for the session and replays it on RESUME.
    emulator.interaction("ping");
    const resume = await emulator.waitForGateway((f) => f.direction === "in" && f.op === 6);
    expect(resume.path).toBe("/resume");
    expect(resume.d).toMatchObject({ token: emulator.token, seq: 2 });
    await emulator.waitForGateway((f) => f.t === "RESUMED");
    expect(await replied).toBe("ping");
  });

  it("closes with 4014 when asking for a privileged intent the app lacks", async () => {
    await client.destroy();
    await emulator.stop();
    await startWith({ privilegedIntents: 0 });
    await replaceClient([GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent]);
    await expect(client.login(emulator.token)).rejects.toThrow(/disallowed intents/i);
  });

  it("routes guild events to the shard (guild_id >> 22) % shard_count", async () => {
    await client.destroy();
    await emulator.stop();
    const guildOn = (shard: bigint) => ((1_000_000_000n + shard) << 22n).toString();
    const guild = (id: string, channel: string) => ({
      id,
      ownerId: DISCORD_DEFAULTS.owner.id,
      channels: [{ id: channel, name: "papers" }],
      members: [{ user: DISCORD_DEFAULTS.owner }],
    });
    await startWith({ shards: 2, guilds: [guild(guildOn(0n), "100"), guild(guildOn(1n), "101")] });
    // discord.js opens one shard unless told "auto" (then it uses `shards` from GET /gateway/bot).
    await replaceClient(undefined, { shards: "auto" });
    await login();
    const identifies = emulator.gatewayFrames
      .filter((f) => f.op === 2)
      .map((f) => (f.d as { shard: number[] }).shard);
    // Both shards connect concurrently, so their IDENTIFYs may arrive in either order.
    expect(identifies.sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(client.guilds.cache.get(guildOn(0n))?.shardId).toBe(0);
    expect(client.guilds.cache.get(guildOn(1n))?.shardId).toBe(1);
    const seenOnShard = new Promise<number | undefined>((resolve) =>
      onInteraction(async (i) => resolve(i.guild?.shardId)),
    );
    const { shard } =
      emulator.dispatch("TYPING_START", {
        channel_id: "101",
        guild_id: guildOn(1n),
        user_id: "1",
        timestamp: 0,
      }) ?? {};
    expect(shard).toBeUndefined(); // dropped: the client has no GuildMessageTyping intent
    emulator.interaction("ping", [], { guildId: guildOn(1n) });
    expect(await seenOnShard).toBe(1);
    expect(emulator.gatewayFrames.find((f) => f.t === "INTERACTION_CREATE")?.shard).toBe(1);
  });
});

describe("interactions", () => {
  beforeEach(async () => {
    await startWith();
    await login();
  });

  it("delivers a sub-command and receives an ephemeral reply as callback type 4 with flags 64", async () => {
    let seen: ChatInputCommandInteraction | undefined;
    onInteraction(async (i) => {
      if (!i.isChatInputCommand()) return;
      seen = i;
      await i.reply({ content: `today: ${i.options.getString("topic")}`, flags: MessageFlags.Ephemeral });
    });
    const { response } = emulator.interaction(
      "papers",
      [{ type: 1, name: "today", options: [{ type: 3, name: "topic", value: "llm" }] }],
      { userId: DISCORD_DEFAULTS.member.id },
    );
    const callback = await response();
    expect(callback.type).toBe(4);
    expect(callback.data).toMatchObject({ content: "today: llm", flags: 64 });
    expect(seen?.options.getSubcommand()).toBe("today");
    expect(seen?.user.id).toBe(DISCORD_DEFAULTS.member.id);
    expect(seen?.memberPermissions?.has(PermissionFlagsBits.ManageChannels)).toBe(false);
  });

  it("answers a second acknowledgement with 40060", async () => {
    const second = new Promise<unknown>((resolve) =>
      onInteraction(async (i) => {
        if (!i.isChatInputCommand()) return;
        await i.reply("first");
        // Bypass discord.js's own "already replied" guard to reach the API.
        await client.rest
          .post(`/interactions/${i.id}/${i.token}/callback`, {
            body: { type: 4, data: { content: "again" } },
            auth: false,
          })
          .catch(resolve);
      }),
    );
    emulator.interaction("ping");
    expect(await second).toMatchObject({ code: 40060, status: 400 });
  });

  it("turns deferReply + editReply into callback type 5 and PATCH @original", async () => {
    onInteraction(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ content: "here are today's papers" });
    });
    const { response, token } = emulator.interaction("papers", [{ type: 1, name: "today" }], {
      userId: DISCORD_DEFAULTS.owner.id,
    });
    expect((await response()).type).toBe(5);
    const edit = await emulator.waitFor(
      (r) => r.method === "PATCH" && r.path.endsWith("/messages/@original"),
    );
    expect(edit.path).toBe(`/webhooks/${DISCORD_DEFAULTS.applicationId}/${token}/messages/@original`);
    expect(edit.body).toMatchObject({ content: "here are today's papers" });
    const original = emulator.messages(channelId).at(-1);
    expect(original).toMatchObject({ content: "here are today's papers", type: 20, flags: 0 });
  });

  it("turns button clicks answered with update / deferUpdate into callback types 7 and 6", async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("more").setLabel("More").setStyle(ButtonStyle.Primary),
    );
    const posted = await textChannel().send({ content: "3 papers", components: [row] });
    onInteraction(async (i) => {
      if (!i.isButton()) return;
      if (i.message.content === "3 papers") await i.update({ content: "6 papers" });
      else await i.deferUpdate();
    });
    const first = emulator.interaction("more", [], { type: "button", messageId: posted.id });
    expect(await first.response()).toMatchObject({ type: 7, data: { content: "6 papers" } });
    expect(emulator.messages(channelId).find((m) => m.id === posted.id)?.content).toBe("6 papers");
    const second = emulator.interaction("more", [], { type: "button", messageId: posted.id });
    expect((await second.response()).type).toBe(6);
  });

  it("answers autocomplete with callback type 8 choices for the focused option", async () => {
    onInteraction(async (i) => {
      if (!i.isAutocomplete()) return;
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.name}=${focused.value}`, value: "llm" }]);
    });
    const { response } = emulator.interaction(
      "papers",
      [{ type: 1, name: "search", options: [{ type: 3, name: "topic", value: "ll", focused: true }] }],
      { type: "autocomplete" },
    );
    const callback = await response();
    expect(callback.type).toBe(8);
    expect(callback.data).toEqual({ choices: [{ name: "topic=ll", value: "llm" }] });
  });

  it("registers commands with ids, reuses them in interactions, and rejects invalid names like Discord", async () => {
    const [registered] = [
      ...((
        await client.application?.commands.set([{ name: "papers", description: "Today's papers" }], guildId)
      )?.values() ?? []),
    ];
    expect(emulator.commandRegistrations[0]).toMatchObject({ scope: "guild", guildId, status: 200 });
    const commandId = new Promise<string>((resolve) =>
      onInteraction(async (i) => resolve(i.isCommand() ? i.commandId : "")),
    );
    emulator.interaction("papers");
    expect(await commandId).toBe(registered?.id);

    const invalid = client.application?.commands.set([{ name: "Bad Name", description: "x" }]);
    const error = await invalid?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).rawError).toMatchObject({
      code: 50035,
      errors: { "0": { name: { _errors: [{ code: "APPLICATION_COMMAND_INVALID_NAME" }] } } },
    });
  });
});

describe("REST from the client", () => {
  beforeEach(async () => {
    await startWith();
    await login();
  });

  it("posts embeds with allowed_mentions and gets a message object back", async () => {
    const sent = await textChannel().send({
      content: `<@${DISCORD_DEFAULTS.member.id}> three new papers`,
      embeds: [{ title: "Attention Is All You Need", description: "arXiv:1706.03762" }],
      allowedMentions: { parse: [] },
    });
    const request = await emulator.waitFor(
      (r) => r.method === "POST" && r.path === `/channels/${channelId}/messages`,
    );
    expect(request.body).toMatchObject({
      allowed_mentions: { parse: [] },
      embeds: [{ title: "Attention Is All You Need" }],
    });
    const [stored] = emulator.messages(channelId);
    expect(stored?.id).toBe(sent.id);
    expect(sent.author.id).toBe(DISCORD_DEFAULTS.bot.id);
    // parse: [] means nobody is pinged, so Discord resolves no mentions.
    expect(stored?.mentions).toEqual([]);
  });

  it("rejects an over-long embed title with 400 / 50035 and the error tree", async () => {
    const error = await textChannel()
      .send({ embeds: [{ title: "x".repeat(257) }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).status).toBe(400);
    expect((error as DiscordAPIError).rawError).toMatchObject({
      code: 50035,
      message: "Invalid Form Body",
      errors: { embeds: { "0": { title: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } },
    });
  });

  it("waits out an injected 429 in the REST queue, then the message arrives", async () => {
    const rateLimits: string[] = [];
    client.rest.on("rateLimited", (info) => rateLimits.push(info.route));
    emulator.rateLimitNext("POST /channels/:channelId/messages", 0.5);
    const sent = await textChannel().send("after the rate limit");
    const attempts = emulator.requests.filter((r) => r.route === "POST /channels/:channelId/messages");
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(rateLimits[0]).toBe("/channels/:id/messages");
    expect(emulator.messages(channelId).map((m) => m.id)).toEqual([sent.id]);
  });

  it("surfaces an injected 403 as DiscordAPIError 50013", async () => {
    emulator.failNext("POST /channels/:id/messages", 403, { message: "Missing Permissions", code: 50013 });
    await expect(textChannel().send("nope")).rejects.toMatchObject({ code: 50013, status: 403 });
  });

  it("fires messageReactionAdd with a partial reaction for an uncached message, which can be fetched", async () => {
    // Without the GuildMessages intent the client never caches this message: the emulator drops the event.
    const message = emulator.messageCreate({
      channelId,
      userId: DISCORD_DEFAULTS.member.id,
      content: "2401.00001",
    });
    expect(emulator.droppedEvents.map((e) => e.t)).toContain("MESSAGE_CREATE");
    const added = once(client, Events.MessageReactionAdd) as Promise<[MessageReaction, User]>;
    emulator.reactionAdd({
      userId: DISCORD_DEFAULTS.member.id,
      channelId,
      messageId: message.id as string,
      emoji: { name: "👍" },
    });
    const [reaction, user] = await added;
    expect(reaction.partial).toBe(true);
    expect(reaction.message.partial).toBe(true);
    expect(reaction.emoji.name).toBe("👍");
    expect(user.id).toBe(DISCORD_DEFAULTS.member.id);
    const fetched = await reaction.fetch();
    expect(fetched.count).toBe(1);
    expect(fetched.message.content).toBe("2401.00001");

    const removed = once(client, Events.MessageReactionRemove) as Promise<[MessageReaction, User]>;
    emulator.reactionRemove({
      userId: DISCORD_DEFAULTS.member.id,
      channelId,
      messageId: message.id as string,
      emoji: { name: "👍" },
    });
    expect((await removed)[1].id).toBe(DISCORD_DEFAULTS.member.id);
  });

  it("starts a thread from a message; the thread takes the message id", async () => {
    const sent = await textChannel().send("Paper of the day");
    const thread = await sent.startThread({ name: "Discuss: paper of the day" });
    expect(thread.id).toBe(sent.id);
    expect(thread.type).toBe(11);
    expect(emulator.requests.at(-1)?.route).toBe("POST /channels/:channelId/messages/:messageId/threads");
  });
});

describe("messages in threads", () => {
  beforeEach(async () => {
    await startWith();
    await replaceClient([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    await login();
  });

  it("delivers a mention in a thread with content, and other messages without (no Message Content intent)", async () => {
    const starter = await textChannel().send("Paper of the day");
    const thread = await starter.startThread({ name: "Discuss" });
    const received = new Promise<string[]>((resolve) => {
      const seen: string[] = [];
      client.on(Events.MessageCreate, (message) => {
        if (message.author.id === client.user?.id) return;
        const mentioned = message.mentions.users.has(client.user?.id ?? "");
        seen.push(`${message.channel.isThread()}:${mentioned}:${message.content}`);
        if (seen.length === 2) resolve(seen);
      });
    });
    const userId = DISCORD_DEFAULTS.member.id;
    emulator.messageCreate({ channelId: thread.id, userId, content: "just chatting" });
    emulator.messageCreate({
      channelId: thread.id,
      userId,
      content: `<@${DISCORD_DEFAULTS.bot.id}> summarize?`,
    });
    expect(await received).toEqual(["true:false:", `true:true:<@${DISCORD_DEFAULTS.bot.id}> summarize?`]);
  });
});

describe("Discord's request limits", () => {
  beforeEach(async () => {
    await startWith();
    await login();
  });

  /** Through the real REST client; resolves with Discord's error body, or undefined on success. */
  const call = (method: "post" | "put", path: string, body: unknown) =>
    client.rest[method](path as `/${string}`, { body }).then(
      () => undefined,
      (error: unknown) => (error as DiscordAPIError).rawError,
    );
  const post = (path: string, body: unknown) => call("post", path, body);

  it("answers over-limit messages with 50035 trees, empty ones with 50006", async () => {
    const at = `/channels/${channelId}/messages`;
    expect(await post(at, { content: "x".repeat(2001) })).toMatchObject({
      code: 50035,
      errors: {
        content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] },
      },
    });
    expect(await post(at, { embeds: Array.from({ length: 11 }, () => ({ title: "t" })) })).toMatchObject({
      errors: { embeds: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } },
    });
    const big = { description: "d".repeat(4000) };
    expect(await post(at, { embeds: [big, big] })).toMatchObject({
      errors: { embeds: { _errors: [{ code: "MAX_EMBED_SIZE_EXCEEDED" }] } },
    });
    expect(await post(at, { content: "" })).toEqual({ message: "Cannot send an empty message", code: 50006 });
    expect(await post(at, { content: "x".repeat(2000) })).toBeUndefined();
    expect(await post("/nope", {})).toEqual({ message: "404: Not Found", code: 0 });
  });

  it("validates bulk command overwrites: option order, choices, option count", async () => {
    const at = `/applications/${DISCORD_DEFAULTS.applicationId}/commands`;
    const option = (name: string, required: boolean) => ({ type: 3, name, description: name, required });
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` }));
    const error = await call("put", at, [
      { name: "papers", description: "ok", options: [option("a", false), option("b", true)] },
      { name: "topics", description: "ok", options: [{ ...option("t", false), choices }] },
      {
        name: "many",
        description: "ok",
        options: Array.from({ length: 26 }, (_, i) => option(`o${i}`, false)),
      },
      { name: "nodesc", description: "" },
    ]);
    expect(error).toMatchObject({
      code: 50035,
      errors: {
        "0": {
          options: {
            "1": { _errors: [{ message: "Required options must be placed before non-required options" }] },
          },
        },
        "1": { options: { "0": { choices: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } },
        "2": { options: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } },
        "3": { description: { _errors: [{ code: "BASE_TYPE_BAD_LENGTH" }] } },
      },
    });
    expect(emulator.commandRegistrations.map((r) => r.status)).toEqual([400]);
  });

  it("edits the bot's message and serves members with roles for permission checks", async () => {
    const sent = await textChannel().send("draft");
    const edited = await sent.edit("final");
    expect(edited.editedTimestamp).not.toBeNull();
    expect(emulator.messages(channelId).map((m) => m.content)).toEqual(["final"]);
    const guild = client.guilds.cache.get(guildId);
    const moderator = await guild?.members.fetch({ user: DISCORD_DEFAULTS.moderator.id, force: true });
    expect(moderator?.permissions.has(PermissionFlagsBits.ManageChannels)).toBe(true);
    expect(emulator.requests.at(-1)?.path).toBe(
      `/guilds/${guildId}/members/${DISCORD_DEFAULTS.moderator.id}`,
    );
  });
});

describe("zlib-stream transport", () => {
  beforeEach(() => startWith());

  it("compresses every frame into one deflate stream when the client asks for compress=zlib-stream", async () => {
    const socket = new WebSocket(`${emulator.gatewayUrl}/?v=10&encoding=json&compress=zlib-stream`);
    const inflate = zlib.createInflate();
    const [data] = (await once(socket, "message")) as [Buffer];
    const text = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      inflate.on("data", (chunk: Buffer) => chunks.push(chunk));
      inflate.write(data);
      inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    expect(data.subarray(-4).toString("hex")).toBe("0000ffff");
    expect(JSON.parse(text)).toMatchObject({ op: 10, d: { heartbeat_interval: 41250 } });
    socket.terminate();
    inflate.close();
  });
});
