import { expect, it } from "vitest";
import { WriteBatcher } from "../../src/core/votes/write-batcher.js";

class Unavailable extends Error {}

/** A batcher over a log of the batches it wrote; `fail` decides which batches throw. */
function logged(fail: (items: string[]) => Error | null = () => null, maxBatch?: number) {
  const batches: string[][] = [];
  const batcher = new WriteBatcher<string, string>({
    write: async (items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 1));
      const error = fail(items);
      if (error) throw error;
      return items.map((item) => item.toUpperCase());
    },
    key: (item) => item.split(":")[0] as string,
    retryAlone: (error) => !(error instanceof Unavailable),
    ...(maxBatch ? { maxBatch } : {}),
  });
  return { batches, batcher };
}

it("writes a lone item at once, and what arrives meanwhile together after it", async () => {
  const { batches, batcher } = logged();
  const out = await Promise.all(["a", "b", "c", "d"].map((item) => batcher.submit(item)));
  expect(out).toEqual(["A", "B", "C", "D"]);
  expect(batches).toEqual([["a"], ["b", "c", "d"]]);
  expect(await batcher.submit("e")).toBe("E");
  expect(batches.at(-1)).toEqual(["e"]);
});

it("never puts two items with one key in the same write, and keeps their order", async () => {
  const { batches, batcher } = logged();
  const out = await Promise.all(["x", "a:1", "b", "a:2", "a:3", "c"].map((item) => batcher.submit(item)));
  expect(out).toEqual(["X", "A:1", "B", "A:2", "A:3", "C"]);
  expect(batches).toEqual([["x"], ["a:1", "b", "c"], ["a:2"], ["a:3"]]);
});

it("caps a write at maxBatch items", async () => {
  const { batches, batcher } = logged(() => null, 2);
  await Promise.all(["a", "b", "c", "d", "e"].map((item) => batcher.submit(item)));
  expect(batches.map((b) => b.length)).toEqual([1, 2, 2]);
});

it("tries the items of a failed write one by one, so only the bad one fails", async () => {
  const { batches, batcher } = logged((items) => (items.includes("bad") ? new Error("bad row") : null));
  const settled = await Promise.allSettled(["a", "b", "bad", "c"].map((item) => batcher.submit(item)));
  expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual([
    "A",
    "B",
    "bad row",
    "C",
  ]);
  expect(batches).toEqual([["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
});

it("fails the whole write at once when trying again alone can't help", async () => {
  const { batches, batcher } = logged((items) => (items.length > 1 ? new Unavailable("down") : null));
  const settled = await Promise.allSettled(["a", "b", "c"].map((item) => batcher.submit(item)));
  expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "rejected"]);
  expect(batches).toEqual([["a"], ["b", "c"]]);
  expect(await batcher.submit("d")).toBe("D");
});
