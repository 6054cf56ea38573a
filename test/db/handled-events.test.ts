import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { createStore } from "../../src/db/store.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

async function storedIds(db: Database): Promise<string[]> {
  const rows = await db.rows<{ id: string }>(
    sql`select platform || ' ' || event_id as id from handled_events order by 1`,
  );
  return rows.map((r) => r.id);
}

describeEachDatabase("handled events", (t) => {
  it("claims an event once per platform and id", async () => {
    const { events } = createStore(t.db);
    expect(await events.claim("slack", "mention:Ev0AATDEL38U")).toBe(true);
    expect(await events.claim("slack", "mention:Ev0AATDEL38U")).toBe(false);
    // The same id elsewhere is another event.
    expect(await events.claim("discord", "mention:Ev0AATDEL38U")).toBe(true);
    expect(await events.claim("slack", "reply:Ev0AATDEL38U")).toBe(true);
    expect(await storedIds(t.db)).toEqual([
      "discord mention:Ev0AATDEL38U",
      "slack mention:Ev0AATDEL38U",
      "slack reply:Ev0AATDEL38U",
    ]);
  });

  it("lets exactly one of many simultaneous claims win, from two processes' stores", async () => {
    // On the server, the second store has a connection pool of its own, as another replica would.
    const second = t.url ? await openDatabase({ databaseUrl: t.url, poolSize: 4 }) : t.db;
    try {
      const stores = [createStore(t.db), createStore(second)];
      for (const id of ["Ev1", "Ev2", "Ev3"]) {
        const won = await Promise.all(
          Array.from({ length: 12 }, (_, i) => stores[i % 2]?.events.claim("slack", `mention:${id}`)),
        );
        expect(
          won.filter((w) => w === true),
          id,
        ).toHaveLength(1);
      }
    } finally {
      if (second !== t.db) await second.close();
    }
  });

  it("deletes rows older than three days on a claim, so their ids could be claimed again", async () => {
    await t.db.exec(`insert into handled_events (platform, event_id, handled_at) values
      ('slack', 'mention:EvOLD', now() - interval '4 days'),
      ('slack', 'mention:EvRECENT', now() - interval '2 days')`);
    const { events } = createStore(t.db);
    expect(await events.claim("slack", "mention:EvNEW")).toBe(true);
    expect(await storedIds(t.db)).toEqual(["slack mention:EvNEW", "slack mention:EvRECENT"]);
    expect(await events.claim("slack", "mention:EvRECENT")).toBe(false);
    expect(await events.claim("slack", "mention:EvOLD")).toBe(true);
  });
});
