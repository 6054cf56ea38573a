import { expect, it } from "vitest";
import { nextTurn } from "../../src/core/search/next-turn.js";

it("lets one waiting search go per event-loop turn, with other ready work in between", async () => {
  const order: string[] = [];
  const searches = [0, 1, 2].map((i) => nextTurn().then(() => order.push(`search ${i}`)));
  // Ready at the same time as the first search: runs before the second, as an incoming request would.
  setImmediate(() => order.push("request"));
  await Promise.all(searches);
  expect(order).toEqual(["search 0", "request", "search 1", "search 2"]);
});
