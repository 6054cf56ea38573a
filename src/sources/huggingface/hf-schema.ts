import { z } from "zod";

// Everything is nullish: HF omits or nulls fields freely (no repo, no AI summary yet, hidden authors).
// z.object drops unknown keys instead of rejecting them, so new HF fields don't break us.
const paperFields = {
  id: z.string().nullish(),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  authors: z.array(z.object({ name: z.string().nullish() })).nullish(),
  publishedAt: z.string().nullish(),
  submittedOnDailyAt: z.string().nullish(),
  upvotes: z.number().nullish(),
  githubRepo: z.string().nullish(),
  projectPage: z.string().nullish(),
  githubStars: z.number().nullish(),
  ai_summary: z.string().nullish(),
  ai_keywords: z.array(z.string()).nullish(),
};

const hfPaperSchema = z.object(paperFields);

/** One element of /api/daily_papers: paper fields under `paper`, at the top level, or both. */
export const hfDailyEntrySchema = z.object({ ...paperFields, paper: hfPaperSchema.nullish() });

export const hfDailyPapersSchema = z.array(hfDailyEntrySchema);

export type HfDailyEntry = z.infer<typeof hfDailyEntrySchema>;
