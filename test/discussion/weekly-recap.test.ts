import { PNG } from "pngjs";
import { expect, it } from "vitest";
import type { Channel } from "../../src/core/channel.js";
import type { ImageFile } from "../../src/core/chat-platform.js";
import { selectDigestPapers } from "../../src/core/digests/select-papers.js";
import type { Store } from "../../src/core/ports.js";
import { recapWeek } from "../../src/core/recap/recap-week.js";
import type { Reply } from "../../src/core/reply.js";
import { createStore } from "../../src/db/store.js";
import { DigestScheduler } from "../../src/scheduler/digest-scheduler.js";
import {
  ManualClock,
  papersOn,
  quietLogger,
  RecordingPoster,
  subscribeChannel,
} from "../digests/digest-harness.js";
import { describeEachDatabase } from "../helpers/test-databases.js";

class ImagePoster extends RecordingPoster {
  readonly images: { channel: string; reply: Reply; image: ImageFile }[] = [];
  async postImage(channel: Channel, reply: Reply, image: ImageFile) {
    this.images.push({ channel: channel.channelRef, reply, image });
    return `img${this.images.length}`;
  }
}

const scheduler = (store: Store, poster: RecordingPoster, clock: ManualClock, owner = "a") =>
  new DigestScheduler({
    store,
    posters: new Map([["slack", poster]]),
    select: selectDigestPapers,
    clock,
    logger: quietLogger,
    owner,
    recapWeekday: 1,
  });

describeEachDatabase("the weekly recap", (t) => {
  it("posts once a week per channel: the most upvoted and discussed papers, with a chart", async () => {
    const store = createStore(t.db);
    const clock = new ManualClock(new Date("2026-01-12T06:00:00Z"));
    await subscribeChannel(store, "C1", clock.now(), { paperCount: 2 });
    await subscribeChannel(store, "C2", clock.now(), { paperCount: 2 });
    const poster = new ImagePoster();
    // Monday to Friday: two papers a day in each channel.
    for (const [i, day] of ["2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"].entries()) {
      await store.papers.upsert(papersOn(day, 2, `26${10 + i}`), new Date(`${day}T06:00:00Z`));
      clock.set(`${day}T09:00:00Z`);
      await scheduler(store, poster, clock).tick();
    }
    // The first Monday had nothing to recap: nothing was posted the week before.
    expect(poster.images).toEqual([]);
    const c1 = (await store.channels.find("slack", "C1")) as Channel;
    const posts = (await store.digestRuns.recent(20, c1.id)).filter((r) => r.kind === "daily");
    expect(posts).toHaveLength(5);
    const sent = (await Promise.all(posts.map((r) => store.posts.ofRun(r.id)))).flat();
    const vote = (postId: number, paperId: string, userRef: string, action: "up" | "down") =>
      store.votes.apply({
        postId,
        paperId,
        platform: "slack",
        userRef,
        emoji: action === "up" ? "+1" : "-1",
        action,
        added: true,
        eventAt: new Date("2026-01-16T10:00:00Z"),
      });
    const [a, b, c] = sent;
    for (const user of ["U1", "U2", "U3"]) await vote(a?.id ?? 0, a?.paperId ?? "", user, "up");
    await vote(b?.id ?? 0, b?.paperId ?? "", "U1", "up");
    await vote(c?.id ?? 0, c?.paperId ?? "", "U1", "down");
    for (let i = 0; i < 4; i++) await store.posts.countReply(c1.id, c?.threadRef ?? "");

    // Next Monday: two processes race on the tick; one recap goes out, in C1 only (C2 had no votes).
    clock.set("2026-01-19T09:00:00Z");
    await Promise.all([
      scheduler(store, poster, clock, "a").tick(),
      scheduler(store, poster, clock, "b").tick(),
    ]);
    expect(poster.images.map((i) => i.channel)).toEqual(["C1"]);
    const [{ reply, image }] = poster.images as [(typeof poster.images)[0]];
    const paperA = await store.papers.get(a?.paperId ?? "");
    const paperC = await store.papers.get(c?.paperId ?? "");
    expect(reply.title).toBe("📊 The week in papers · 12–18 Jan 2026");
    expect(reply.lines?.[0]).toBe("Most upvoted:");
    expect(reply.lines?.[1]).toBe(`1. ${paperA?.title} — +3 votes · 0 replies`);
    expect(reply.lines).toContain("Most discussed:");
    expect(reply.lines).toContain(`1. ${paperC?.title} — -1 vote · 4 replies`);
    const c2 = (await store.channels.find("slack", "C2")) as Channel;
    expect((await store.digestRuns.get(c2.id, "2026-01-19", "weekly"))?.status).toBe("empty");
    expect((await store.digestRuns.get(c1.id, "2026-01-19", "weekly"))?.status).toBe("done");

    // Tuesday's digest doesn't post it again.
    clock.set("2026-01-20T09:00:00Z");
    await scheduler(store, poster, clock, "c").tick();
    expect(poster.images).toHaveLength(1);

    // The chart, read back: a real PNG of the stated size, with white background and teal bars.
    const png = PNG.sync.read(Buffer.from(image.png));
    expect([png.width, png.height]).toEqual([image.width, image.height]);
    expect(png.width).toBeGreaterThan(600);
    expect(png.height).toBeGreaterThan(200);
    let white = 0;
    let teal = 0;
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b2] = [png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number];
      if (r > 250 && g > 250 && b2 > 250) white++;
      else if (Math.abs(r - 0x2a) < 8 && Math.abs(g - 0x9d) < 8 && Math.abs(b2 - 0x8f) < 8) teal++;
      else if (r < 120 && g < 120 && b2 < 120) ink++;
    }
    const pixels = png.width * png.height;
    expect(white / pixels).toBeGreaterThan(0.5);
    expect(teal / pixels).toBeGreaterThan(0.01);
    // Text was drawn (titles, axis labels): the shipped font works without system fonts.
    expect(ink).toBeGreaterThan(2000);
    expect(image.altText).toContain(paperA?.title.slice(0, 20));
  });

  it("recaps the week before the recap day, and only within two days of it", () => {
    expect(recapWeek("2026-01-19", 1)).toEqual({ key: "2026-01-19", from: "2026-01-12", to: "2026-01-19" });
    expect(recapWeek("2026-01-21", 1)?.key).toBe("2026-01-19");
    expect(recapWeek("2026-01-22", 1)).toBeNull();
    expect(recapWeek("2026-01-19", 7)?.key).toBe("2026-01-18");
  });
});
