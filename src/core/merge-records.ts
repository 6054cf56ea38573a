import type { Paper } from "./paper.js";

/** A paper merged from one or more source records: `sources` names every source that gave one. */
export type MergedPaper = Paper & { sources: string[] };

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();
const earliest = (a: Date | null, b: Date | null) => (a && b ? (a <= b ? a : b) : (a ?? b));
const latest = (a: string | null, b: string | null) => (a && b ? (a >= b ? a : b) : (a ?? b));
const known = <T>(next: T | null, prev: T | null) => next ?? prev;
const nonEmpty = <T>(next: T[], prev: T[]) => (next.length > 0 ? next : prev);

/**
 * Records of one paper (same id) merged as the database merges a new record into a stored one: the
 * longer abstract, the union of categories and sources, the earliest publication, the latest featured
 * day, and every other field kept unless the later record knows it. So a batch holding two records of
 * a paper stores what two batches would.
 */
export function mergeRecords(records: (Paper & { sources?: string[] })[]): MergedPaper[] {
  const byId = new Map<string, MergedPaper>();
  for (const record of records) {
    const prev = byId.get(record.id);
    const sources = record.sources ?? [record.source];
    if (!prev) {
      byId.set(record.id, { ...record, sources });
      continue;
    }
    byId.set(record.id, {
      ...record,
      title: record.title || prev.title,
      abstract: record.abstract.length >= prev.abstract.length ? record.abstract : prev.abstract,
      authors: nonEmpty(record.authors, prev.authors),
      publishedAt: earliest(prev.publishedAt, record.publishedAt),
      featuredOn: latest(prev.featuredOn, record.featuredOn),
      categories: union(prev.categories, record.categories),
      absUrl: known(record.absUrl, prev.absUrl),
      pdfUrl: known(record.pdfUrl, prev.pdfUrl),
      hfUrl: known(record.hfUrl, prev.hfUrl),
      codeUrl: known(record.codeUrl, prev.codeUrl),
      projectUrl: known(record.projectUrl, prev.projectUrl),
      hfUpvotes: known(record.hfUpvotes, prev.hfUpvotes),
      githubStars: known(record.githubStars, prev.githubStars),
      aiSummary: known(record.aiSummary, prev.aiSummary),
      aiKeywords: nonEmpty(record.aiKeywords, prev.aiKeywords),
      sources: union(prev.sources, sources),
    });
  }
  return [...byId.values()];
}
