import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RecordedResponse, SlackEmulator } from "../emulators/slack.js";
import { activeSyntax, type Block, cardTitles, expectWithinLimits, payloadTexts } from "./block-checks.js";
import { ACTIVE_FRAGMENTS, HOSTILE_PAPER, HOSTILE_WORD, SAFE_LINK } from "./hostile-paper.js";
import {
  type BotProcess,
  PROCESS_TIMEOUT_MS,
  SAMPLE_PAGE,
  SlackWorkspace,
  WIRE_TIMEOUT_MS,
} from "./slack-bot-harness.js";

// The real bot process (`paperboy start`, HTTP mode) behind signed deliveries from the Slack emulator.

const ADMIN = { user_id: "U0ADMIN", user_name: "ada" };
const LISTED = { user_id: "U0LISTED", user_name: "lin" };
const MEMBER = { user_id: "U111", user_name: "seratch" };

let emulator: SlackEmulator;
let workspace: SlackWorkspace;
let bot: BotProcess;
let url: string;

beforeAll(async () => {
  emulator = new SlackEmulator({
    users: [
      { id: "U111", name: "seratch", tz: "America/Los_Angeles" },
      { id: "U0ADMIN", name: "ada", tz: "Europe/Paris", is_admin: true },
      { id: "U0LISTED", name: "lin" },
    ],
    channels: [
      { id: "C111", name: "random" },
      { id: "C222", name: "papers" },
      { id: "C333", name: "lab" },
    ],
    timeoutMs: WIRE_TIMEOUT_MS,
  });
  await emulator.start();
  workspace = await SlackWorkspace.create(emulator, { env: { PAPERBOY_ADMINS: "U0LISTED" } });
  await workspace.ingest(SAMPLE_PAGE);
  await workspace.ingest(workspace.writePapers("hostile.jsonl", [HOSTILE_PAPER]));
  ({ bot, url } = await workspace.startHttpBot());
}, PROCESS_TIMEOUT_MS);

afterAll(async () => {
  const exit = await bot?.stop();
  await emulator?.stop();
  await workspace?.close();
  // A clean shutdown on SIGTERM, checked last so a failure here does not hide the tests' own.
  expect(exit).toEqual({ code: 0, signal: null });
}, PROCESS_TIMEOUT_MS);

/** Sends a signed `/papers <text>` and waits for the answer on its response_url. */
async function papers(text: string, input: Record<string, string> = {}) {
  const delivered = await emulator.deliverCommand(url, { text, channel_id: "C111", ...input });
  expect(delivered.status, delivered.body).toBe(200);
  const answer = await emulator.waitForResponse((r) => emulator.responseUrl(r.id) === delivered.responseUrl);
  return { delivered, answer, blocks: (answer.body.blocks ?? []) as Block[] };
}

const headerOf = (blocks: Block[]) =>
  blocks.find((b) => b.type === "header")?.text.text as string | undefined;

