/** Edits (insert, delete, substitute) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate a misspelt value most likely meant: the nearest within a third of its length
 * (at least 2 edits), or undefined when nothing is that close.
 */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(value.length / 3));
  let best: { candidate: string; edits: number } | undefined;
  for (const candidate of candidates) {
    const edits = distance(value.toLowerCase(), candidate.toLowerCase());
    if (edits <= limit && (best === undefined || edits < best.edits)) best = { candidate, edits };
  }
  return best?.candidate;
}

/** ` (did you mean "x"?)` when a candidate is close, else "". */
export function didYouMean(value: string, candidates: readonly string[]): string {
  const match = closest(value, candidates);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}
