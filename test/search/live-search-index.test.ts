import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { makePaper, type Paper } from "../../src/core/paper.js";
import { titleId } from "../../src/core/paper-id.js";
import type { PaperStore } from "../../src/core/ports.js";
import { InlineIndexHost } from "../../src/core/search/inline-index-host.js";
import { LiveSearchIndex } from "../../src/core/search/live-search-index.js";
import { searchPapers } from "../../src/core/search/search-papers.js";
import { indexSnapshotFile } from "../../src/db/index-snapshot-file.js";
import { createStore } from "../../src/db/store.js";
import { ThreadedIndexHost } from "../../src/threads/threaded-index-host.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const SEEN = new Date("2026-01-10T00:00:00Z");
const NOW = new Date("2026-01-15T00:00:00Z");

const paper = (id: string, title: string, abstract: string, extra: Partial<Paper> = {}) =>
  makePaper({ id, title, abstract, source: "test", ...extra });

const CORPUS = [
  paper("2401.00001", "KV cache compression for LLMs", "We compress the key value cache."),
  paper("2401.00002", "Mixture-of-Experts inference", "Expert parallel serving of MoE models."),
  paper("2401.00003", "Information bottleneck theory", "Compression of representations."),
  paper("2401.00004", "Graph neural networks for molecules", "GNN message passing."),
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "paperboy-index-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The index in the test's thread, and in a thread of its own as the bot runs it: alike in every way. */
const HOSTS = {
  inline: (snapshots: boolean) => ({
    host: () => new InlineIndexHost(snapshots ? indexSnapshotFile(dir, "test") : undefined),
  }),
  thread: (snapshots: boolean) => ({
    host: (onFailure: (error: Error) => void) =>
      new ThreadedIndexHost({ snapshots: snapshots ? { dir, database: "test" } : undefined }, onFailure),
  }),
};

for (const [kind, hostOf] of Object.entries(HOSTS))
  describeEachDatabase(`the live search index (${kind})`, (t) => {
    let store: PaperStore;
    const replicas: LiveSearchIndex[] = [];
    const replica = (options: { snapshots?: boolean; pageSize?: number; pollMs?: number } = {}) => {
      const index = new LiveSearchIndex({
        store,
        logger: quiet,
        pollMs: options.pollMs ?? 0,
        pageSize: options.pageSize ?? 2,
        ...hostOf(options.snapshots ?? false),
      });
      replicas.push(index);
      return index;
    };
    const titles = async (index: LiveSearchIndex, query: string) =>
      (await searchPapers(store, query, { limit: 10, index, now: NOW })).papers.map((p) => p.title);
    const hits = async (index: LiveSearchIndex, query: string) =>
      (await index.search({ text: query, concepts: [{ typed: query, alternatives: [query] }] }, 10, NOW))
        ?.hits;

    beforeEach(() => {
      store = createStore(t.db).papers;
    });
    afterEach(async () => {
      for (const index of replicas.splice(0)) await index.stop();
    });

    it("follows writes, updates, deletions and re-keys through the change feed", async () => {
      await store.upsert(CORPUS.slice(0, 2), SEEN);
      const index = replica();
      await index.start();
      expect(index.size).toBe(2);
      expect(await titles(index, "information bottleneck")).toEqual([]);

      await store.upsert(CORPUS.slice(2), SEEN);
      await store.upsert([{ ...(CORPUS[0] as Paper), title: "KV cache eviction for LLMs" }], SEEN);
      await index.sync();
      expect(await titles(index, "information bottleneck")).toEqual(["Information bottleneck theory"]);
      expect((await titles(index, "eviction"))[0]).toBe("KV cache eviction for LLMs");

      await t.db.exec("delete from papers where id = '2401.00004'");
      await index.sync();
      expect(await titles(index, "graph neural networks")).toEqual([]);
      expect(index.size).toBe(3);

      // A paper first known by its title gets its arXiv id: the old id leaves the index.
      const early = paper(
        titleId("Sparse attention kernels"),
        "Sparse attention kernels",
        "Fast sparse attention.",
      );
      await store.upsert([early], SEEN);
      await index.sync();
      expect((await hits(index, "sparse"))?.map((h) => h.id)).toEqual([early.id]);
      await store.upsert([paper("2401.00009", "Sparse attention kernels", "Fast sparse attention.")], SEEN);
      await index.sync();
      expect((await hits(index, "sparse"))?.map((h) => h.id)).toEqual(["2401.00009"]);
      expect(index.size).toBe(await store.count());
    });

    it("answers from the database until it is ready, then from the index", async () => {
      await store.upsert(CORPUS, SEEN);
      const index = replica();
      expect(index.isReady).toBe(false);
      expect(await titles(index, "mixture of experts")).toContain("Mixture-of-Experts inference");
      await index.start();
      expect(index.isReady).toBe(true);
      expect((await titles(index, "MoE"))[0]).toBe("Mixture-of-Experts inference");
    });

    it("finds papers this process wrote a moment ago, without waiting for the next poll", async () => {
      const index = replica();
      await index.start();
      // Right after the start the last sync is recent: only the note of a write makes the search sync.
      expect(await titles(index, "compression")).toEqual([]);
      await store.upsert(CORPUS, SEEN);
      index.markStale();
      expect(await titles(index, "compression")).toContain("KV cache compression for LLMs");
    });

    it("leaves another process's papers to the poll instead of holding searches for a sync", async () => {
      const index = replica({ pollMs: 60_000, pageSize: 5_000 });
      await index.start();
      await store.upsert(CORPUS, SEEN); // another process's write: this one is not told
      // Older than the 1 s that used to make a search sync first, far younger than two polls.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await titles(index, "compression")).toEqual([]);
      // A poll that fell behind makes the next search sync first.
      await index.catchUp(0);
      expect(await titles(index, "compression")).toContain("KV cache compression for LLMs");
    });

    it("converges: a replica that followed every change ranks exactly as one built afterwards", async () => {
      const early = replica({ pageSize: 1 });
      await early.start();
      for (const p of CORPUS) {
        await store.upsert([p], SEEN);
        await early.sync();
      }
      await store.upsert([{ ...(CORPUS[1] as Paper), hfUpvotes: 90 }], SEEN);
      await t.db.exec("delete from papers where id = '2401.00002'");
      await store.upsert([CORPUS[1] as Paper], SEEN);
      await early.sync();
      const late = replica({ pageSize: 3 });
      await late.start();
      for (const query of ["compression", "kv cache", "moe", "gnn", "information"])
        expect(await hits(early, query)).toEqual(await hits(late, query));
    });

    it("restarts from its snapshot and catches up on what changed while it was down", async () => {
      await store.upsert(CORPUS.slice(0, 3), SEEN);
      const first = replica({ snapshots: true });
      await first.start();
      await first.stop();

      await store.upsert([CORPUS[3] as Paper], SEEN);
      await t.db.exec("delete from papers where id = '2401.00001'");
      const restarted = replica({ snapshots: true });
      await restarted.start();
      const fresh = replica();
      await fresh.start();
      expect(restarted.size).toBe(3);
      for (const query of ["compression", "gnn", "kv cache", "moe"])
        expect(await hits(restarted, query)).toEqual(await hits(fresh, query));
    });

    it("rebuilds, and says why, when its snapshot is from another version", async () => {
      await store.upsert(CORPUS, SEEN);
      // The header of the four-byte postings' format (PBIX1), which this version no longer reads.
      await indexSnapshotFile(dir, "test").write([Buffer.from(`PBIX1\n${"\0".repeat(58)}`)]);
      const said: string[] = [];
      const index = new LiveSearchIndex({
        store,
        // Like pino: info(message) or info(fields, message).
        logger: {
          ...quiet,
          info: (a: unknown, b?: string) => void said.push(typeof a === "string" ? a : (b ?? "")),
        },
        pollMs: 0,
        ...hostOf(true),
      });
      replicas.push(index);
      await index.start();
      expect(index.size).toBe(CORPUS.length);
      expect((await hits(index, "moe"))?.length).toBeGreaterThan(0);
      expect(said).toContain(
        "search index snapshot is from another version or configuration; rebuilding from the database",
      );
    });

    it("rebuilds when its snapshot does not match the database", async () => {
      await store.upsert(CORPUS, SEEN);
      const first = replica({ snapshots: true });
      await first.start();
      await first.stop();
      // Emptied without deletes being recorded (a restore, another database): the counts disagree.
      await t.db.exec("truncate papers cascade; truncate paper_removals");
      await store.upsert([CORPUS[0] as Paper], SEEN);
      const restarted = replica({ snapshots: true });
      await restarted.start();
      expect(restarted.size).toBe(1);
      expect(await hits(restarted, "moe")).toEqual([]);
    });
  });
