import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import type { ChangeMark, PaperChange } from "../core/ports.js";
import type { AnalyzedQuery } from "../core/search/analyze-query.js";
import type { IndexHost, IndexState, RelatedTo, SnapshotRestore } from "../core/search/index-host.js";
import type { IndexHit, IndexQuery } from "../core/search/query-index.js";
import type { IndexMethod, IndexThreadData, IndexThreadReply } from "./index-thread-protocol.js";

const FROM_SOURCE = import.meta.url.endsWith(".ts");

/**
 * Node 20 does not run a worker's `--import` hooks before the worker's own script, so a TypeScript
 * entry is loaded through tsx's API from a small bootstrap (tsx's `require` build of that API cannot
 * register its hooks in a worker, hence the `import` build beside it).
 */
function startThread(data: IndexThreadData, resourceLimits: ResourceLimits | undefined): Worker {
  const entry = new URL(`./index-thread.${FROM_SOURCE ? "ts" : "js"}`, import.meta.url);
  if (!FROM_SOURCE) return new Worker(entry, { workerData: data, resourceLimits });
  const api = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(
    /\.cjs$/,
    ".mjs",
  );
  const href = JSON.stringify(entry.href);
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${href}, ${href}))`;
  return new Worker(bootstrap, { eval: true, workerData: data, resourceLimits });
}

/**
 * The search index in a thread of its own: ranking (a third of a search's CPU) and snapshot encoding
 * (a third of a second at a million papers) run beside the thread that reads and acknowledges platform
 * requests, on a second core. Calls are messages, answered in order.
 */
export class ThreadedIndexHost implements IndexHost {
  private readonly thread: Worker;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  /**
   * `onFailure`: the thread died (out of its memory, a bug); every call from then on fails.
   * `resourceLimits`: the thread's heap limits (Node's defaults otherwise).
   */
  constructor(
    data: IndexThreadData = {},
    private readonly onFailure?: (error: Error) => void,
    resourceLimits?: ResourceLimits,
  ) {
    this.thread = startThread(data, resourceLimits);
    // The thread keeps the process alive only while a call waits for it, so a CLI command still exits.
    this.thread.unref();
    this.thread.on("message", (reply: IndexThreadReply) => this.settle(reply));
    this.thread.on("error", (error) => this.fail(error));
    this.thread.on("exit", (code) =>
      this.fail(new Error(`the search index thread exited with code ${code}`)),
    );
  }

  restore(): Promise<SnapshotRestore> {
    return this.call("restore", []) as Promise<SnapshotRestore>;
  }

  reset(): Promise<IndexState> {
    return this.call("reset", []) as Promise<IndexState>;
  }

  apply(changes: PaperChange[]): Promise<IndexState> {
    return this.call("apply", [changes]) as Promise<IndexState>;
  }

  search(query: AnalyzedQuery, k: number, now: Date): Promise<IndexQuery> {
    return this.call("search", [query, k, now]) as Promise<IndexQuery>;
  }

  related(paper: RelatedTo, k: number, now: Date): Promise<IndexHit[]> {
    const { id, title, abstract, aiSummary, aiKeywords } = paper;
    return this.call("related", [{ id, title, abstract, aiSummary, aiKeywords }, k, now]) as Promise<
      IndexHit[]
    >;
  }

  save(mark: ChangeMark | null): Promise<boolean> {
    return this.call("save", [mark]) as Promise<boolean>;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.thread.terminate();
  }

  private call(method: IndexMethod, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.pending.size === 0) this.thread.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ id, method, args });
    });
  }

  private settle(reply: IndexThreadReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.thread.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new Error(reply.error));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = this.closing ? new Error("the search index is closed") : error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
    if (!this.closing) this.onFailure?.(error);
  }
}
