// One annotation per check that needs attention, with a short stable title.
import type { Finding, Report } from '../model.js';
import { byUrgency, checkLabel, subjectOf } from './labels.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title: string;
  message: string;
}

export function annotationOf(f: Finding): Annotation | undefined {
  if (f.status === 'pass' || f.status === 'skip') return undefined;
  const message = [f.title, f.detail, f.fix ? `Fix: ${f.fix}` : ''].filter(Boolean).join('\n');
  return { level: f.status === 'warn' ? 'warning' : 'error', title: `${checkLabel(f)}: ${subjectOf(f)}`, message };
}

/** Notes ride along with any status; they become notices. */
function noticesOf(f: Finding): Annotation[] {
  return (f.notes ?? []).map((message) => ({ level: 'notice' as const, title: `${checkLabel(f)}: ${subjectOf(f)}`, message }));
}

export function annotationsOf(report: Report): Annotation[] {
  return byUrgency(report.checks).flatMap((f) => {
    const a = annotationOf(f);
    return [...(a ? [a] : []), ...noticesOf(f)];
  });
}
