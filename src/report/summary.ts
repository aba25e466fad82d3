// The job summary, as HTML (GitHub renders it; HTML needs one kind of escaping where Markdown
// would need several). Pure: returns the text; the action writes it.
import type { Finding, Report } from '../model.js';
import { escapeBlock, escapeInline } from './escape.js';
import { STATUS_ICON, VERDICT_ICON, byUrgency, pathLabel, subjectOf, verdictLine } from './labels.js';

function row(f: Finding): string {
  const path = pathLabel(f);
  const cells = [`${STATUS_ICON[f.status]} ${f.status}`, path ? `${f.id} (${path})` : f.id, subjectOf(f), f.title].map((c) => `<td>${escapeInline(c)}</td>`);
  return `<tr>${cells.join('')}</tr>`;
}

const STEP: Partial<Record<Finding['id'], string>> = {
  'registry-dns': 'DNS (login server, data endpoints)',
  'registry-endpoint': 'HTTPS /v2/ endpoint',
  'registry-network': 'network rules, private endpoints, private DNS',
};

/** Per registry: the runner's path (DNS → endpoint) beside each cluster's path (from ARM), and the egress allow-list. */
function networkSection(report: Report, r: Report['registries'][number]): string {
  const checks = report.checks.filter((c) => c.registry === r.name && STEP[c.id]);
  if (!checks.length && !r.egressHosts?.length) return '';
  const rows = checks.map((c) => {
    const who = c.path === 'runner' ? 'runner' : `cluster ${c.cluster ?? ''}`.trim();
    const cells = [who, STEP[c.id] ?? c.id, `${STATUS_ICON[c.status]} ${c.status}`, c.title].map((x) => `<td>${escapeInline(x)}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  const parts = [`<h3>Network path to ${escapeInline(r.loginServer)}</h3>`];
  if (rows.length) parts.push(`<table><thead><tr><th>Path</th><th>Step</th><th>Status</th><th>Result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  const codes = (hosts: string[]) => hosts.map((h) => `<code>${escapeInline(h)}</code>`).join(', ');
  if (r.egressHosts?.length) parts.push(`<p>Hosts an egress firewall must allow for pulls: ${codes(r.egressHosts)}</p>`);
  for (const c of checks) {
    const proxy = c.evidence?.['proxy'] as { httpsProxy?: string; proxiedHosts?: string[] } | undefined;
    if (proxy?.httpsProxy && proxy.proxiedHosts?.length) {
      parts.push(`<p>Cluster ${escapeInline(c.cluster ?? '')} pulls through the HTTP proxy <code>${escapeInline(proxy.httpsProxy)}</code>, which must allow: ${codes(proxy.proxiedHosts)}</p>`);
    }
  }
  return parts.join('');
}

function section(f: Finding): string {
  const parts = [
    `<h3>${STATUS_ICON[f.status]} ${escapeInline(f.title)}</h3>`,
    `<p>${escapeInline(f.detail)}</p>`,
  ];
  if (f.fix) parts.push(`<p>Fix:</p><pre lang="bash"><code>${escapeBlock(f.fix)}</code></pre>`);
  if (f.notes?.length) parts.push(`<ul>${f.notes.map((n) => `<li>${escapeInline(n)}</li>`).join('')}</ul>`);
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
  const notes = report.checks.filter((c) => !attention.includes(c) && c.notes?.length);
  if (notes.length) blocks.push(`<h2>Notes</h2><ul>${notes.flatMap((c) => (c.notes ?? []).map((n) => `<li>${escapeInline(`${subjectOf(c)}: ${n}`)}</li>`)).join('')}</ul>`);
  const network = report.registries.map((r) => networkSection(report, r)).filter(Boolean);
  if (network.length) blocks.push(`<h2>Network paths</h2><p>The runner's path is probed from this job (DNS, then HTTPS); the cluster's path is read from Azure Resource Manager. A private registry is expected to be out of the runner's reach.</p>${network.join('')}`);
  const ids = report.clusters.map((c) => `${escapeInline(c.name)}: kubelet ${escapeInline(c.kubeletIdentity.objectId ?? 'unknown')}`);
  const regs = report.registries.map((r) => escapeInline(r.loginServer));
  blocks.push(
    `<p><sub>${[...ids, regs.length ? `registries: ${regs.join(', ')}` : ''].filter(Boolean).join(' · ')} · ${report.durationMs} ms · aks-acr-preflight ${escapeInline(report.tool.version)}</sub></p>`,
  );
  return blocks.join('\n\n') + '\n';
}
