// The overall verdict and the exit decision, from CONTRACT.md.
import type { FailOn, Finding, Status, Verdict } from '../model.js';

/** How bad a status is, for the judges that combine several into one: fail, then unknown, warn, pass, skip. */
export const SEVERITY: Readonly<Record<Status, number>> = { fail: 4, unknown: 3, warn: 2, pass: 1, skip: 0 };

export function verdictOf(findings: Pick<Finding, 'status'>[]): Verdict {
  const has = (...s: Status[]) => findings.some((f) => s.includes(f.status));
  if (has('fail', 'unknown')) return 'fail';
  if (has('warn')) return 'warn';
  return 'pass';
}

/** Whether the step (or the CLI) exits non-zero for this verdict under `fail-on`. */
export function failsRun(verdict: Verdict, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'warning') return verdict !== 'pass';
  return verdict === 'fail';
}
