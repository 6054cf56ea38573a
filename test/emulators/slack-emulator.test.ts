import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type Logger, LogLevel, SocketModeReceiver, webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixtureJson, fixtureText } from "./slack/fixtures.js";
import { Recorder } from "./slack/recorder.js";
import { SlackEmulator, slackSignature } from "./slack.js";

// These tests prove the emulator against the real Slack clients (Bolt, WebClient, SocketModeClient);
// no paperboy code is involved.

let emulator: SlackEmulator;
const apps: App[] = [];

beforeEach(async () => {
  emulator = new SlackEmulator();
  await emulator.start();
});

afterEach(async () => {
  // Apps first: a SocketModeClient whose server vanished would start reconnecting.
  for (const app of apps.splice(0)) await app.stop();
  await emulator.socketDisconnected();
  await emulator.stop();
});

function webClient(token = emulator.botToken) {
  // rapidRetryPolicy only shortens p-retry's own backoff; the Retry-After wait still happens.
  return new webApi.WebClient(token, {
    slackApiUrl: emulator.apiUrl,
    retryConfig: webApi.retryPolicies.rapidRetryPolicy,
    logLevel: LogLevel.ERROR,
  });
}

/** Listeners push here; tests await what they expect instead of sleeping. */
function signal<T>() {
  const log = new Recorder<T>();
  const next = (match: (item: T) => boolean = () => true) =>
    log.waitFor(match, 5_000, 0, () => `listener saw ${log.items.length} calls`);
  return { log, push: (item: T) => log.push(item), next };
}

/** SocketModeClient.start() waits for hello forever; fail in seconds instead of at the test timeout. */
async function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms}ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects log lines instead of printing them: a dropped socket makes the client log an error on purpose. */
function quietLogger(lines: string[] = []): Logger {
  const log = (...message: unknown[]) => void lines.push(message.map(String).join(" "));
  return {
    debug: () => {},
    info: log,
    warn: log,
    error: log,
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof webApi.WebAPIPlatformError))
    throw new Error(`expected a platform error, got ${error}`);
  return error.data.error;
}

