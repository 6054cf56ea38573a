import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Paper } from "../../src/core/paper.js";
import { titleId } from "../../src/core/paper-id.js";
import type { Result } from "../../src/core/result.js";
import { parseTextPage } from "../../src/sources/file/parse-text-page.js";
import { fixture } from "./fixture-server.js";

const page = readFileSync(new URL("../../samples/hf-papers-page.txt", import.meta.url), "utf8");
// Real title/abstract pairs to build small pages from.
const [bdh, statem] = (
  JSON.parse(fixture("hf_daily_papers.json")) as Array<{ paper: { title: string; summary: string } }>
).map((entry) => entry.paper);
if (!bdh || !statem) throw new Error("fixture changed: expected at least two daily papers");

function papers(result: Result<Paper[]>): Paper[] {
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.value;
}

describe("parseTextPage on the copied Hugging Face page", () => {
  const result = papers(parseTextPage(page));

  it("finds exactly the 100 papers, first and last in order", () => {
    expect(result).toHaveLength(100);
    expect(result[0]?.title).toBe("Sparse Concept Bottleneck Models: Gumbel Tricks in Contrastive Learning");
    expect(result[99]?.title).toBe("Unified Functional Hashing in Automatic Machine Learning");
  });

  it("keeps abstracts whole", () => {
    expect(result[0]?.abstract).toMatch(
      /^We propose a novel architecture and method of explainable classification/,
    );
    expect(result[0]?.abstract).toMatch(
      /The code is available at: https:\/\/github\.com\/Andron00e\/SparseCBM\.$/,
    );
    expect(result[1]?.title).toBe(
      "Parametric Depth Based Feature Representation Learning for Object Detection and Segmentation in Bird's Eye View",
    );
    expect(result[99]?.abstract).toMatch(
      /^The field of Automatic Machine Learning \(AutoML\) has recently attained/,
    );
    expect(result[99]?.abstract).toMatch(
      /we hope this paper may serve as a guide to hashing techniques in AutoML\.$/,
    );
    expect(Math.min(...result.map((p) => p.abstract.length))).toBeGreaterThan(1000);
  });

  it("skips the page chrome and keeps short real titles", () => {
    const titles = result.map((p) => p.title);
    for (const chrome of ["new", "Subscribe", "Get trending papers in your email inbox!", "Mar 11"]) {
      expect(titles).not.toContain(chrome);
    }
    expect(titles).toContain("Discrete Key-Value Bottleneck");
    expect(titles).toContain("NAS evaluation is frustratingly hard");
  });

  it("gives title ids, since the page has no arXiv ids", () => {
    expect(result[0]?.id).toBe(
      titleId("Sparse Concept Bottleneck Models: Gumbel Tricks in Contrastive Learning"),
    );
    expect(new Set(result.map((p) => p.id)).size).toBe(100);
    expect(result.every((p) => p.absUrl === null && p.source === "file")).toBe(true);
  });
});

describe("parseTextPage heuristics", () => {
  const chrome = [
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "byAK and the research community",
    "Mar 11",
    "Previous",
    "Next",
    "Submitted by akhaliq",
    "781",
    "447 upvotes",
  ];
  it.each(chrome)("does not mistake %j between a title and its abstract for the title", (line) => {
    const result = papers(parseTextPage([bdh.title, line, bdh.summary].join("\n\n")));
    expect(result.map((p) => p.title)).toEqual([bdh.title]);
  });

  it("ignores chrome between a title and its abstract and picks up arXiv links", () => {
    const text = [
      "Previous",
      bdh.title,
      "Submitted by janchorowski",
      "781",
      "https://arxiv.org/abs/2608.09888v2",
      bdh.summary,
      `${statem.title} (arXiv:2608.15089)`,
      "447 upvotes",
      statem.summary,
      "Next",
    ].join("\n\n");
    const result = papers(parseTextPage(text));

    expect(result.map((p) => [p.id, p.title])).toEqual([
      ["2608.09888", bdh.title],
      ["2608.15089", statem.title],
    ]);
    expect(result[0]?.absUrl).toBe("https://arxiv.org/abs/2608.09888");
  });

  it("folds hard-wrapped abstracts and CRLF line ends", () => {
    const wrapped = bdh.summary.replace(/(.{70}\S*) /g, "$1\r\n");
    const result = papers(parseTextPage(`${bdh.title}\r\n\r\n${wrapped}\r\n`));
    expect(result[0]?.abstract).toBe(bdh.summary);
  });

  it("falls back to one paragraph per line when a paste has no blank lines", () => {
    const result = papers(
      parseTextPage(`Mar 11\n${bdh.title}\n${bdh.summary}\n${statem.title}\n${statem.summary}\n`),
    );
    expect(result.map((p) => p.title)).toEqual([bdh.title, statem.title]);
  });

  it("fails with what it expected when there is no title-then-abstract", () => {
    const result = parseTextPage("new\n\nSubscribe\n\nMar 11\n\nJust a short note.");
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringContaining("no papers found in 4 paragraph(s)"),
    });
    expect(result).toMatchObject({
      error: expect.stringContaining("abstract paragraph of at least 200 characters"),
    });
  });
});
