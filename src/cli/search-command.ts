import { searchCommand as searchDefinition } from "../core/commands/search.js";
import { paperUrl } from "../core/paper-card.js";
import { searchPapers } from "../core/search/search-papers.js";
import { COLOR, PLAIN, renderReply } from "../platforms/terminal/render-text.js";
import { type CliCommand, intOption, needRuntime } from "./cli-command.js";

/** A search from the shell waits this long for the index (a snapshot loads in seconds); then the database answers. */
const INDEX_WAIT_MS = 20_000;

export const searchCommand: CliCommand = {
  name: "search",
  usage: 'search "<query>" [--limit N] [--json]',
  summary: "search the library",
  options: { limit: { type: "string" }, json: { type: "boolean" } },
  // Its output is the answer (often JSON for scripts): info logs, such as the index loading, stay out.
  logLevel: (config) => (process.env.LOG_LEVEL ? config.LOG_LEVEL : "warn"),
  async run(context) {
    const runtime = needRuntime(context);
    const query = context.positionals.join(" ").trim();
    if (!query) {
      console.error('paperboy search: what should I look for? e.g. paperboy search "kv cache compression"');
      return 2;
    }
    const limit = intOption(context.values.limit, "limit", 10, 100);
    if (typeof limit === "string") {
      console.error(`paperboy search: ${limit}`);
      return 2;
    }
    // An empty library would answer "No papers found" to everything (and its index has nothing to load):
    // say how to fill it instead.
    if ((await runtime.store.papers.count()) === 0) {
      const empty =
        "The library is empty. `npm start` fills it (today's papers, or the bundled sample when offline), " +
        "or load papers with `npx paperboy ingest --file samples/hf-papers-page.txt`.";
      if (context.values.json) {
        console.log("[]");
        console.error(`paperboy search: ${empty}`);
      } else console.log(empty);
      return 0;
    }
    const index = runtime.searchIndex;
    if (index) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        index.start().catch(() => {}),
        new Promise((resolve) => {
          timer = setTimeout(resolve, INDEX_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
    }
    if (context.values.json) {
      const outcome = await searchPapers(runtime.store.papers, query, { limit, index });
      const rows = outcome.papers.map((p) => ({
        id: p.id,
        title: p.title,
        score: Number(p.score.toFixed(4)),
        url: paperUrl(p),
      }));
      console.log(JSON.stringify(rows, null, 2));
      return 0;
    }
    const reply = await searchDefinition.run(
      runtime.core.deps,
      { address: { platform: "cli", workspaceId: "", channelRef: "" }, userRef: "cli", isAdmin: false },
      { query, limit },
    );
    console.log(renderReply(reply, process.stdout.isTTY ? COLOR : PLAIN));
    return 0;
  },
};
