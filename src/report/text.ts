// The CLI's readable output; colour only when asked (the CLI asks on a TTY).
import type { Finding, Report, Status } from '../model.js';
import { byUrgency, pathLabel, subjectOf, verdictLine } from './labels.js';

const MARK: Record<Status, string> = { pass: '✔', warn: '!', fail: '✖', unknown: '?', skip: '-' };
const COLOUR: Record<Status, number> = { pass: 32, warn: 33, fail: 31, unknown: 35, skip: 90 };

export function renderText(report: Report, colour: boolean): string {
  const paint = (s: Status, text: string) => (colour ? `\u001b[${COLOUR[s]}m${text}\u001b[0m` : text);
  const width = Math.max(...report.checks.map((c) => c.id.length), 5);
  const lines = [paint(report.result, `aks-acr-preflight: ${verdictLine(report.result, report.checks, report.azureSkipped)}`), ''];
  for (const f of byUrgency(report.checks) as Finding[]) {
    const path = pathLabel(f);
    lines.push(`${paint(f.status, `${MARK[f.status]} ${f.status.padEnd(7)}`)} ${f.id.padEnd(width)}  ${subjectOf(f)}${path ? ` [${path}]` : ''}: ${f.title}`);
    if (f.status !== 'pass') lines.push(`    ${f.detail}`);
    if (f.fix) lines.push(`    fix: ${f.fix.split('\n').join('\n         ')}`);
    for (const note of f.notes ?? []) lines.push(`    note: ${note}`);
  }
  for (const c of report.changes ?? []) lines.push(`changed: created role assignment ${c.id} (${c.role} for ${c.principalId} at ${c.scope})`);
  lines.push('', `${report.durationMs} ms`);
  return lines.join('\n') + '\n';
}
