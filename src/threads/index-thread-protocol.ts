import type { IndexHost } from "../core/search/index-host.js";

/** What the index thread is started with. */
export interface IndexThreadData {
  /** The snapshot file's folder and the database it belongs to (src/db/index-snapshot-file.ts). */
  snapshots?: { dir: string; database: string } | undefined;
}

export type IndexMethod = Exclude<keyof IndexHost, "close">;

export interface IndexThreadRequest {
  id: number;
  method: IndexMethod;
  args: unknown[];
}

export type IndexThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };
