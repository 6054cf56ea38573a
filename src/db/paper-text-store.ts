import { eq } from "drizzle-orm";
import type { PaperTextStore } from "../core/ports.js";
import type { Database } from "./client.js";
import { paperTexts } from "./schema.js";

export function createPaperTextStore(db: Database): PaperTextStore {
  return {
    async get(paperId) {
      const rows = await db.orm.select().from(paperTexts).where(eq(paperTexts.paperId, paperId));
      const row = rows[0];
      return row
        ? {
            paperId: row.paperId,
            source: row.source,
            sections: row.sections,
            error: row.error,
            fetchedAt: row.fetchedAt,
          }
        : null;
    },
    async put(text) {
      const values = {
        source: text.source,
        sections: text.sections,
        error: text.error,
        fetchedAt: text.fetchedAt,
      };
      await db.orm
        .insert(paperTexts)
        .values({ paperId: text.paperId, ...values })
        .onConflictDoUpdate({ target: paperTexts.paperId, set: values });
    },
  };
}
