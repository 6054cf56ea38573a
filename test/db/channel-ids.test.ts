import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { createStore } from "../../src/db/store.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

describeEachDatabase("channel ids", (t) => {
  it("finds a channel another replica's store made after this one looked for it", async () => {
    const here = createStore(t.db);
    const replica = createStore(t.db);
    expect(await here.channels.idOf("slack", "C1")).toBeNull();
    const made = await replica.channels.ensure({ platform: "slack", workspaceId: "T1", channelRef: "C1" });
    expect(await here.channels.idOf("slack", "C1")).toBe(made.id);
    // Another platform's channel with the same ref is another channel.
    expect(await here.channels.idOf("discord", "C1")).toBeNull();
  });

  it("gives a channel its row on a command's first sight, then answers from memory", async () => {
    const { channels } = createStore(t.db);
    const address = { platform: "slack", workspaceId: "T1", channelRef: "C2", name: "papers" };
    const id = await channels.ensureId(address);
    expect((await channels.find("slack", "C2"))?.name).toBe("papers");
    expect(await channels.ensureId(address)).toBe(id);
    expect(await channels.idOf("slack", "C2")).toBe(id);
    // Ids never change and rows are never deleted; renaming the ref behind the store's back shows
    // that the next answers come from memory, not from a query (which would make a second row).
    await t.db.exec(`update channels set channel_ref = 'C2-renamed' where id = ${id}`);
    expect(await channels.idOf("slack", "C2")).toBe(id);
    expect(await channels.ensureId(address)).toBe(id);
    expect(await createStore(t.db).channels.idOf("slack", "C2")).toBeNull();
    const rows = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from channels`);
    expect(rows[0]?.n).toBe(1);
  });
});
