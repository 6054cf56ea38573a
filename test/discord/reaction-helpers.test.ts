import { describe, expect, it } from "vitest";
import { arrivalClock, reactionEmojiName } from "../../src/platforms/discord/register-reactions.js";
import { InFlight } from "../../src/platforms/in-flight.js";

/** A promise and the functions that settle it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("arrivalClock", () => {
  it("stamps events that arrive in the same millisecond in arrival order", () => {
    const arrived = arrivalClock(() => 1_000);
    const stamps = [arrived(), arrived(), arrived()].map((d) => d.getTime());
    expect(stamps).toEqual([1_000, 1_001, 1_002]);
  });

  it("follows the wall clock when it is ahead, and never goes back when it is not", () => {
    let now = 5_000;
    const arrived = arrivalClock(() => now);
    expect(arrived().getTime()).toBe(5_000);
    now = 9_000;
    expect(arrived().getTime()).toBe(9_000);
    now = 8_000;
    expect(arrived().getTime()).toBe(9_001);
  });
});

describe("reactionEmojiName", () => {
  it("names unicode emoji as they are, custom ones by name, nameless ones by id", () => {
    expect(reactionEmojiName({ id: null, name: "👍" })).toBe("👍");
    expect(reactionEmojiName({ id: "123", name: "upvote" })).toBe("upvote");
    expect(reactionEmojiName({ id: "123", name: null })).toBe("custom:123");
    expect(reactionEmojiName({ id: null, name: null })).toBe("");
  });
});

describe("InFlight", () => {
  it("passes results and failures through and forgets finished work", async () => {
    const work = new InFlight();
    await expect(work.track(Promise.resolve(7))).resolves.toBe(7);
    await expect(work.track(Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(work.size).toBe(0);
  });

  it("settles once the work running now is done, failed or not", async () => {
    const work = new InFlight();
    const a = deferred();
    const b = deferred();
    void work.track(a.promise);
    void work.track(b.promise).catch(() => {});
    const order: string[] = [];
    const settled = work.settled().then(() => order.push("settled"));
    a.resolve();
    await a.promise;
    order.push("a done");
    b.reject(new Error("failed write"));
    await settled;
    expect(order).toEqual(["a done", "settled"]);
    expect(work.size).toBe(0);
  });

  it("stops waiting after the timeout, leaving the work running", async () => {
    const work = new InFlight();
    const stuck = deferred();
    void work.track(stuck.promise);
    await work.settled(10);
    expect(work.size).toBe(1);
    expect(await work.drain(10)).toBe(false);
    stuck.resolve();
    expect(await work.drain(1_000)).toBe(true);
  });

  it("drains work started while draining", async () => {
    const work = new InFlight();
    const first = deferred();
    const second = deferred();
    void work.track(first.promise);
    const drained = work.drain(5_000);
    void first.promise.then(() => {
      void work.track(second.promise);
      queueMicrotask(() => second.resolve());
    });
    first.resolve();
    expect(await drained).toBe(true);
    expect(work.size).toBe(0);
  });
});
