import zlib from "node:zlib";
import type { WebSocket } from "ws";

/**
 * One gateway connection's outbound side: JSON text frames, or with `compress=zlib-stream` one
 * deflate context for the whole connection, each message ending in a Z_SYNC_FLUSH (00 00 ff ff)
 * and sent as a binary frame, which is what @discordjs/ws inflates when zlib-sync is installed.
 */
export class GatewaySocket {
  private readonly deflate: zlib.Deflate | undefined;
  /** Compression is async; chaining keeps frames in sequence order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    readonly path: string,
    compress: string | null,
  ) {
    this.deflate = compress === "zlib-stream" ? zlib.createDeflate() : undefined;
    ws.on("close", () => this.deflate?.close());
  }

  write(text: string): void {
    const { ws, deflate } = this;
    if (!deflate) {
      if (ws.readyState === ws.OPEN) ws.send(text);
      return;
    }
    this.queue = this.queue.then(
      () =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const collect = (chunk: Buffer) => chunks.push(chunk);
          deflate.on("data", collect);
          deflate.write(text);
          deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            deflate.off("data", collect);
            if (ws.readyState === ws.OPEN) ws.send(Buffer.concat(chunks), { binary: true });
            resolve();
          });
        }),
    );
  }
}
