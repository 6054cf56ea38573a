import { type SQL, sql } from "drizzle-orm";
import type { PaperVectorStore } from "../core/ports.js";
import { fail, ok } from "../core/result.js";
import { type Database, type Orm, rowsOf } from "./client.js";
import { openVectorDatabase, type VectorDatabase } from "./vector-database.js";

// Constants for advisory locks: any values, the same in every paperboy process.
const PREPARE_LOCK = 7_261_004_513;
const FILL_LOCK = 7_261_004_514;
/** HNSW's limits: `vector` up to 2,000 dimensions, `halfvec` (half precision) up to 4,000. */
const VECTOR_LIMIT = 2_000;
const MAX_DIMENSIONS = 4_000;
/**
 * Rows per insert. PGlite runs each statement on the bot's own thread, and an HNSW insert there takes
 * about 3 ms per 384-dimension vector (measured: 186 ms for 64; as halfvec 686 ms, since WASM converts
 * half floats in software): 16 rows hold the thread about 50 ms at a time.
 */
const INSERT_ROWS = 16;
/** Paper ids looked at per step when finding the papers without a vector (about 20 bytes each). */
const SCAN = 10_000;

const literal = (vector: Float32Array) => `[${Array.from(vector).join(",")}]`;
const rows = <T extends Record<string, unknown>>(on: Orm, query: SQL) =>
  on.execute(query).then((result) => rowsOf<T>(result));
const anyOf = (ids: string[]) =>
  sql`any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`;

/** The column type for a model's vectors: full precision where HNSW allows it. */
const columnType = (dimensions: number) => (dimensions <= VECTOR_LIMIT ? "vector" : "halfvec");

/**
 * Vectors live outside the migrations: a migration cannot require an extension the server may lack,
 * so the table is made here, when an embeddings endpoint is configured and pgvector is there. In the
 * papers' own database a vector goes with its paper (foreign key); in a database of its own, the
 * vectors of deleted papers are pruned after each pass. Inner-product HNSW: the vectors are unit
 * length, so inner product is cosine.
 */
const CREATE = (type: string, dimensions: number, separate: boolean) => [
  "create extension if not exists vector",
  `create table if not exists paper_vectors (
    paper_id text primary key${separate ? "" : " references papers(id) on delete cascade on update cascade"},
    model text not null,
    embedding ${type}(${dimensions}) not null,
    embedded_at timestamptz not null default now()
  )`,
  `create index if not exists paper_vectors_embedding on paper_vectors using hnsw (embedding ${type}_ip_ops)`,
];

