import { parentPort, workerData } from "node:worker_threads";
import { InlineIndexHost } from "../core/search/inline-index-host.js";
import { indexSnapshotFile } from "../db/index-snapshot-file.js";
import type { IndexThreadData, IndexThreadReply, IndexThreadRequest } from "./index-thread-protocol.js";

// The search index thread: an InlineIndexHost answering ThreadedIndexHost's calls. The snapshot file is
// read and written here, so the bot's thread never holds a snapshot's bytes.
const { snapshots } = workerData as IndexThreadData;
const host = new InlineIndexHost(
  snapshots ? indexSnapshotFile(snapshots.dir, snapshots.database) : undefined,
);
const port = parentPort;
if (!port) throw new Error("index-thread.ts runs as a worker thread (src/threads/threaded-index-host.ts)");

port.on("message", async ({ id, method, args }: IndexThreadRequest) => {
  let reply: IndexThreadReply;
  try {
    const call = host[method] as (...a: unknown[]) => Promise<unknown>;
    reply = { id, ok: true, value: await call.apply(host, args) };
  } catch (error) {
    reply = { id, ok: false, error: (error as Error).message ?? String(error) };
  }
  port.postMessage(reply);
});
