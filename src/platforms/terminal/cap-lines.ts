import { Transform, type TransformCallback } from "node:stream";

const NEWLINE = 0x0a;

/**
 * Cuts every input line to `maxBytes`, dropping the rest up to its newline. readline keeps a line
 * whole in one string however long it grows: a pipe that never sends a newline (`< /dev/zero`, a
 * binary file) ended the bot with "RangeError: Invalid string length". A cut line still reaches the
 * bot, which answers it like any other text.
 */
export function capLines(maxBytes: number): Transform {
  let length = 0;
  let dropping = false;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      const kept: Buffer[] = [];
      let from = 0;
      while (from < chunk.length) {
        const newline = chunk.indexOf(NEWLINE, from);
        const end = newline === -1 ? chunk.length : newline;
        if (!dropping) {
          const room = maxBytes - length;
          const piece = chunk.subarray(from, Math.min(end, from + room));
          kept.push(piece);
          length += piece.length;
          if (end - from > room) {
            kept.push(Buffer.from([NEWLINE]));
            dropping = true;
          }
        }
        if (newline === -1) break;
        if (!dropping) kept.push(Buffer.from([NEWLINE]));
        dropping = false;
        length = 0;
        from = newline + 1;
      }
      done(null, Buffer.concat(kept));
    },
  });
}