describe(`the bot over HTTP (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, {
  timeout: PROCESS_TIMEOUT_MS,
}, () => {
  it("answers Slack's url_verification with the challenge", async () => {
    const delivered = await emulator.deliverUrlVerification(url);
    expect(delivered.status).toBe(200);
    expect(JSON.parse(delivered.body)).toEqual({ challenge: delivered.challenge });
  });

  it("acks /papers compression and answers on the response_url with the sample's compression papers", async () => {
    const { delivered, answer, blocks } = await papers("compression");
    // The ack is an empty 200: the answer comes later, through the response_url.
    expect(delivered.body).toBe("");
    expect(answer.body.response_type).toBe("ephemeral");
    expectWithinLimits(blocks);
    expect(headerOf(blocks)).toBe('Papers on "compression"');
    const titles = cardTitles(blocks);
    expect(titles).toHaveLength(5);
    for (const title of titles) expect(title).toMatch(/compress/i);
    // Numbered cards, each a link to the paper.
    const sections = blocks.filter((b) => b.type === "section").map((b) => b.text.text as string);
    expect(sections.slice(0, 5).map((s) => s.slice(0, 5))).toEqual([
      "1. *<",
      "2. *<",
      "3. *<",
      "4. *<",
      "5. *<",
    ]);
    const actions = blocks.at(-1);
    expect(actions?.type).toBe("actions");
    expect(actions?.elements).toEqual([
      expect.objectContaining({
        type: "button",
        action_id: "paperboy_share",
        text: { type: "plain_text", text: "Share in channel" },
        value: "search compression",
      }),
    ]);
    expect(String(answer.body.text)).toBe('Papers on "compression"');
  });

  it("shares the answer in the channel when the button is clicked", async () => {
    const before = emulator.responses.length;
    const payload = emulator.blockActions({
      actionId: "paperboy_share",
      // As buttons posted before shares said "search": the topic alone still searches.
      value: "compression",
      channelId: "C111",
    });
    const delivered = await emulator.deliverAction(url, payload);
    expect(delivered.status).toBe(200);
    const shared = await emulator.waitForResponse(
      (r) => emulator.responseUrl(r.id) === delivered.payload.response_url,
      undefined,
      before,
    );
    expect(shared.body).toMatchObject({ response_type: "in_channel", delete_original: true });
    const blocks = shared.body.blocks as Block[];
    expectWithinLimits(blocks);
    expect(cardTitles(blocks)).toHaveLength(5);
    expect(blocks.some((b) => b.type === "actions")).toBe(false);
    expect(blocks.at(-1)).toEqual({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Shared by <@U111>" }],
    });
  });

  it("renders a paper full of mentions and links as inert text in the search answer", async () => {
    const { blocks, answer } = await papers(HOSTILE_WORD);
    expectWithinLimits(blocks);
    expect(cardTitles(blocks)).toEqual([HOSTILE_PAPER.title]);
    const sent = JSON.stringify(answer.body);
    for (const fragment of ACTIVE_FRAGMENTS) expect(sent).not.toContain(fragment);
    expect(activeSyntax(payloadTexts(answer.body), SAFE_LINK)).toEqual([]);
    expect(sent).toContain("&lt;!channel&gt;");
    expect(sent).toContain("&lt;@U123&gt;");
    expect(sent).toContain("&lt;https://evil.example|click&gt;");
    expect(sent).toContain("&amp; &lt;#C999&gt;");
  });

  it("refuses /papers subscribe to a member who is not an admin, politely and only to them", async () => {
    const { answer, blocks } = await papers("subscribe at 09:00 tz Europe/Berlin", MEMBER);
    expect(answer.body.response_type).toBe("ephemeral");
    expect(headerOf(blocks)).toBe("Only admins can change this channel's digest");
    const settings = await papers("settings", MEMBER);
    expect(headerOf(settings.blocks)).toBe("No daily digest in this channel");
  });

  it("subscribes the channel for a workspace admin, in the channel for everyone", async () => {
    const { answer, blocks } = await papers("subscribe at 09:00 tz Europe/Berlin", ADMIN);
    expect(answer.body.response_type).toBe("in_channel");
    expect(headerOf(blocks)).toBe("Subscribed: this channel gets a daily paper digest");
    expect(JSON.stringify(blocks)).toContain("When: 09:00 Europe/Berlin, Monday to Friday");
    // The admin's role came from users.info.
    expect(emulator.callsTo("users.info").map((c) => c.body.user)).toContain("U0ADMIN");
    const settings = await papers("settings", MEMBER);
    expect(headerOf(settings.blocks)).toBe("This channel's digest");
    expect(JSON.stringify(settings.blocks)).toContain("09:00 Europe/Berlin");
  });

  it("lets a user listed in PAPERBOY_ADMINS subscribe though Slack says they are no admin", async () => {
    const { answer, blocks } = await papers("subscribe at 07:30 tz Asia/Tokyo", {
      ...LISTED,
      channel_id: "C222",
    });
    expect(answer.body.response_type).toBe("in_channel");
    expect(headerOf(blocks)).toBe("Subscribed: this channel gets a daily paper digest");
    expect(JSON.stringify(blocks)).toContain("When: 07:30 Asia/Tokyo");
  });

  it("answers 401 to forged and stale signatures, and nothing they asked for happens", async () => {
    const responsesBefore = emulator.responses.length;
    const subscribe = { text: "subscribe at 06:00 tz UTC", channel_id: "C333", ...ADMIN };
    const forged = await emulator.deliverCommand(url, subscribe, { forgeSignature: true });
    const stale = await emulator.deliverCommand(url, subscribe, { stale: true });
    const forgedEvent = await emulator.deliverEvent(
      url,
      {
        type: "reaction_added",
        user: "U111",
        reaction: "+1",
        item: { type: "message", channel: "C111", ts: "1.000001" },
      },
      { forgeSignature: true },
    );
    expect([forged.status, stale.status, forgedEvent.status]).toEqual([401, 401, 401]);
    // A signed request after them is answered, and it shows C333 was never subscribed.
    const settings = await papers("settings", { ...MEMBER, channel_id: "C333" });
    expect(headerOf(settings.blocks)).toBe("No daily digest in this channel");
    expect(emulator.responses.slice(responsesBefore).map((r) => r.id)).toEqual([settings.answer.id]);
    const ids = (responses: readonly RecordedResponse[]) => responses.map((r) => emulator.responseUrl(r.id));
    expect(ids(emulator.responses)).not.toContain(forged.responseUrl);
    expect(ids(emulator.responses)).not.toContain(stale.responseUrl);
  });

  it("stored only what the signed requests asked for", async () => {
    // With the embedded database the bot must be stopped to read it; afterAll's stop is then a no-op.
    const exit = await bot.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    const counts = await workspace.counts();
    expect(counts).toMatchObject({ papers: 101, subscribed: 2, posts: 0, votes: 0 });
    // The forged subscribe named C333: the database never heard of that channel.
    const status = await workspace.cli(["digest", "--status", "--channel", "C333"]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('no channel "C333" is known');
  });
});
