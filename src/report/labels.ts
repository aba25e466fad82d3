// Words and symbols for statuses, shared by every renderer.
import type { AzureUnavailable, Finding, Status, Verdict } from '../model.js';

export const STATUS_ICON: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', unknown: '❔', skip: '⏭️' };
export const VERDICT_ICON: Record<Verdict, string> = { pass: '✅', warn: '⚠️', fail: '❌' };

/** What a check is about: "aks1 → myacr", "aks1", "myacr", with the image when there is one. */
export function subjectOf(f: Finding): string {
  const pair = [f.cluster, f.registry].filter(Boolean).join(' → ');
  return f.image ? `${pair} (${f.image})` : pair;
}

/** Whose network a check looked through, in words: "from the runner", "the cluster's path". */
export function pathLabel(f: Pick<Finding, 'path'>): string {
  return f.path === 'runner' ? 'from the runner' : f.path === 'cluster' ? "cluster's path" : '';
}

/** The check id with its path: "registry-dns (from the runner)". */
export function checkLabel(f: Pick<Finding, 'id' | 'path'>): string {
  const path = pathLabel(f);
  return path ? `${f.id} (${path})` : f.id;
}

/** "1 check", "3 checks". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The one-line verdict a reviewer reads first; `azureSkipped`: it says that the checks that read Azure were skipped, and why. */
export function verdictLine(result: Verdict, checks: Finding[], azureSkipped?: AzureUnavailable): string {
  const count = (s: Status) => checks.filter((c) => c.status === s).length;
  const tally = (['fail', 'unknown', 'warn', 'pass', 'skip'] as const)
    .filter((s) => count(s))
    .map((s) => `${count(s)} ${s}`)
    .join(', ');
  const what = { pass: 'the cluster can pull from the registry', warn: 'pulls work, with risks worth fixing', fail: 'a deploy would not be able to pull (or it could not be verified)' }[result];
  if (!azureSkipped) return `${result.toUpperCase()}: ${what} (${tally || 'no checks'})`;
  const without = { pass: 'nothing that could be checked without Azure stops a pull', warn: 'what could be checked without Azure works, with risks worth fixing', fail: what }[result];
  return `${result.toUpperCase()}: ${without} (${tally || 'no checks'}); the checks that read Azure were skipped: ${azureSkipped.reason}`;
}

/** The order a reader takes statuses in: fail, unknown, warn, then skip and pass. */
export const URGENCY: Readonly<Record<Status, number>> = { fail: 0, unknown: 1, warn: 2, skip: 3, pass: 4 };

/** Non-passing first (fail, unknown, warn), then the rest, stable within each status. */
export function byUrgency(checks: Finding[]): Finding[] {
  return checks.map((c, i) => ({ c, i })).sort((a, b) => URGENCY[a.c.status] - URGENCY[b.c.status] || a.i - b.i).map(({ c }) => c);
}
