import { join } from "node:path";
import { percentile } from "./bench-database.js";
import { BotProcess, freePort } from "./bot-process.js";
import { ResponseUrlServer } from "./response-url-server.js";
import { inFlight, SlackSender } from "./slack-sender.js";

export interface CommandTimes {
  ack: { p50: number; p95: number; p99: number };
  answer: { p50: number; p95: number; p99: number };
  failed: number;
  /** Answered "No papers found": the topics are the corpus's own, so a miss means a broken search. */
  empty: number;
  perSecond: number;
  /** Bot process CPU per command, ms. */
  cpuPer: number;
}

const pct = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};

/**
 * `/papers <topic>` through Slack's HTTP path as a user meets it: the real bot process (`paperboy
 * start`, Slack HTTP mode, signatures checked) on a database already loaded, signed slash commands over
 * loopback, each timed to its HTTP ack and to its answer on a response_url server.
 */
export class SlackCommands {
  readonly slack = new SlackSender();
  private readonly answers = new ResponseUrlServer();
  private bot: BotProcess | undefined;
  private endpoint = "";
  private sent = 0;

  async start(databaseUrl: string, dir: string, indexDir = join(dir, "index")): Promise<void> {
    await this.slack.start();
    await this.answers.start();
    const port = await freePort();
    this.bot = new BotProcess(["start"], {
      ...this.slack.botEnv(port),
      DATABASE_URL: databaseUrl,
      PAPERBOY_DATA_DIR: join(dir, "data"),
      PAPERBOY_INDEX_DIR: indexDir,
      HF_BASE_URL: `http://127.0.0.1:${await freePort()}`,
    });
    await this.bot.waitForLog("search index ready");
    await this.bot.waitForLog("paperboy is running");
    this.endpoint = `http://127.0.0.1:${port}/slack/events`;
  }

  /**
   * `count` commands over `topics` in turn, `concurrency` in flight, from 500 users (under the rate
   * limit). The first `warmUp` commands go ahead in the same stream and are not timed: the timed ones
   * meet the bot in its steady state, not the burst of `concurrency` commands on new connections that
   * starts a stream (in one run, 8 of the 10 slowest answers).
   */
  async run(topics: string[], count: number, concurrency: number, warmUp = 0): Promise<CommandTimes> {
    this.slack.resetConnections();
    const acks: number[] = [];
    const replies: number[] = [];
    let failed = 0;
    let empty = 0;
    let cpu = this.bot?.cpuMs() ?? Number.NaN;
    let began = performance.now();
    await inFlight(warmUp + count, concurrency, async (i) => {
      if (i === warmUp) {
        cpu = this.bot?.cpuMs() ?? Number.NaN;
        began = performance.now();
      }
      const expected = this.answers.expect(String(this.sent++));
      const body = this.slack.command(topics[i % topics.length] as string, expected.url, `U${i % 500}`);
      const started = performance.now();
      const ack = await this.slack.post(this.endpoint, body, "application/x-www-form-urlencoded");
      const answer = await expected.answer;
      if (ack.status !== 200 || !answer.text || answer.text.startsWith("Sorry")) failed++;
      if (answer.text.startsWith("No papers found")) empty++;
      if (i < warmUp) return;
      acks.push(ack.ms);
      replies.push(answer.at - started);
    });
    const perSecond = count / ((performance.now() - began) / 1000);
    const cpuPer = ((this.bot?.cpuMs() ?? Number.NaN) - cpu) / count;
    return { ack: pct(acks), answer: pct(replies), failed, empty, perSecond, cpuPer };
  }

  async stop(): Promise<void> {
    await this.bot?.stop();
    await this.answers.stop();
    await this.slack.stop();
  }
}
