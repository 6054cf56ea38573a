import { writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ChannelAddress } from "../../core/channel.js";
import type { ChatPlatform, DigestPoster } from "../../core/chat-platform.js";
import { clip } from "../../core/paper-card.js";
import type { Paperboy } from "../../core/paperboy.js";
import type { PaperCard } from "../../core/reply.js";
import { capLines } from "./cap-lines.js";
import { renderCard, renderHeader, renderReply, renderThreadReply, type TextStyle } from "./render-text.js";

/** Longer piped lines are cut: 16 kB is more than any command, question or paper id list needs. */
const MAX_LINE_BYTES = 16_384;

export const TERMINAL_CHANNEL: ChannelAddress = {
  platform: "terminal",
  workspaceId: "local",
  channelRef: "terminal",
  name: "terminal",
};

const HELP = [
  "Type /papers <topic> to search (or just the topic), /papers help for every command,",
  "react <n> <emoji> to vote on paper n (👍 🔥 🚀 ❤️ ⬆️ up, 👎 ⬇️ down, 🔖 save), unreact <n> <emoji>,",
  "ask <n> <question> (or @paperboy <question> about <n>) to ask about paper n, quit to leave.",
];

export interface TerminalOptions {
  core: Paperboy;
  input: Readable;
  output: Writable;
  style: TextStyle;
  /** Called when the input ends (Ctrl-D, end of a pipe) or the user types quit. */
  onEnd: () => void;
  /** Where posted images (the weekly recap's chart) are written, since a terminal can't show them. */
  imageDir?: string;
}

/**
 * The bot in a terminal, like Hubot's shell adapter: one channel, you are its admin. Lines are read
 * one by one, so it works interactively and piped.
 */
export class TerminalPlatform implements ChatPlatform {
  readonly name = "terminal";
  /** The papers on screen by number: their message and title (search results are numbered too). */
  private readonly numbered = new Map<number, { ref: string; title: string }>();
  private counter = 0;
  private rl: Interface | null = null;
  private stopping = false;
  private readonly user = (() => {
    try {
      return userInfo().username || "you";
    } catch {
      return "you";
    }
  })();

  constructor(private readonly options: TerminalOptions) {}

  readonly poster: DigestPoster = {
    postHeader: async (_channel, header) => {
      this.print(renderHeader(header, this.options.style));
      return `header-${Date.now().toString(36)}`;
    },
    postPaper: async (_channel, card) => this.show(card),
    postThreadReply: async (_channel, _threadRef, reply) => {
      this.print(renderThreadReply(reply, this.options.style));
      return undefined;
    },
    postImage: async (_channel, reply, image) => {
      const path = join(
        this.options.imageDir ?? tmpdir(),
        `paperboy-${Date.now().toString(36)}-${image.filename}`,
      );
      writeFileSync(path, image.png);
      this.print(renderReply(reply, this.options.style));
      this.print(this.options.style.dim(`Chart (${image.width}×${image.height} PNG): ${path}`));
      return `image-${Date.now().toString(36)}`;
    },
  };

  /** Prints a paper under a number people can react to, and returns its message reference. */
  show(card: PaperCard, messageRef?: string): { messageRef: string } {
    const n = ++this.counter;
    const ref = messageRef ?? `${Date.now().toString(36)}-${n}`;
    this.numbered.set(n, { ref, title: card.title });
    this.print(renderCard(card, this.options.style, String(n)));
    return { messageRef: ref };
  }

