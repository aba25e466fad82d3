// The job summary, as HTML (GitHub renders it; HTML needs one kind of escaping where Markdown
// would need several). Pure: returns the text; the action writes it.
// It stays within SUMMARY_BUDGET_BYTES (GitHub refuses a step summary over 1 MiB): evidence is left out
// first, largest first; then the in-cluster, notes and network-path sections; then the details of the checks that
// need attention, least urgent first. The verdict, every row of the checks table and every fix stay, and
// the summary says what it left out. Only when those alone do not fit (thousands of checks) do the passing
// and skipped rows become one row that counts them, and past that the summary is the verdict alone.
import type { Finding, Report } from '../model.js';
import { escapeBlock, escapeInline } from './escape.js';
import { renderInCluster } from './in-cluster.js';
import { STATUS_ICON, URGENCY, VERDICT_ICON, byUrgency, pathLabel, plural, subjectOf, verdictLine } from './labels.js';
import { SUMMARY_BUDGET_BYTES } from './limits.js';

/** What a summary leaves out to stay within its budget. */
interface Cuts {
  /** checks whose evidence is left out */
  evidence: Set<Finding>;
  /** the In the cluster, Notes and Network paths sections (and the folded passing checks) */
  sections: boolean;
  /** checks whose detail is left out */
  detail: Set<Finding>;
  /** last resort: the passing and skipped rows become one row that counts them */
  passingRows: boolean;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const needsAttention = (f: Finding): boolean => f.status !== 'pass' && f.status !== 'skip';

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

/** What `remediate` changed in Azure, each with its ID: never cut. */
function changesSection(report: Report): string {
  if (!report.changes?.length) return '';
  const items = report.changes.map((c) => `<li>Created role assignment <code>${escapeInline(c.id)}</code>: ${escapeInline(`${c.role} for ${c.principalId} at ${c.scope}`)}</li>`);
  return `<h2>Changes</h2><p>remediate made these changes in Azure (nothing else was written):</p><ul>${items.join('')}</ul>`;
}

const detailOf = (f: Finding): string => `<p>${escapeInline(f.detail)}</p>`;

function evidenceOf(f: Finding): string {
  if (!f.evidence || !Object.keys(f.evidence).length) return '';
  return `<details><summary>Evidence</summary><pre lang="json"><code>${escapeBlock(JSON.stringify(f.evidence, null, 2))}</code></pre></details>`;
}

function section(f: Finding, cuts: Cuts, anchor?: string): string {
  const parts = [`<h3${anchor ? ` id="${anchor}"` : ''}>${STATUS_ICON[f.status]} ${escapeInline(f.title)}</h3>`];
  if (!cuts.detail.has(f)) parts.push(detailOf(f));
  if (f.fix) parts.push(`<p>Fix:</p><pre lang="bash"><code>${escapeBlock(f.fix)}</code></pre>`);
  if (f.notes?.length) parts.push(`<ul>${f.notes.map((n) => `<li>${escapeInline(n)}</li>`).join('')}</ul>`);
  if (!cuts.evidence.has(f)) parts.push(evidenceOf(f));
  return parts.join('');
}

/** The In the cluster, Notes and Network paths sections (and, with several pairs, the passing checks the table links to): views the table and the JSON report also give. */
function sideSections(report: Report): string[] {
  const blocks: string[] = [];
  const inCluster = renderInCluster(report);
  if (inCluster) blocks.push(inCluster);
  if (manyPairs(report)) {
    const anchors = anchorsOf(report);
    const passing = report.checks.filter((c) => !needsAttention(c));
    const items = passing.map((c) => `<li id="${anchors.get(c)}">${STATUS_ICON[c.status]} ${escapeInline(c.title)}</li>`);
    if (items.length) blocks.push(`<h2>Passing and skipped checks</h2><details><summary>${escapeInline(plural(items.length, 'check'))}</summary><ul>${items.join('')}</ul></details>`);
  }
  const notes = report.checks.filter((c) => !needsAttention(c) && c.notes?.length);
  if (notes.length) blocks.push(`<h2>Notes</h2><ul>${notes.flatMap((c) => (c.notes ?? []).map((n) => `<li>${escapeInline(`${subjectOf(c)}: ${n}`)}</li>`)).join('')}</ul>`);
  const network = report.registries.map((r) => networkSection(report, r)).filter(Boolean);
  if (network.length) blocks.push(`<h2>Network paths</h2><p>The runner's path is probed from this job (DNS, then HTTPS); the cluster's path is read from Azure Resource Manager. A private registry is expected to be out of the runner's reach.</p>${network.join('')}`);
  return blocks;
}

function passingRowsOf(checks: Finding[]): { rows: string; row: string } {
  const passing = checks.filter((c) => !needsAttention(c));
  const count = (s: Finding['status']) => passing.filter((c) => c.status === s).length;
  const cell = `${count('pass')} passing and ${count('skip')} skipped checks: listed in the JSON report`;
  return { rows: passing.map(row).join(''), row: `<tr><td>${STATUS_ICON.pass} pass</td><td colspan="3">${escapeInline(cell)}</td></tr>` };
}

/** Says what was left out, when anything was. */
function cutNote(cuts: Cuts, inCluster: boolean): string {
  const what = [
    cuts.evidence.size ? `the evidence of ${plural(cuts.evidence.size, 'check')}` : '',
    cuts.sections ? `the ${inCluster ? 'in-cluster, ' : ''}notes and network-path sections` : '',
    cuts.detail.size ? `the details of ${plural(cuts.detail.size, 'check')}` : '',
    cuts.passingRows ? 'the rows of the passing and skipped checks' : '',
  ].filter(Boolean);
  if (!what.length) return '';
  return `<p><em>${escapeInline(`Left out to stay under GitHub's 1 MiB job-summary limit: ${what.join(', ')}. The JSON report (the report output) has it all.`)}</em></p>`;
}

// ── several pairs: one row per subject, one column per check; for a fleet, a cluster × registry matrix first ──

/** Whether the run checked more than one pair (cluster → registry): then the table has a row per subject. */
const manyPairs = (report: Report): boolean => report.clusters.length * report.registries.length > 1;

const worst = (findings: Finding[]): Finding['status'] => findings.reduce<Finding['status']>((w, f) => (URGENCY[f.status] < URGENCY[w] ? f.status : w), 'pass');

/** Each check's anchor in the summary (its section, or its line among the passing checks). */
function anchorsOf(report: Report): Map<Finding, string> {
  return new Map(report.checks.map((f, i) => [f, `check-${i + 1}`]));
}

/** One row of the table: a pair (cluster → registry, with the checks of its cluster and of its registry), an image, or an input no pair holds. */
interface SubjectRow {
  label: string;
  anchor: string;
  findings: Finding[];
  pair?: { cluster: string; registry: string };
}

/** The rows, failing first (stable within a status). */
function subjectRows(report: Report): SubjectRow[] {
  const rows: SubjectRow[] = [];
  const placed = new Set<Finding>();
  for (const c of report.clusters) {
    for (const r of report.registries) {
      const findings = report.checks.filter((f) => !f.image && (f.cluster ?? f.registry) !== undefined && (f.cluster ?? c.name) === c.name && (f.registry ?? r.name) === r.name);
      findings.forEach((f) => placed.add(f));
      rows.push({ label: `${c.name} → ${r.name}`, anchor: '', findings, pair: { cluster: c.name, registry: r.name } });
    }
  }
  const rest = new Map<string, Finding[]>();
  for (const f of report.checks) if (!placed.has(f)) rest.set(subjectOf(f), [...(rest.get(subjectOf(f)) ?? []), f]);
  for (const [label, findings] of rest) rows.push({ label, anchor: '', findings });
  rows.forEach((row, i) => (row.anchor = `subject-${i + 1}`));
  return rows.map((row, i) => ({ row, i })).sort((a, b) => URGENCY[worst(a.row.findings)] - URGENCY[worst(b.row.findings)] || a.i - b.i).map(({ row }) => row);
}

/** The check columns, in the order the checks ran. */
const columnsOf = (report: Report): Finding['id'][] => [...new Set(report.checks.map((f) => f.id))];

function subjectRow(row: SubjectRow, columns: Finding['id'][], link: (f: Finding) => string): string {
  const cells = columns.map((id) => `<td>${row.findings.filter((f) => f.id === id).map(link).join(' ')}</td>`);
  return `<tr id="${row.anchor}"><td>${escapeInline(row.label)}</td>${cells.join('')}</tr>`;
}

/** The cluster × registry matrix: each pair's worst status, linking to its row when `linked`. */
function fleetMatrix(report: Report, rows: SubjectRow[], linked: boolean): string {
  const byPair = new Map(rows.flatMap((r) => (r.pair ? [[`${r.pair.cluster}|${r.pair.registry}`, r] as const] : [])));
  const cell = (c: string, r: string) => {
    const row = byPair.get(`${c}|${r}`);
    const icon = row ? STATUS_ICON[worst(row.findings)] : '';
    return `<td>${row && linked ? `<a href="#${row.anchor}">${icon}</a>` : icon}</td>`;
  };
  const head = `<thead><tr><th>Cluster</th>${report.registries.map((r) => `<th>${escapeInline(r.name)}</th>`).join('')}</tr></thead>`;
  const body = report.clusters.map((c) => `<tr><td>${escapeInline(c.name)}</td>${report.registries.map((r) => cell(c.name, r.name)).join('')}</tr>`).join('');
  return `<h3>Clusters × registries</h3><table>${head}<tbody>${body}</tbody></table>`;
}

/** The checks table(s) with a row per subject; for a fleet, the cluster × registry matrix first and the passing rows folded. */
function subjectTables(report: Report, cuts: Cuts): string {
  const anchors = anchorsOf(report);
  // a passing check links to its line among the passing checks, which goes with the side sections
  const link = (f: Finding) => (needsAttention(f) || !cuts.sections ? `<a href="#${anchors.get(f)}">${STATUS_ICON[f.status]}</a>` : STATUS_ICON[f.status]);
  const rows = subjectRows(report);
  const columns = columnsOf(report);
  const head = `<thead><tr><th>Subject</th>${columns.map((id) => `<th>${escapeInline(id)}</th>`).join('')}</tr></thead>`;
  const table = (list: SubjectRow[]) => `<table>${head}<tbody>${list.map((r) => subjectRow(r, columns, link)).join('')}</tbody></table>`;
  const failing = rows.filter((r) => r.findings.some(needsAttention));
  const passing = rows.filter((r) => !r.findings.some(needsAttention));
  const counted = `${plural(passing.length, 'subject')} with every check passing or skipped: listed in the JSON report`;
  if (report.clusters.length <= 1) {
    const body = cuts.passingRows ? failing.map((r) => subjectRow(r, columns, link)).join('') + (passing.length ? `<tr><td colspan="${columns.length + 1}">${STATUS_ICON.pass} ${escapeInline(counted)}</td></tr>` : '') : rows.map((r) => subjectRow(r, columns, link)).join('');
    return `<table>${head}<tbody>${body}</tbody></table>`;
  }
  const parts = [fleetMatrix(report, rows, true)];
  if (failing.length) parts.push(`<h3>Needing attention</h3>${table(failing)}`);
  if (passing.length) parts.push(cuts.passingRows ? `<p>${STATUS_ICON.pass} ${escapeInline(counted)}</p>` : `<details><summary>${STATUS_ICON.pass} ${escapeInline(plural(passing.length, 'subject'))} with every check passing or skipped</summary>${table(passing)}</details>`);
  return parts.join('');
}

/** What folding the passing rows saves, in bytes. */
function passingRowsBytes(report: Report, cuts: Cuts): number {
  if (!manyPairs(report)) {
    const passing = passingRowsOf(report.checks);
    return bytes(passing.rows) - bytes(passing.row);
  }
  return bytes(subjectTables(report, cuts)) - bytes(subjectTables(report, { ...cuts, passingRows: true }));
}

const verdictHeading = (report: Report): string =>
  `<h2>${VERDICT_ICON[report.result]} AKS ACR preflight: ${escapeInline(verdictLine(report.result, report.checks, report.azureSkipped))}</h2>`;

function render(report: Report, cuts: Cuts): string {
  const checks = byUrgency(report.checks);
  const attention = checks.filter(needsAttention);
  const many = manyPairs(report);
  const anchors = many ? anchorsOf(report) : undefined;
  const rows = cuts.passingRows ? attention.map(row).join('') + passingRowsOf(checks).row : checks.map(row).join('');
  const blocks = [
    verdictHeading(report),
    many ? subjectTables(report, cuts) : `<table><thead><tr><th>Status</th><th>Check</th><th>About</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>`,
  ];
  const note = cutNote(cuts, report.checks.some((c) => c.id === 'in-cluster-pull' || c.id === 'pod-symptoms'));
  if (note) blocks.push(note);
  const changes = changesSection(report);
  if (changes) blocks.push(changes);
  if (attention.length) blocks.push(`<h2>What to fix</h2>${attention.map((f) => section(f, cuts, anchors?.get(f))).join('')}`);
  if (!cuts.sections) blocks.push(...sideSections(report));
  const ids = report.clusters.map((c) => `${escapeInline(c.name)}: kubelet ${escapeInline(c.kubeletIdentity.objectId ?? 'unknown')}`);
  const regs = report.registries.map((r) => escapeInline(r.loginServer));
  blocks.push(
    `<p><sub>${[...ids, regs.length ? `registries: ${regs.join(', ')}` : ''].filter(Boolean).join(' · ')} · ${report.durationMs} ms · aks-acr-preflight ${escapeInline(report.tool.version)}</sub></p>`,
  );
  return blocks.join('\n\n') + '\n';
}

/** Room kept for the note that says what was cut (it is a few hundred bytes). */
const NOTE_ROOM = 1024;

/**
 * The summary within `budgetBytes` (UTF-8). Cuts are chosen from their exact sizes, in order, until the
 * rest fits; if even the verdict, the table and the fixes do not fit, the summary is only the verdict
 * and where the report is.
 */
export function renderSummary(report: Report, budgetBytes: number = SUMMARY_BUDGET_BYTES): string {
  const cuts: Cuts = { evidence: new Set(), sections: false, detail: new Set(), passingRows: false };
  const full = render(report, cuts);
  if (bytes(full) <= budgetBytes) return full;
  const attention = byUrgency(report.checks).filter(needsAttention);
  type Cut = { size: number; apply: () => unknown };
  const candidates: Cut[] = [
    ...attention.map((f) => ({ size: bytes(evidenceOf(f)), apply: () => cuts.evidence.add(f) })).filter((c) => c.size > 0).sort((a, b) => b.size - a.size),
    { size: sideSections(report).reduce((n, b) => n + bytes(b), 0), apply: () => (cuts.sections = true) },
    ...[...attention].reverse().map((f) => ({ size: bytes(detailOf(f)), apply: () => cuts.detail.add(f) })),
    { size: passingRowsBytes(report, { ...cuts, sections: true }), apply: () => (cuts.passingRows = true) },
  ];
  let over = bytes(full) + NOTE_ROOM - budgetBytes;
  for (const c of candidates.filter((x) => x.size > 0)) {
    if (over <= 0) break;
    c.apply();
    over -= c.size;
  }
  const cut = render(report, cuts);
  if (bytes(cut) <= budgetBytes) return cut;
  const why = `Even without evidence and details, the ${report.checks.length} checks and their fixes exceed GitHub's 1 MiB job-summary limit. The JSON report (the report output) and the step's log list them all.`;
  const last = `${verdictHeading(report)}\n\n<p><em>${escapeInline(why)}</em></p>\n`;
  // a fleet keeps its matrix when that fits: which pairs fail is the one thing a reader needs
  const matrix = manyPairs(report) && report.clusters.length > 1 ? `${fleetMatrix(report, subjectRows(report), false)}\n` : '';
  return matrix && bytes(last + matrix) <= budgetBytes ? last + matrix : last;
}
