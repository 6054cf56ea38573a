import { createRequire } from "node:module";
import type { ImageFile } from "../chat-platform.js";
import { clip } from "../paper-card.js";
import type { ListedPaper } from "../ports.js";

const require = createRequire(import.meta.url);
/** Shipped in an npm package, so text renders the same on a bare Debian image with no fonts at all. */
const FONTS = ["400Regular/Inter_400Regular.ttf", "600SemiBold/Inter_600SemiBold.ttf"].map((f) =>
  require.resolve(`@expo-google-fonts/inter/${f}`),
);
const BARS = 8;

/**
 * The weekly recap's chart: a bar chart of the week's top papers by votes, as a PNG. Vega-Lite
 * describes it, Vega draws it as SVG without a browser, resvg rasterizes it; all in-process, loaded
 * only when a recap is drawn.
 */
export async function renderWeeklyChart(papers: ListedPaper[], title: string): Promise<ImageFile> {
  const [vega, vegaLite, { Resvg }] = await Promise.all([
    import("vega"),
    import("vega-lite"),
    import("@resvg/resvg-js"),
  ]);
  const rows = papers.slice(0, BARS).map((p, i) => ({
    paper: `${i + 1}. ${clip(p.title, 56)}`,
    votes: p.votes,
    // Labels sit right of zero for papers voted down, not over their bar.
    at: Math.max(p.votes, 0),
    // Plain words, no emoji: the shipped font has no emoji glyphs.
    label: `${p.votes > 0 ? "+" : ""}${p.votes}${p.replies > 0 ? ` · ${p.replies} replies` : ""}`,
  }));
  const spec = vegaLite.compile({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: title, anchor: "start", fontSize: 16, fontWeight: 600 },
    width: 420,
    height: { step: 30 },
    background: "white",
    padding: 16,
    data: { values: rows },
    encoding: {
      y: {
        field: "paper",
        type: "nominal",
        sort: null,
        title: null,
        axis: { labelLimit: 400, labelFontSize: 12 },
      },
      x: { field: "votes", type: "quantitative", title: "Votes in this channel", axis: { tickMinStep: 1 } },
    },
    layer: [
      { mark: { type: "bar", color: "#2a9d8f", cornerRadiusEnd: 3 } },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "#333" },
        encoding: { text: { field: "label" }, x: { field: "at", type: "quantitative" } },
      },
    ],
    config: { font: "Inter", view: { stroke: null } },
  } as never).spec;
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const rendered = new Resvg(svg, {
    fitTo: { mode: "zoom", value: 2 },
    font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: "Inter" },
  }).render();
  return {
    png: rendered.asPng(),
    filename: "weekly-top-papers.png",
    width: rendered.width,
    height: rendered.height,
    altText: `${title}: ${rows.map((r) => `${r.paper} (${r.votes} votes)`).join("; ")}`,
  };
}