describe("the Web API, through the real WebClient", () => {
  it("posts, updates, links, reacts and answers the info methods", async () => {
    const client = webClient();
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Paper*" } }];
    const first = await client.chat.postMessage({ channel: "C111", text: "hello", blocks });
    const reply = await client.chat.postMessage({ channel: "C111", text: "in thread", thread_ts: first.ts });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ text: "hello", bot_id: emulator.workspace.botId, type: "message" });
    expect(first.message?.blocks?.[0]?.block_id).toMatch(/^\w{5}$/);
    expect(reply.message).toMatchObject({
      thread_ts: first.ts,
      parent_user_id: emulator.workspace.botUserId,
    });
    // The WebClient sends blocks as a JSON string in a form field; the emulator decodes it.
    expect(emulator.posted("C111")[0]?.blocks).toEqual(blocks);

    const updated = await client.chat.update({ channel: "C111", ts: String(first.ts), text: "edited" });
    expect(updated.message?.text).toBe("edited");
    expect(emulator.message("C111", String(first.ts))?.text).toBe("edited");
    expect(await errorOf(client.chat.update({ channel: "C111", ts: "1.000001", text: "x" }))).toBe(
      "message_not_found",
    );

    const link = await client.chat.getPermalink({ channel: "C111", message_ts: String(first.ts) });
    expect(link.permalink).toBe(
      `https://emulated.slack.com/archives/C111/p${String(first.ts).replace(".", "")}`,
    );
    const ephemeral = await client.chat.postEphemeral({ channel: "C111", user: "U111", text: "psst" });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    await client.reactions.add({ channel: "C111", timestamp: String(first.ts), name: "newspaper" });
    expect(
      await errorOf(
        client.reactions.add({ channel: "C111", timestamp: String(first.ts), name: "newspaper" }),
      ),
    ).toBe("already_reacted");

    emulator.setUser({ id: "U0ADMIN", name: "ada", tz: "Europe/Paris", is_admin: true, is_owner: true });
    const { user } = await client.users.info({ user: "U0ADMIN" });
    expect(user).toMatchObject({ id: "U0ADMIN", is_admin: true, is_owner: true, tz: "Europe/Paris" });
    expect([3600, 7200]).toContain(user?.tz_offset);
    expect(await errorOf(client.users.info({ user: "U0NOBODY" }))).toBe("user_not_found");
    expect((await client.conversations.info({ channel: "C111" })).channel?.name).toBe("random");
    expect(await errorOf(client.conversations.info({ channel: "C0GONE" }))).toBe("channel_not_found");
    const { team } = await client.team.info();
    expect(team).toMatchObject({ id: "T111", domain: "emulated" });
    expect(JSON.stringify(team)).not.toMatch(/tz|timezone/i);
  });

  it("refuses bad tokens, the wrong kind of token and unknown methods", async () => {
    expect(await errorOf(webClient("xoxb-not-ours").auth.test())).toBe("invalid_auth");
    expect(await errorOf(webClient().apps.connections.open())).toBe("not_allowed_token_type");
    expect(await errorOf(webClient(emulator.appToken).chat.postMessage({ channel: "C111", text: "x" }))).toBe(
      "not_allowed_token_type",
    );
    expect(await errorOf(webClient().apiCall("papers.fetch"))).toBe("unknown_method");
    expect(emulator.calls.map((c) => c.status)).toEqual([200, 200, 200, 200]);
  });

  it("fails the next call with an injected error, then recovers", async () => {
    emulator.failNext("chat.postMessage", "not_in_channel");
    const client = webClient();
    expect(await errorOf(client.chat.postMessage({ channel: "C111", text: "a" }))).toBe("not_in_channel");
    expect((await client.chat.postMessage({ channel: "C111", text: "b" })).ok).toBe(true);
    expect(emulator.posted().map((body) => body.text)).toEqual(["b"]);
  });

  it("rate-limits with 429 and retry-after; the WebClient waits, retries and succeeds", async () => {
    emulator.rateLimitNext("chat.postMessage", 1);
    const client = webClient();
    const rateLimited = signal<number>();
    client.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    const result = await client.chat.postMessage({ channel: "C111", text: "eventually" });
    expect(result.ok).toBe(true);
    expect(rateLimited.log.items).toEqual([1]);
    const attempts = emulator.callsTo("chat.postMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[0]?.response).toEqual({ ok: false, error: "ratelimited" });
  });

  it("takes a files.uploadV2 upload end to end", async () => {
    const result = await webClient().filesUploadV2({
      channel_id: "C111",
      content: "id,title\n2401.00001,Attention",
      filename: "papers.csv",
      title: "Today's papers",
      initial_comment: "CSV attached",
    });
    expect(result.ok).toBe(true);
    const [upload] = emulator.uploads;
    expect(upload?.filename).toBe("papers.csv");
    expect(upload?.bytes?.toString()).toBe("id,title\n2401.00001,Attention");
    expect(upload?.completed).toMatchObject({ channel_id: "C111", initial_comment: "CSV attached" });
    expect(emulator.calls.map((c) => c.method)).toEqual([
      "files.getUploadURLExternal",
      "files.completeUploadExternal",
    ]);
  });

  it("waitFor fails with the calls it did see", async () => {
    await webClient().auth.test();
    await expect(emulator.waitFor("chat.delete", undefined, 50)).rejects.toThrow(
      /no chat\.delete.*\n.*auth\.test 200/s,
    );
  });

  it("signs like Slack's published test vector", () => {
    const vector = fixtureJson<{ signing_secret: string; headers: Record<string, string> }>(
      "slack_slash_command.signature.json",
    );
    const timestamp = vector.headers["X-Slack-Request-Timestamp"] ?? "";
    expect(slackSignature(vector.signing_secret, timestamp, fixtureText("slack_slash_command.txt"))).toBe(
      vector.headers["X-Slack-Signature"],
    );
  });
});

