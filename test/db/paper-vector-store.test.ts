import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PaperVectorStore } from "../../src/core/ports.js";
import { ok } from "../../src/core/result.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { createPaperVectorStore } from "../../src/db/paper-vector-store.js";

const DIMS = 8;
/** A unit vector pointing mostly along axis `axis`. */
const along = (axis: number) => {
  const v = new Float32Array(DIMS).fill(0.05);
  v[axis % DIMS] = 1;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

// The server's layout (vectors beside the papers, a foreign key, the fill under an advisory lock),
// which this machine's PostgreSQL can't run for want of pgvector: here on a PGlite with pgvector and
// a bare papers table (pg_trgm, which the migrations need, can't share a PGlite with pgvector).
describe("paper vectors in the papers' own database", () => {
  let pglite: PGlite;
  let db: Database;
  let store: PaperVectorStore;

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } });
    await pglite.exec(`create table papers (id text primary key, title text not null, abstract text not null);
      insert into papers select 'p' || lpad(g::text, 3, '0'), 'Title ' || g, 'Abstract ' || g from generate_series(1, 50) g;`);
    db = await openDatabase({ pglite });
    store = createPaperVectorStore(db, async () => ({ db, separate: false, close: async () => {} }));
  });
  afterAll(() => pglite.close());

  it("fills every paper under the lock, follows deletions by foreign key, and finds the nearest", async () => {
    expect((await store.prepare("m", DIMS)).ok).toBe(true);
    const asked: string[][] = [];
    let after = "";
    for (;;) {
      const filled = await store.fillMissing(after, 20, async (papers) => {
        asked.push(papers.map((p) => p.id));
        return ok(papers.map((p) => along(Number(p.id.slice(1)))));
      });
      if (!filled.ok) throw new Error(filled.error);
      expect(filled.value.busy).toBe(false);
      if (filled.value.last === null) break;
      after = filled.value.last;
    }
    expect(asked.map((batch) => batch.length)).toEqual([20, 20, 10]);
    const count = async () =>
      (await db.rows<{ n: number }>(sql`select count(*)::int as n from paper_vectors`))[0]?.n;
    expect(await count()).toBe(50);
    const [fk] = await db.rows<{ n: number }>(
      sql`select count(*)::int as n from pg_constraint where conrelid = 'paper_vectors'::regclass and contype = 'f'`,
    );
    expect(fk?.n).toBe(1);

    await db.exec("delete from papers where id = 'p003'");
    expect(await count()).toBe(49);
    // Axis 3 is shared by p011, p019 … p043 (equally near); p003 is gone with its paper.
    const near = await store.nearest(along(3), 3);
    expect(near).toHaveLength(3);
    for (const { id } of near) expect(["p011", "p019", "p027", "p035", "p043"]).toContain(id);
    expect(near[0]?.similarity).toBeCloseTo(1, 5);
    // Nothing is left to embed.
    const again = await store.fillMissing("", 20, async () => {
      throw new Error("nothing should be embedded");
    });
    expect(again.ok && again.value).toEqual({ stored: 0, last: null, busy: false });
  });
});

describe("finding the papers without a vector in a large library", () => {
  let pglite: PGlite;

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } });
    await pglite.exec(`create table papers (id text primary key, title text not null, abstract text not null);
      insert into papers select 'p' || lpad(g::text, 5, '0'), 'Title ' || g, 'Abstract ' || g from generate_series(1, 10050) g;`);
  });
  afterAll(() => pglite.close());

  it("walks past a full step of embedded papers and embeds only the missing ones", async () => {
    const db = await openDatabase({ pglite });
    const store = createPaperVectorStore(db, async () => ({ db, separate: false, close: async () => {} }));
    expect((await store.prepare("m", DIMS)).ok).toBe(true);
    const missing = ["p00005", "p09999", "p10040"];
    await db.exec(`insert into paper_vectors (paper_id, model, embedding)
      select id, 'm', '[${Array.from(along(0)).join(",")}]' from papers
      where id not in (${missing.map((id) => `'${id}'`).join(", ")})`);
    const asked: { id: string; title: string }[][] = [];
    const steps: (string | null)[] = [];
    let after = "";
    for (;;) {
      const filled = await store.fillMissing(after, 20, async (papers) => {
        asked.push(papers.map((p) => ({ id: p.id, title: p.title })));
        return ok(papers.map((p) => along(Number(p.id.slice(1)))));
      });
      if (!filled.ok) throw new Error(filled.error);
      steps.push(filled.value.last);
      if (filled.value.last === null) break;
      after = filled.value.last;
    }
    // The first step looks at 10,000 ids and goes on after the last of them, not after its finds.
    expect(steps).toEqual(["p10000", null]);
    expect(asked).toEqual([
      [
        { id: "p00005", title: "Title 5" },
        { id: "p09999", title: "Title 9999" },
      ],
      [{ id: "p10040", title: "Title 10040" }],
    ]);
  });
});
