/** Whether a[from..to) is in ascending order. */
export function ascending(a: Int32Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if ((a[i - 1] as number) > (a[i] as number)) return false;
  return true;
}

/** The first index in a[from..to) whose value is at least `value` (a is sorted there). */
export function lowerBound(a: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first index in docs[from..to) at or past document `local`, or `to`: galloping (steps of 1, 2,
 * 4…), then a binary search of the last stride.
 */
export function gallopTo(docs: Uint16Array, from: number, to: number, local: number): number {
  if ((docs[from] as number) >= local) return from;
  let lo = from;
  let step = 1;
  while (lo + step < to && (docs[lo + step] as number) < local) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, to);
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if ((docs[mid] as number) < local) lo = mid;
    else hi = mid;
  }
  return hi;
}