/** Paper vectors in pgvector: in the papers' database on a server, in a PGlite of their own when embedded. */
export function createPaperVectorStore(
  papers: Database,
  /** Where the vectors go (tests pass their own); opened on first use. */
  vectorDatabase: () => Promise<VectorDatabase> = () => openVectorDatabase(papers),
): PaperVectorStore {
  let opened: Promise<VectorDatabase> | undefined;
  const open = () => {
    opened ??= vectorDatabase();
    return opened;
  };
  let model: string | undefined;
  let cast = sql.raw("vector");

  /** Deletes the vectors of papers no longer in the library (a separate database has no foreign key). */
  async function prune(vectors: Database): Promise<void> {
    for (let after = ""; ; ) {
      const ids = (
        await vectors.rows<{ id: string }>(
          sql`select paper_id as id from paper_vectors where paper_id > ${after} order by paper_id limit ${SCAN}`,
        )
      ).map((row) => row.id);
      if (ids.length === 0) return;
      const kept = new Set(
        (await papers.rows<{ id: string }>(sql`select id from papers where id = ${anyOf(ids)}`)).map(
          (r) => r.id,
        ),
      );
      const gone = ids.filter((id) => !kept.has(id));
      if (gone.length > 0) await vectors.rows(sql`delete from paper_vectors where paper_id = ${anyOf(gone)}`);
      after = ids.at(-1) as string;
    }
  }

  return {
    async prepare(name, dimensions) {
      if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS)
        return fail(
          `the model's vectors have ${dimensions} dimensions; pgvector indexes up to ${MAX_DIMENSIONS}`,
        );
      const type = columnType(dimensions);
      const { db, separate } = await open();
      const [available] = await db.rows<{ installed: boolean | null }>(
        sql`select installed_version is not null as installed from pg_available_extensions where name = 'vector'`,
      );
      if (!available)
        return fail(
          "the database server has no pgvector: install it (https://github.com/pgvector/pgvector) to find papers by meaning",
        );
      try {
        await db.orm.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(${PREPARE_LOCK})`);
          const [column] = await rows<{ type: string }>(
            tx as unknown as Orm,
            sql`select format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
                where a.attrelid = to_regclass('paper_vectors') and a.attname = 'embedding'`,
          );
          // Vectors of another size can't be compared with this model's: they are embedded again.
          if (column && column.type !== `${type}(${dimensions})`)
            await tx.execute(sql`drop table paper_vectors`);
          for (const statement of CREATE(type, dimensions, separate)) await tx.execute(sql.raw(statement));
          await tx.execute(sql`delete from paper_vectors where model <> ${name}`);
        });
      } catch (error) {
        const reason = (error as Error).message;
        if (!available.installed && /permission|must be (owner|superuser)/i.test(reason))
          return fail(
            `paperboy may not install pgvector (${reason}): run "create extension vector" as a superuser`,
          );
        throw error;
      }
      model = name;
      cast = sql.raw(type);
      return ok(undefined);
    },

    async nearest(vector, limit) {
      const { db } = await open();
      const found = await db.rows<{ id: string; distance: number }>(sql`
        select paper_id as id, (embedding <#> ${literal(vector)}::${cast})::float8 as distance
        from paper_vectors order by embedding <#> ${literal(vector)}::${cast} limit ${limit}`);
      // <#> is the negative inner product.
      return found.map((row) => ({ id: row.id, similarity: -Number(row.distance) }));
    },

    async vectorsOf(ids) {
      if (ids.length === 0) return new Map();
      const { db } = await open();
      const found = await db.rows<{ id: string; embedding: string }>(sql`
        select paper_id as id, embedding::text as embedding from paper_vectors where paper_id = ${anyOf(ids)}`);
      return new Map(found.map((row) => [row.id, Float32Array.from(JSON.parse(row.embedding) as number[])]));
    },

    async fillMissing(after, limit, embed) {
      if (!model) return fail("prepare the vector table first");
      const name = model;
      const vectors = await open();
      // `main` reads papers, `store` holds vectors: one transaction on a server, two databases embedded.
      const fill = async (main: Orm, store: Orm) => {
        // Ids first, texts only for the papers without a vector: a pass over a library that is all
        // embedded reads ids, not every title and abstract again.
        const ids = (
          await rows<{ id: string }>(
            main,
            sql`select id from papers where id > ${after} order by id limit ${SCAN}`,
          )
        ).map((r) => r.id);
        const have = new Set(
          ids.length === 0
            ? []
            : (
                await rows<{ id: string }>(
                  store,
                  sql`select paper_id as id from paper_vectors where paper_id = ${anyOf(ids)}`,
                )
              ).map((r) => r.id),
        );
        const missingIds = ids.filter((id) => !have.has(id)).slice(0, limit);
        // Where the next call goes on: after the last paper embedded now, or all those looked at.
        const last = missingIds.length === limit ? (missingIds.at(-1) as string) : (ids.at(-1) ?? null);
        const end = ids.length < SCAN && missingIds.length < limit;
        // A paper deleted since its id was read is not here; the pass goes on without it.
        const missing =
          missingIds.length === 0
            ? []
            : await rows<{ id: string; title: string; abstract: string }>(
                main,
                sql`select id, title, abstract from papers where id = ${anyOf(missingIds)} order by id`,
              );
        if (missing.length > 0) {
          const embedded = await embed(missing);
          if (!embedded.ok) return embedded;
          const values = missing.map(
            (paper, i) => sql`(${paper.id}, ${name}, ${literal(embedded.value[i] as Float32Array)}::${cast})`,
          );
          for (let i = 0; i < values.length; i += INSERT_ROWS)
            await store.execute(sql`
              insert into paper_vectors (paper_id, model, embedding)
              values ${sql.join(values.slice(i, i + INSERT_ROWS), sql`, `)}
              on conflict (paper_id) do update set model = excluded.model, embedding = excluded.embedding,
                embedded_at = now()`);
        }
        if (end && vectors.separate) await prune(vectors.db);
        return ok({ stored: missing.length, last: end ? null : last, busy: false });
      };
      // The embedded databases are this process's own, and a transaction there would hold every
      // other query of the bot for the embedding call: no claim is needed, and none is taken.
      if (vectors.separate) return fill(papers.orm, vectors.db.orm);
      return papers.orm.transaction(async (tx) => {
        const on = tx as unknown as Orm;
        const [claim] = await rows<{ got: boolean }>(
          on,
          sql`select pg_try_advisory_xact_lock(${FILL_LOCK}) as got`,
        );
        if (!claim?.got) return ok({ stored: 0, last: after, busy: true });
        // A paper deleted since it was read fails the batch on its foreign key; the next pass skips it.
        return fill(on, on);
      });
    },

    async close() {
      if (opened) await (await opened).close();
    },
  };
}
