import type { SourceRequest } from "../../core/paper-source.js";
import { fail, ok, type Result } from "../../core/result.js";

// arXiv archives. Listing them keeps "attention mechanism" a free query while "cs.LG" is a category.
const DOTTED = "cs|math|stat|physics|q-bio|q-fin|eess|econ|astro-ph|cond-mat|nlin";
const STANDALONE = "gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|nucl-ex|nucl-th|quant-ph|astro-ph|cond-mat";
const CATEGORY = new RegExp(`^(?:(?:${DOTTED})\\.[A-Za-z-]+|${STANDALONE})$`);
// Someone who already speaks arXiv's query syntax gets it passed through untouched.
const QUERY_SYNTAX = /\b(?:ti|au|abs|co|jr|cat|rn|id|all|submittedDate):|\b(?:AND|OR|ANDNOT)\b/;

/**
 * The search_query for a request: "cs.LG cs.CL" -> "cat:cs.LG OR cat:cs.CL", free words -> "all:w1 AND all:w2",
 * narrowed to request.date's submissions when given.
 */
export function buildSearchQuery({ query, date }: SourceRequest): Result<string> {
  const terms = termsQuery(query?.trim() ?? "");
  if (date === undefined) {
    return terms
      ? ok(terms)
      : fail('arXiv needs a query: categories like "cs.LG cs.CL", search words, or a date');
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!day) return fail(`unrecognized date "${date}" for arXiv: expected YYYY-MM-DD`);
  const compact = `${day[1]}${day[2]}${day[3]}`;
  const range = `submittedDate:[${compact}0000 TO ${compact}2359]`;
  if (!terms) return ok(range);
  return ok(`${terms.includes(" ") ? `(${terms})` : terms} AND ${range}`);
}

function termsQuery(query: string): string {
  if (!query || QUERY_SYNTAX.test(query)) return query;
  const terms = query.split(/[\s,]+/);
  if (terms.every((term) => CATEGORY.test(term))) return terms.map((term) => `cat:${term}`).join(" OR ");
  return terms.map((term) => `all:${term}`).join(" AND ");
}
