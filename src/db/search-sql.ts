import { type SQL, sql } from "drizzle-orm";
import type { SearchGroup } from "../core/ports.js";

/** A tsquery matching any alternative of a group; each alternative is a phrase (words in order). */
export function groupQuery(group: SearchGroup): SQL {
  const parts = group.alternatives.map((alt) => sql`phraseto_tsquery('english', ${alt})`);
  return parts.length === 1 ? (parts[0] as SQL) : sql`(${sql.join(parts, sql` || `)})`;
}

/** A tsquery matching any group at all: the candidate set. */
export function anyGroupQuery(groups: SearchGroup[]): SQL {
  return sql`(${sql.join(groups.map(groupQuery), sql` || `)})`;
}
