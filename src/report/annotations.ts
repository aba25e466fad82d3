// One annotation per check that needs attention, with a short stable title.
import type { Finding, Report } from '../model.js';
import { byUrgency, subjectOf } from './labels.js';

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
}

export function annotationOf(f: Finding): Annotation | undefined {
  if (f.status === 'pass' || f.status === 'skip') return undefined;
  const message = [f.title, f.detail, f.fix ? `Fix: ${f.fix}` : ''].filter(Boolean).join('\n');
  return { level: f.status === 'warn' ? 'warning' : 'error', title: `${f.id}: ${subjectOf(f)}`, message };
}

export function annotationsOf(report: Report): Annotation[] {
  return byUrgency(report.checks).flatMap((f) => annotationOf(f) ?? []);
}
