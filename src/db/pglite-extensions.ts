import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The extensions every embedded database is opened with: pg_trgm for typo tolerance. pgvector is not
 * among them: loaded into the same PGlite (0.5.15 with @electric-sql/pglite-pgvector 0.0.16, the
 * pair it is built for), pg_trgm's `%` found nothing on some runs and spun forever in PGlite's error
 * handling on others (test/db/search-relevance.test.ts hung in CI, twice). Vectors
 * get a PGlite of their own instead (vector-database.ts), where both behave.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };
