import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/bot-process.js";
import { type Finished, paperboyEnv, runPaperboy } from "../helpers/paperboy-process.js";

/** `[n] Title` lines: the numbered cards of a stretch of terminal output. */
function cardTitles(text: string): string[] {
  return [...text.matchAll(/^\[(\d+)\] (.+)$/gm)].map((m) => m[2] as string);
}

/** The text between two markers of the output (the end is optional). */
function between(text: string, start: string, end?: string): string {
  const from = text.indexOf(start);
  expect(from, `"${start}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const to = end === undefined ? -1 : text.indexOf(end, from + start.length);
  return text.slice(from, to === -1 ? undefined : to);
}

/** Asserts the markers appear in this order, each after the previous one. */
function expectInOrder(text: string, markers: string[]): void {
  let position = 0;
  for (const marker of markers) {
    const found = text.indexOf(marker, position);
    expect(found, `"${marker}" after position ${position} in:\n${text}`).toBeGreaterThanOrEqual(0);
    position = found + marker.length;
  }
}

const SESSION = [
  "/papers compression",
  "react 1 👍",
  "react 1 👍",
  "react 1 🔖",
  "/papers saved",
  "/papers top week",
]
  .map((line) => `${line}\n`)
  .join("");

describe("the terminal channel, piped, offline", { timeout: 300_000 }, () => {
  let dataDir = "";
  let env: NodeJS.ProcessEnv;
  let first: Finished;
  let digest: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "paperboy-terminal-"));
    env = paperboyEnv(dataDir, await freePort());
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("prints today's digest, answers each line in turn and exits 0 at the end of input", async () => {
    first = await runPaperboy(["start"], env, SESSION);
    const out = first.stdout;
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe("");
    expect(out).not.toContain("\u001b[");

    // Offline, it falls back to the bundled sample and posts a digest of 5 papers from it.
    expect(out).toContain("paperboy · terminal channel (no Slack or Discord token set)");
    expect(out).toContain("loading the bundled sample of 100 papers instead");
    const digestText = between(out, "📰 Today's papers · ", "Type /papers");
    expect(digestText).toMatch(/^📰 Today's papers · \d{4}-\d{2}-\d{2} /);
    expect(digestText).toContain("5 new papers");
    digest = cardTitles(digestText);
    expect(digest).toHaveLength(5);
    expect(new Set(digest).size).toBe(5);

    const search = cardTitles(between(out, 'Papers on "compression"', "Recorded your"));
    expect(search.length).toBeGreaterThanOrEqual(3);
    for (const title of search.slice(0, 3)) expect(title).toMatch(/compress/i);

    expectInOrder(out, [
      'Papers on "compression"',
      // Named by its title: the search's results above are numbered from 1 too.
      `Recorded your 👍 on [1] ${(digest[0] as string).slice(0, 40)}`,
      `Nothing changed: your 👍 on [1] ${(digest[0] as string).slice(0, 40)}`,
      `Recorded your 🔖 on [1] ${(digest[0] as string).slice(0, 40)}`,
      "Your reading list",
      digest[0] as string,
      "Top papers this week",
      digest[0] as string,
      "+1 here",
    ]);
    const saved = between(out, "Your reading list", "Top papers this week");
    expect(saved).toContain(digest[0] as string);
    for (const other of digest.slice(1)) expect(saved).not.toContain(other);
    const top = between(out, "Top papers this week");
    expect(top).toContain(digest[0] as string);
    for (const other of digest.slice(1)) expect(top).not.toContain(other);
  });

  it("reprints today's digest on a second start, posting nothing new", async () => {
    expect(digest).toHaveLength(5);
    const second = await runPaperboy(["start"], env, "/papers top week\n");
    expect(second.code, second.stderr).toBe(0);
    const out = second.stdout;
    expect(out).toMatch(/📰 Today's papers · \d{4}-\d{2}-\d{2} \(posted earlier\)/);
    // The library is there: no new fetch, no sample loaded again.
    expect(out).not.toContain("loading the bundled sample");
    expect(cardTitles(between(out, "📰 Today's papers", "Type /papers"))).toEqual(digest);
    // The vote of the first session is still there.
    expect(between(out, "Top papers this week")).toContain(digest[0] as string);

    const status = await runPaperboy(["digest", "--status"], env);
    expect(status.code).toBe(0);
    const runs = status.stdout.trim().split("\n");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^\d{4}-\d{2}-\d{2} {2}terminal:terminal {2}done {2}5 papers {2}attempt 1/);
  });
});
