/**
 * Words that carry no topic in a question about papers: English stop words and the filler of
 * "papers about…", "what's new on…", "anything on…".
 */
export const QUERY_STOP_WORDS = new Set(
  `a about above after again all also am an and any anything are as at be been being below between both but by
   can could did do does doing done during each few find for from further get got had has have having he her here
   hers how i if in into is it its itself just latest lately like looking me more most my new newest no nor not
   now of off on once only or other our out over own paper papers please recent recently research same she should
   show so some something such than that the their them then there these they this those through to today too
   under until up very want was we were what whats what's when where which while who whom why will with work
   works would you your yours us let lets tell give any anyone someone study studies article articles arxiv
   preprint preprints publication publications related regarding topic topics stuff things thing using use used
   make making made way ways better good best`.split(/\s+/),
);
