import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { createLlmClient } from "../../src/core/discussion/llm-client.js";
import { ANSWER_SYSTEM_PROMPT } from "../../src/core/discussion/prompts.js";
import { createStore } from "../../src/db/store.js";
import { ManualClock } from "../digests/digest-harness.js";
import { LlmEmulator, passagesOf } from "../emulators/llm.js";
import { describeEachDatabase } from "../helpers/test-databases.js";
import { ask, byTitle, loadSample, makeCore, postPaper, said } from "./discussion-harness.js";

const llm = new LlmEmulator();
beforeAll(() => llm.start());
afterAll(() => llm.stop());
beforeEach(() => {
  llm.mode = "normal";
  llm.requests.length = 0;
  llm.respond = (request) => {
    const first = passagesOf(request)[0];
    return first ? `The paper says: ${first.text.slice(0, 200)} [1]` : "NOT_IN_PAPER";
  };
});

describeEachDatabase("questions answered by a model from the paper's passages", (t) => {
  const clock = new ManualClock(new Date("2026-01-14T10:00:00Z"));
  const THREAD = "1700000000.000100";

  async function setup(timeoutMs = 2_000) {
    const store = createStore(t.db);
    const papers = await loadSample(store, clock.now());
    await postPaper(store, "C1", byTitle(papers, "Parametric Depth Based Feature Representation").id, THREAD);
    const client = createLlmClient({
      baseUrl: llm.baseUrl,
      apiKey: "sk-test-key",
      model: "emu-model",
      timeoutMs,
      maxTokens: 300,
    });
    return makeCore(store, clock, { fullText: null, llm: client });
  }

  it("sends only the paper's passages with the one system prompt, and shows the cited answer", async () => {
    const core = await setup();
    llm.respond = (request) => {
      const data = passagesOf(request).find((p) => p.text.includes("nuScenes"));
      return data ? `They evaluate on the nuScenes datasets [${data.n}].` : "NOT_IN_PAPER";
    };
    const reply = await ask(core, "C1", THREAD, "what dataset?");
    expect(reply.title).toMatch(/^About “Parametric Depth/);
    expect(reply.lines).toEqual(["They evaluate on the nuScenes datasets [1].", "Sources: [1] Abstract"]);
    expect(reply.footer).toContain("emu-model");
    const [request] = llm.requests;
    expect(request?.headers.authorization).toBe("Bearer sk-test-key");
    expect(request?.body.model).toBe("emu-model");
    expect(request?.body.max_tokens).toBe(300);
    expect(request?.body.messages[0]).toEqual({ role: "system", content: ANSWER_SYSTEM_PROMPT });
    expect(request?.body.messages[1]?.content).toMatch(/\n\nQuestion: what dataset\?$/);
    expect(passagesOf(request as never).map((p) => p.section)).toEqual(["Abstract"]);
  });

  it("says the paper doesn't say when the model finds no answer in the passages", async () => {
    const core = await setup();
    llm.respond = () => "NOT_IN_PAPER";
    const reply = await ask(core, "C1", THREAD, "which GPU did they train on?");
    expect(reply.title).toBe("The paper doesn't say");
    expect(reply.footer).toContain("emu-model");
  });

  it.each([
    ["slow (past the timeout)", "slow"],
    ["failing (HTTP 500)", "failing"],
    ["malformed (no choices)", "malformed"],
    ["not JSON", "not-json"],
  ] as const)("falls back to quoting when the endpoint is %s", async (_name, mode) => {
    const core = await setup(400);
    llm.mode = mode;
    llm.slowMs = 15_000;
    const started = Date.now();
    const reply = await ask(core, "C1", THREAD, "what dataset?");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(llm.requests).toHaveLength(1);
    expect(reply.lines?.[0]).toContain("on the nuScenes datasets demonstrate");
    expect(reply.footer).toContain("The language model didn't answer this time.");
    // When the quotes find nothing either, the honest answer stands.
    const none = await ask(core, "C1", THREAD, "which GPU did they train on?");
    expect(none.title).toBe("The paper doesn't say");
  });

  it("does not trust an answer that cites no passage", async () => {
    const core = await setup();
    llm.respond = () => "They used ImageNet, as everyone does.";
    const reply = await ask(core, "C1", THREAD, "what dataset?");
    expect(said(reply)).not.toContain("ImageNet");
    expect(reply.lines?.[0]).toContain("nuScenes");
  });
});
