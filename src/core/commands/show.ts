import { clip, toCard } from "../paper-card.js";
import { parseArxivId } from "../paper-id.js";
import { fail, ok } from "../result.js";
import { relatedPapers } from "../search/related-papers.js";
import type { CommandDefinition } from "./command.js";

export const showCommand: CommandDefinition<{ id: string }> = {
  name: "show",
  usage: "/papers show <arXiv id or URL>",
  summary: "one paper in full, with related papers",
  parse(rest) {
    const text = rest.trim();
    const id = parseArxivId(text) ?? (/^t:[0-9a-f]{16}$/.test(text) ? text : null);
    if (id) return ok({ id });
    return fail(
      text
        ? `"${text.slice(0, 60)}" is not an arXiv id or URL (e.g. 2401.12345 or https://arxiv.org/abs/2401.12345)`
        : "which paper? e.g. /papers show 2401.12345",
    );
  },
  async run(deps, context, { id }) {
    const paper = await deps.store.papers.get(id);
    if (!paper) {
      return {
        visibility: "ephemeral",
        tone: "info",
        title: `Paper ${id} is not in paperboy's library yet`,
        lines: [`An admin can add it: npx paperboy ingest --source arxiv --query id:${id}`],
      };
    }
    const channelId = await deps.store.channels.ensureId(context.address);
    const related = await relatedPapers(deps.store.papers, paper, {
      limit: 3,
      channelId,
      index: deps.searchIndex,
      now: deps.clock.now(),
    });
    const lines = [
      paper.aiSummary ? `Summary: ${paper.aiSummary}` : "",
      `Abstract: ${clip(paper.abstract, 1200)}`,
      paper.aiKeywords.length > 0 ? `Keywords: ${paper.aiKeywords.join(", ")}` : "",
      paper.categories.length > 0 ? `Categories: ${paper.categories.join(", ")}` : "",
    ].filter(Boolean);
    return {
      visibility: "ephemeral",
      tone: "info",
      title: paper.title,
      papers: [toCard(paper)],
      lines,
      related: related.map(toCard),
      shareCommand: `show ${paper.id}`,
    };
  },
};
