// The job summary, as HTML (GitHub renders it; HTML needs one kind of escaping where Markdown
// would need several). Pure: returns the text; the action writes it.
import type { Finding, Report } from '../model.js';
import { escapeBlock, escapeInline } from './escape.js';
import { STATUS_ICON, VERDICT_ICON, byUrgency, subjectOf, verdictLine } from './labels.js';

function row(f: Finding): string {
  const cells = [`${STATUS_ICON[f.status]} ${f.status}`, f.id, subjectOf(f), f.title].map((c) => `<td>${escapeInline(c)}</td>`);
  return `<tr>${cells.join('')}</tr>`;
}

function section(f: Finding): string {
  const parts = [
    `<h3>${STATUS_ICON[f.status]} ${escapeInline(f.title)}</h3>`,
    `<p>${escapeInline(f.detail)}</p>`,
  ];
  if (f.fix) parts.push(`<p>Fix:</p><pre lang="bash"><code>${escapeBlock(f.fix)}</code></pre>`);
  if (f.evidence && Object.keys(f.evidence).length) {
    parts.push(`<details><summary>Evidence</summary><pre lang="json"><code>${escapeBlock(JSON.stringify(f.evidence, null, 2))}</code></pre></details>`);
  }
  return parts.join('');
}

export function renderSummary(report: Report): string {
  const checks = byUrgency(report.checks);
  const attention = checks.filter((c) => c.status !== 'pass' && c.status !== 'skip');
  const blocks = [
    `<h2>${VERDICT_ICON[report.result]} AKS ACR preflight: ${escapeInline(verdictLine(report.result, report.checks))}</h2>`,
    `<table><thead><tr><th>Status</th><th>Check</th><th>About</th><th>Result</th></tr></thead><tbody>${checks.map(row).join('')}</tbody></table>`,
  ];
  if (attention.length) blocks.push(`<h2>What to fix</h2>${attention.map(section).join('')}`);
  const ids = report.clusters.map((c) => `${escapeInline(c.name)}: kubelet ${escapeInline(c.kubeletIdentity.objectId ?? 'unknown')}`);
  const regs = report.registries.map((r) => escapeInline(r.loginServer));
  blocks.push(
    `<p><sub>${[...ids, regs.length ? `registries: ${regs.join(', ')}` : ''].filter(Boolean).join(' · ')} · ${report.durationMs} ms · aks-acr-preflight ${escapeInline(report.tool.version)}</sub></p>`,
  );
  return blocks.join('\n\n') + '\n';
}
