// The job summary's in-cluster section: per node pool, what the probe pod pulled and how long it took;
// the pods stuck on a pull with their cause and fix; what the in-cluster run cost. Pure; every string
// from Azure or the cluster escaped. Empty when the run had no in-cluster findings.
import { symptomLine, type Symptom } from '../checks/pull-symptom.js';
import type { Finding, Report } from '../model.js';
import { escapeBlock, escapeInline } from './escape.js';
import { STATUS_ICON } from './labels.js';

interface Cost {
  commandSeconds?: number;
  wallMs?: number;
  calls?: number;
  podsStarted?: number;
  truncated?: boolean;
}

const cell = (s: string) => `<td>${escapeInline(s)}</td>`;
const text = (v: unknown) => (typeof v === 'string' ? v : '');

function poolRow(f: Finding): string {
  const e = f.evidence ?? {};
  const ms = typeof e['pullMs'] === 'number' ? e['pullMs'] : undefined;
  const outcome = text(e['outcome']);
  const pulled = `${STATUS_ICON[f.status]} ${outcome === 'pulled' ? 'yes' : outcome === 'failed' ? 'no' : outcome || f.status}`;
  const cells = [f.cluster ?? '', f.pool ?? '', text(e['platform']), text(e['image']), pulled, ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`, text(e['message'])];
  return `<tr>${cells.map(cell).join('')}</tr>`;
}

function symptomItem(cluster: string, s: Symptom): string {
  const fix = s.cause?.fix ? `<pre lang="bash"><code>${escapeBlock(s.cause.fix)}</code></pre>` : '';
  const said = s.message ? `<br><sub>${escapeInline(s.message)}</sub>` : '';
  return `<li>${escapeInline(`${cluster}: ${symptomLine(s)}`)}${said}${fix}</li>`;
}

function costLine(cluster: string, cost: Cost): string {
  const seconds = cost.commandSeconds !== undefined ? `${cost.commandSeconds} s of Run Command` : 'Run Command time not reported';
  const wall = cost.wallMs !== undefined ? `, ${(cost.wallMs / 1000).toFixed(1)} s from start to result` : '';
  const calls = cost.calls !== undefined ? `, ${cost.calls} ARM call${cost.calls === 1 ? '' : 's'}` : '';
  const cut = cost.truncated ? '; the output reached the 512 kB cap and was cut' : '';
  return `<li>${escapeInline(`${cluster}: ${seconds}${wall}${calls}, ${cost.podsStarted ?? 0} pod${cost.podsStarted === 1 ? '' : 's'} started${cut}`)}</li>`;
}

export function renderInCluster(report: Report): string {
  const pools = report.checks.filter((f) => f.id === 'in-cluster-pull' && f.pool);
  const scans = report.checks.filter((f) => f.id === 'pod-symptoms');
  const costs = new Map<string, Cost>();
  for (const f of [...scans, ...pools]) {
    const run = f.evidence?.['run'] as Cost | undefined;
    if (run && f.cluster && !costs.has(f.cluster)) costs.set(f.cluster, run);
  }
  if (!pools.length && !costs.size) return '';
  const parts = ['<h2>In the cluster</h2>', "<p>Probe pods pulled as the kubelet does, one per node pool, through AKS Run Command (which itself starts a pod from Microsoft's container registry).</p>"];
  if (pools.length) {
    const head = ['Cluster', 'Pool', 'OS/arch', 'Image', 'Pulled?', 'Time to pull', 'Kubelet message'].map((h) => `<th>${h}</th>`).join('');
    parts.push(`<table><thead><tr>${head}</tr></thead><tbody>${pools.map(poolRow).join('')}</tbody></table>`);
  }
  const symptoms = scans.flatMap((f) => ((f.evidence?.['symptoms'] as Symptom[] | undefined) ?? []).map((s) => symptomItem(f.cluster ?? '', s)));
  if (symptoms.length) parts.push(`<h3>Pods stuck pulling an image</h3><ul>${symptoms.join('')}</ul>`);
  if (costs.size) parts.push(`<p>What the in-cluster run cost:</p><ul>${[...costs].map(([c, cost]) => costLine(c, cost)).join('')}</ul>`);
  return parts.join('');
}
