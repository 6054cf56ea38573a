import type { RankedDocument } from "./rank-documents.js";

/** The best k (score, then smaller id) in a min-heap whose root is the worst kept. */
export class TopK {
  private readonly docs: number[] = [];
  private readonly scores: number[] = [];
  constructor(
    private readonly k: number,
    private readonly ids: string[],
  ) {}

  private worse(a: number, b: number): boolean {
    const sa = this.scores[a] as number;
    const sb = this.scores[b] as number;
    return (
      sa < sb ||
      (sa === sb &&
        (this.ids[this.docs[a] as number] as string) > (this.ids[this.docs[b] as number] as string))
    );
  }

  /** A score below this is not kept: the worst kept once k are, until then -Infinity. */
  get floor(): number {
    return this.docs.length < this.k ? Number.NEGATIVE_INFINITY : (this.scores[0] as number);
  }

  offer(doc: number, score: number): void {
    const { docs, scores } = this;
    if (docs.length < this.k) {
      docs.push(doc);
      scores.push(score);
      for (let i = docs.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const root = scores[0] as number;
    if (
      score < root ||
      (score === root && (this.ids[doc] as string) > (this.ids[docs[0] as number] as string))
    )
      return;
    docs[0] = doc;
    scores[0] = score;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < docs.length && this.worse(left, worst)) worst = left;
      if (right < docs.length && this.worse(right, worst)) worst = right;
      if (worst === i) break;
      this.swap(i, worst);
      i = worst;
    }
  }

  sorted(): RankedDocument[] {
    return this.docs
      .map((doc, i) => ({ doc, score: this.scores[i] as number }))
      .sort(
        (a, b) => b.score - a.score || ((this.ids[a.doc] as string) < (this.ids[b.doc] as string) ? -1 : 1),
      );
  }

  private swap(a: number, b: number): void {
    const { docs, scores } = this;
    [docs[a], docs[b]] = [docs[b] as number, docs[a] as number];
    [scores[a], scores[b]] = [scores[b] as number, scores[a] as number];
  }
}