describe("what the emulator sends", () => {
  it("encodes forms byte for byte like the recorded bodies", async () => {
    const bodies: string[] = [];
    const capture = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        bodies.push(body);
        response.end();
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/`;
    try {
      const command = fixtureText("slack_slash_command_enterprise.txt").trim();
      const fields = Object.fromEntries(new URLSearchParams(command));
      // That recording has no is_enterprise_install; its response_url is replaced by one hosted here.
      const sent = await emulator.deliverCommand(url, { ...fields, is_enterprise_install: undefined });
      const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
      expect(bodies[0]).toBe(command.replace(encode(fields.response_url ?? ""), encode(sent.responseUrl)));

      const action = fixtureText("slack_interactive_form_body.txt").trim();
      const payload = JSON.parse(new URLSearchParams(action).get("payload") ?? "{}");
      await emulator.deliverAction(url, payload);
      expect(bodies[1]).toBe(action);
    } finally {
      capture.closeAllConnections();
      await new Promise((resolve) => capture.close(resolve));
    }
  });
});

describe("deliveries to a real Bolt app on its HTTPReceiver", () => {
  let url: string;
  const commands = signal<{ command: Record<string, string>; ts: string | undefined }>();
  const events = signal<{
    event: Record<string, unknown>;
    body: Record<string, unknown>;
    retryNum?: number;
    retryReason?: string;
    botUserId?: string;
  }>();
  const actions = signal<{ action: Record<string, unknown>; body: Record<string, unknown> }>();

  beforeEach(async () => {
    for (const s of [commands, events, actions]) s.log.items.splice(0);
    const app = new App({
      token: emulator.botToken,
      signingSecret: emulator.signingSecret,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command("/papers", async ({ command, ack, respond, client }) => {
      await ack({ response_type: "ephemeral", text: "on it" });
      await respond({ text: `Fetching ${command.text}…` });
      const posted = await client.chat.postMessage({
        channel: command.channel_id,
        text: `Top ${command.text}`,
      });
      commands.push({ command: { ...command }, ts: posted.ts });
    });
    app.event("reaction_added", async ({ event, body, context }) => {
      const { retryNum, retryReason, botUserId } = context;
      events.push({ event: { ...event }, body: { ...body }, retryNum, retryReason, botUserId });
    });
    app.action("vote", async ({ ack, action, body, respond }) => {
      await ack();
      actions.push({ action: { ...action }, body: { ...body } });
      await respond({ replace_original: false, text: "Thanks for voting" });
    });
    apps.push(app);
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  it("runs auth.test with the bot token as soon as the App is constructed", async () => {
    const call = await emulator.waitFor("auth.test");
    expect(call.headers.authorization).toBe(`Bearer ${emulator.botToken}`);
  });

  it("acks a slash command, answers on its response_url and posts with chat.postMessage", async () => {
    const delivered = await emulator.deliverCommand(url, {
      command: "/papers",
      text: "3",
      channel_id: "C111",
    });
    expect(delivered.status).toBe(200);
    expect(JSON.parse(delivered.body)).toEqual({ response_type: "ephemeral", text: "on it" });
    expect(Object.keys(delivered.fields)).toEqual(
      Object.keys(fixtureJson("slack_slash_command_recorded.json")),
    );

    const response = await emulator.waitForResponse();
    expect(response.body).toEqual({ text: "Fetching 3…" });
    expect(delivered.responseUrl).toBe(emulator.responseUrl(response.id));
    const post = await emulator.waitFor("chat.postMessage");
    expect(post.body).toMatchObject({ channel: "C111", text: "Top 3", team_id: "T111" });
    expect(post.headers.authorization).toBe(`Bearer ${emulator.botToken}`);
    const { command, ts } = await commands.next();
    expect(command.response_url).toBe(delivered.responseUrl);
    expect(ts).toBe(post.response.ts);
  });

  it("delivers a signed reaction_added; a redelivery runs the listener again, flagged by retryNum", async () => {
    const reaction = {
      type: "reaction_added",
      user: "U111",
      reaction: "thumbsup",
      item: { type: "message", channel: "C111", ts: "1360782400.498405" },
      item_user: emulator.workspace.botUserId,
    };
    const first = await emulator.deliverEvent(url, reaction);
    expect(first.status).toBe(200);
    const fullShape = Object.keys(fixtureJson("slack_reaction_added_fullshape.json"));
    expect(Object.keys(first.envelope)).toEqual(fullShape.filter((k) => k !== "enterprise_id"));
    const seen = await events.next();
    expect(seen.event).toMatchObject({ reaction: "thumbsup", item: { channel: "C111" } });
    expect(seen.body.event_id).toBe(first.eventId);
    expect(seen.retryNum).toBeUndefined();
    expect(seen.botUserId).toBe(emulator.workspace.botUserId);

    const retry = await emulator.deliverEvent(url, reaction, { eventId: first.eventId, retryNum: 1 });
    expect(retry.status).toBe(200);
    const again = await events.next((e) => e.retryNum === 1);
    expect(again.body.event_id).toBe(first.eventId);
    expect(again.retryReason).toBe("http_timeout");
  });

  it("answers 401 to forged and stale signatures without calling the listener", async () => {
    const reaction = {
      type: "reaction_added",
      user: "U111",
      reaction: "x",
      item: { type: "message", channel: "C111", ts: "1.000001" },
    };
    expect((await emulator.deliverEvent(url, reaction, { forgeSignature: true })).status).toBe(401);
    expect((await emulator.deliverEvent(url, reaction, { stale: true })).status).toBe(401);
    expect((await emulator.deliverCommand(url, { text: "1" }, { forgeSignature: true })).status).toBe(401);
    // A good delivery after them proves the listener works, and that it saw only that one.
    const good = await emulator.deliverEvent(url, reaction);
    await events.next();
    expect(events.log.items.map((e) => e.body.event_id)).toEqual([good.eventId]);
    expect(emulator.responses).toHaveLength(0);
  });

  it("echoes the url_verification challenge", async () => {
    const delivered = await emulator.deliverUrlVerification(url);
    expect(delivered.status).toBe(200);
    expect(JSON.parse(delivered.body)).toEqual({ challenge: delivered.challenge });
    expect(delivered.challenge).toBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  });

  it("delivers a block_actions click on a posted message to app.action", async () => {
    const posted = await webClient().chat.postMessage({ channel: "C111", text: "Attention Is All You Need" });
    const payload = emulator.blockActions({ actionId: "vote", value: "up", messageTs: String(posted.ts) });
    const delivered = await emulator.deliverAction(url, payload);
    expect(delivered.status).toBe(200);
    const { action, body } = await actions.next();
    expect(action).toMatchObject({ action_id: "vote", value: "up", type: "button" });
    expect(body.message).toMatchObject({ ts: posted.ts, text: "Attention Is All You Need" });
    expect(Object.keys(body)).toEqual(Object.keys(fixtureJson("slack_block_actions.json")));
    const response = await emulator.waitForResponse();
    expect(response.body).toEqual({ replace_original: false, text: "Thanks for voting" });
  });
});

describe("Socket Mode with a real Bolt app", () => {
  const slackApiUrl = () => emulator.apiUrl;

  it("connects with the app token, gets hello, and acks a slash command envelope", async () => {
    // Bolt hands SocketModeClient installerOptions.clientOptions, not clientOptions.
    const app = new App({
      socketMode: true,
      appToken: emulator.appToken,
      token: emulator.botToken,
      clientOptions: { slackApiUrl: slackApiUrl() },
      installerOptions: { clientOptions: { slackApiUrl: slackApiUrl() } },
      logLevel: LogLevel.ERROR,
    });
    const reactions = signal<number | undefined>();
    app.command("/papers", async ({ ack, respond, command }) => {
      await ack({ text: `on it: ${command.text}` });
      await respond({ text: "done" });
    });
    app.event("reaction_added", async ({ context }) => reactions.push(context.retryNum));
    apps.push(app);
    await within(app.start(), "the Socket Mode app's start()");
    await emulator.socketConnected();
    const open = await emulator.waitFor("apps.connections.open");
    expect(open.headers.authorization).toBe(`Bearer ${emulator.appToken}`);

    // The recorded envelope's payload, replayed: its hooks.slack.com response_url is pointed here.
    const recorded = fixtureJson<{ payload: Record<string, string> }>(
      "slack_socket_mode_slash_commands.json",
    );
    const ack = await emulator.socketDeliver("slash_commands", {
      ...recorded.payload,
      command: "/papers",
      text: "5",
    });
    expect(ack.payload).toEqual({ text: "on it: 5" });
    expect((await emulator.waitForResponse()).body).toEqual({ text: "done" });

    const eventAck = await emulator.socketDeliver("events_api", {
      type: "reaction_added",
      user: "U111",
      reaction: "thumbsup",
      item: { type: "message", channel: "C111", ts: "1.000001" },
    });
    expect(eventAck.payload).toEqual({});
    // Socket Mode's first delivery says retry_attempt 0, so Bolt's retryNum is 0, not undefined as over HTTP.
    expect(await reactions.next()).toBe(0);
  });

  it("reconnects after a dropped connection and after a disconnect frame", async () => {
    // Only a SocketModeReceiver takes clientPingTimeout, which also sets the reconnect delay (5 s by default).
    const receiver = new SocketModeReceiver({
      appToken: emulator.appToken,
      clientPingTimeout: 1_000,
      installerOptions: { clientOptions: { slackApiUrl: slackApiUrl() } },
      logger: quietLogger(),
    });
    const app = new App({
      receiver,
      token: emulator.botToken,
      clientOptions: { slackApiUrl: slackApiUrl() },
    });
    app.command("/papers", async ({ ack }) => ack());
    apps.push(app);
    await within(app.start(), "the Socket Mode app's start()");

    await emulator.dropSocket();
    await emulator.socketConnected({ count: 2 });
    expect((await emulator.socketDeliver("slash_commands", { text: "after drop" })).envelope_id).toBeTruthy();

    emulator.socketDisconnect("refresh_requested");
    await emulator.socketConnected({ count: 3 });
    expect(
      (await emulator.socketDeliver("slash_commands", { text: "after refresh" })).envelope_id,
    ).toBeTruthy();
    expect(emulator.callsTo("apps.connections.open")).toHaveLength(3);
  });
});
