import { type SQL, sql } from "drizzle-orm";
import type { SearchGroup } from "../core/ports.js";
import { wellFormed } from "../core/well-formed.js";

/** Text Postgres and PGlite take as a parameter: no NUL, no lone surrogate. */
export const pgText = (text: string): string => wellFormed(text).replace(/\0/g, " ");

/** A tsquery matching any alternative of a group; each alternative is a phrase (words in order). */
export function groupQuery(group: SearchGroup): SQL {
  // Postgres text holds no NUL, and PGlite fails on half a surrogate pair: either would fail the query.
  const parts = group.alternatives.map((alt) => sql`phraseto_tsquery('english', ${pgText(alt)})`);
  return parts.length === 1 ? (parts[0] as SQL) : sql`(${sql.join(parts, sql` || `)})`;
}

/** A tsquery matching any group at all: the candidate set. */
export function anyGroupQuery(groups: SearchGroup[]): SQL {
  return sql`(${sql.join(groups.map(groupQuery), sql` || `)})`;
}
