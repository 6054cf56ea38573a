import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { capLines } from "../../src/platforms/terminal/cap-lines.js";

async function through(chunks: string[], max: number): Promise<string> {
  const out: Buffer[] = [];
  for await (const part of Readable.from(chunks.map((c) => Buffer.from(c))).pipe(capLines(max)))
    out.push(part);
  return Buffer.concat(out).toString();
}

it("cuts an overlong line at the cap and keeps the lines after it whole", async () => {
  const long = "x".repeat(25);
  // The long line arrives in pieces, the way a pipe delivers it.
  expect(
    await through([`/papers a\n${long.slice(0, 7)}`, long.slice(7, 20), `${long.slice(20)}\nnext\n`], 10),
  ).toBe(`/papers a\n${"x".repeat(10)}\nnext\n`);
  expect(await through(["ab\ncd\n", "ef"], 10)).toBe("ab\ncd\nef");
  expect(await through(["0123456789\n"], 10)).toBe("0123456789\n");
  // A stream that never sends a newline comes out as one cut line, however much of it there is.
  expect(
    await through(
      Array.from({ length: 50 }, () => "\0".repeat(1_000)),
      64,
    ),
  ).toBe(`${"\0".repeat(64)}\n`);
});
