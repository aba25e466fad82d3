// "Did you mean": the names closest to what was asked for.

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Up to `max` candidates, nearest first, that are within half the wanted name's length. */
export function closestNames(wanted: string, candidates: string[], max = 3): string[] {
  const w = wanted.toLowerCase();
  return [...new Set(candidates)]
    .map((c) => ({ c, d: distance(w, c.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(2, Math.ceil(w.length / 2)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}
