import { and, eq } from "drizzle-orm";
import type { SourceFetchStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { sourceFetches } from "./schema.js";

export function createSourceFetchStore(db: Database): SourceFetchStore {
  return {
    async lastFetch(source, key) {
      const rows = await db.orm
        .select()
        .from(sourceFetches)
        .where(and(eq(sourceFetches.source, source), eq(sourceFetches.key, key)));
      return rows[0] ? { fetchedAt: rows[0].fetchedAt, papers: rows[0].papers, error: rows[0].error } : null;
    },
    async recordFetch(source, key, fetchedAt, papers, error) {
      await db.orm
        .insert(sourceFetches)
        .values({ source, key, fetchedAt, papers, error })
        .onConflictDoUpdate({
          target: [sourceFetches.source, sourceFetches.key],
          set: { fetchedAt, papers, error },
        });
    },
  };
}