  print(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  async start(): Promise<void> {
    const interactive = Boolean((this.options.input as { isTTY?: boolean }).isTTY);
    this.print(this.options.style.dim(HELP.join("\n")));
    this.rl = createInterface({
      // Typed lines are short; a pipe's are cut (cap-lines.ts says why).
      input: interactive ? this.options.input : this.options.input.pipe(capLines(MAX_LINE_BYTES)),
      output: interactive ? this.options.output : undefined,
      terminal: interactive,
    });
    if (interactive) this.rl.setPrompt("paperboy> ");
    const lines: string[] = [];
    let busy = false;
    const drain = async () => {
      if (busy) return;
      busy = true;
      // Once stopping, lines still queued are dropped: a flooding pipe must not hold up a shutdown.
      while (lines.length > 0 && !this.stopping) await this.handle(lines.shift() as string);
      busy = false;
      if (interactive) this.rl?.prompt();
      if (closed) this.options.onEnd();
    };
    let closed = false;
    this.rl.on("line", (line) => {
      lines.push(line);
      void drain();
    });
    this.rl.on("close", () => {
      closed = true;
      if (!busy) this.options.onEnd();
    });
    if (interactive) this.rl.prompt();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.rl?.close();
    // Closing readline pauses only its own input (the pipe's end): a pipe still pouring in would
    // keep the process from exiting.
    this.options.input.unpipe();
    this.options.input.pause();
  }

  connected(): boolean {
    return this.rl !== null;
  }

  private async handle(line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (/^(quit|exit|\.exit)$/i.test(text)) {
      this.rl?.close();
      return;
    }
    const reaction = /^(un)?react\s+(\d+)\s+(\S+)\s*$/i.exec(text);
    if (reaction) return this.react(Number(reaction[2]), reaction[3] as string, !reaction[1]);
    const ask = /^ask\s+(\d+)\s+(.+)$/i.exec(text);
    if (ask) return this.ask(Number(ask[1]), ask[2] as string);
    if (/^@paperboy\b/i.test(text)) {
      const about = /^(.*?)\s+about\s+(\d+)\s*[?.!]?\s*$/i.exec(text);
      return about ? this.ask(Number(about[2]), about[1] as string) : this.mention(text, null);
    }
    if (/^(help|\?)$/i.test(text)) return this.print(HELP.join("\n"));
    const reply = await this.options.core.command(
      {
        address: TERMINAL_CHANNEL,
        userRef: this.user,
        isAdmin: true,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      },
      text.startsWith("/") ? text.replace(/^\/(papers\b)?/, "") : text,
    );
    this.print(renderReply(reply, this.options.style));
  }

  /** A question about paper n: in a chat it would be a mention in that paper's thread. */
  private async ask(n: number, question: string): Promise<void> {
    const threadRef = this.numbered.get(n)?.ref;
    if (!threadRef)
      return this.print(`There is no paper [${n}] on screen; ask about a number shown in the digest.`);
    return this.mention(question, threadRef);
  }

  private async mention(text: string, threadRef: string | null): Promise<void> {
    const reply = await this.options.core.mention({
      platform: TERMINAL_CHANNEL.platform,
      channelRef: TERMINAL_CHANNEL.channelRef,
      workspaceId: TERMINAL_CHANNEL.workspaceId,
      threadRef,
      userRef: this.user,
      text,
    });
    if (!reply) return;
    this.print(
      threadRef ? renderThreadReply(reply, this.options.style) : renderReply(reply, this.options.style),
    );
  }

  private async react(n: number, emoji: string, added: boolean): Promise<void> {
    const paper = this.numbered.get(n);
    if (!paper)
      return this.print(`There is no paper [${n}] on screen; react to a number shown in the digest.`);
    // Named, because a search's results are numbered from 1 as well and are not what is voted on.
    const title = clip(paper.title, 60);
    // A clipped title already ends in "…"; no full stop after it.
    const named = `[${n}] ${title}${title.endsWith("…") ? "" : "."}`;
    const outcome = await this.options.core.reaction({
      platform: "terminal",
      channelRef: TERMINAL_CHANNEL.channelRef,
      messageRef: paper.ref,
      userRef: this.user,
      emoji,
      added,
      eventAt: new Date(),
      fromBot: false,
    });
    const messages: Record<string, string> = {
      recorded: added ? `Recorded your ${emoji} on ${named}` : `Removed your ${emoji} from ${named}`,
      unchanged: `Nothing changed: your ${emoji} on [${n}] ${title} was already ${added ? "there" : "gone"}.`,
      "ignored-emoji": `${emoji} is not a voting emoji. Use 👍 🔥 🚀 ❤️ ⬆️ (up), 👎 ⬇️ (down) or 🔖 (save).`,
      "not-a-paper-post": `[${n}] is not a paper post.`,
      "ignored-bot": "Bots don't vote.",
    };
    this.print(messages[outcome] ?? outcome);
  }
}
