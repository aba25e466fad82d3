// The sticky pull-request comment, in Markdown. Pure: the report, the comment's marker and the run's links
// in, the body out. Every string from Azure or a manifest is escaped (Markdown and HTML become entities,
// and an @ cannot mention anyone); fix commands and evidence sit in fenced code blocks.
// It stays within GitHub's 65,536-character limit on a comment body: the evidence is left out first,
// largest first; then the rows of the passing and skipped checks fold into one row that counts them; then
// the checks that need attention are kept, most urgent first, as long as they fit, and the rest are
// counted. The verdict and the link to the job summary always stay, and the comment says what it left out.
import type { Finding, ImageSource, Report } from '../model.js';
import { escapeInline } from './escape.js';
import { STATUS_ICON, VERDICT_ICON, byUrgency, checkLabel, plural, subjectOf, verdictLine } from './labels.js';
import { COMMENT_BODY_CHARS } from './limits.js';

export interface CommentLinks {
  /** the run's page, whose job summary has everything: `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}` */
  runUrl?: string;
  /** the file and line at the pull request's head: `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/blob/${head sha}/` */
  blobUrl?: string;
}

/** Places of an image listed under its fix, at most. */
const SOURCES_SHOWN = 10;
/** Room kept for the note that says what was left out. */
const NOTE_ROOM = 600;

/** The hidden line that finds the comment again: the tool's name and a key for the clusters it is about. */
export const commentMarker = (key: string): string => `<!-- aks-acr-preflight:${key} -->`;

const needsAttention = (f: Finding): boolean => f.status !== 'pass' && f.status !== 'skip';

/** Inline text: escapeInline's entities, and an @ that cannot mention anyone (a zero-width space after it). */
const text = (s: string): string => escapeInline(s).replace(/@/g, '@&#8203;');

/** A paragraph of inline text that cannot open a heading, a list, a quote or a code block. */
const paragraph = (s: string): string =>
  text(s.trimStart())
    .replace(/^[#+=-]/, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/^(\d+)([.)])/, (_, n: string, c: string) => `${n}&#${c.charCodeAt(0)};`);

/** A fenced code block whose fence is longer than any run of backticks inside it. */
function fenced(lang: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** A link to a manifest line at the pull request's head; the text alone without a blob URL. */
function sourceLink(s: ImageSource, links: CommentLinks): string {
  const label = text(`${s.file}:${s.line}`);
  if (!links.blobUrl) return label;
  const path = s.file.split('/').map((p) => encodeURIComponent(p).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
  const lines = s.endLine && s.endLine !== s.line ? `#L${s.line}-L${s.endLine}` : `#L${s.line}`;
  return `[${label}](${links.blobUrl}${path}${lines})`;
}

function row(f: Finding, links: CommentLinks): string {
  const about = [subjectOf(f) && text(subjectOf(f)), f.source && sourceLink(f.source, links)].filter(Boolean).join(' · ');
  return `| ${STATUS_ICON[f.status]} ${f.status} | ${text(checkLabel(f))} | ${about} | ${text(f.title)} |`;
}

function section(f: Finding, links: CommentLinks): string {
  const where = f.source ? [sourceLink(f.source, links), f.source.template && text(`from ${f.source.template}`), f.source.workload && text(f.source.workload), f.source.container && text(`container ${f.source.container}`)] : [];
  const parts = [`**${STATUS_ICON[f.status]} ${text(f.title)}**${where.length ? ` (${where.filter(Boolean).join(', ')})` : ''}`];
  parts.push(paragraph(f.detail));
  const more = (f.sources ?? []).filter((s) => s !== f.source && !(s.file === f.source?.file && s.line === f.source?.line));
  if (more.length) {
    const shown = more.slice(0, SOURCES_SHOWN).map((s) => sourceLink(s, links));
    parts.push(`Also at: ${shown.join(', ')}${more.length > SOURCES_SHOWN ? `, and ${more.length - SOURCES_SHOWN} more` : ''}`);
  }
  if (f.fix) parts.push(fenced('bash', f.fix));
  return parts.join('\n\n');
}

function evidenceOf(f: Finding): string {
  if (!f.evidence || !Object.keys(f.evidence).length) return '';
  return `<details><summary>Evidence</summary>\n\n${fenced('json', JSON.stringify(f.evidence, null, 2))}\n\n</details>`;
}

/** What the body leaves out. */
interface Cuts {
  evidence: Set<Finding>;
  /** the passing and skipped rows are one row that counts them */
  foldPassing: boolean;
  /** how many of the checks that need attention are shown, most urgent first (all when undefined) */
  attentionShown?: number;
}

/** "3 more checks that need attention" */
const moreNeedingAttention = (n: number): string => `${plural(n, 'more check')} that need${n === 1 ? 's' : ''} attention`;

const heading = (report: Report, marker: string): string =>
  `${marker}\n### ${VERDICT_ICON[report.result]} AKS ACR preflight: ${text(verdictLine(report.result, report.checks, report.azureSkipped))}`;

const summaryLink = (links: CommentLinks): string => (links.runUrl ? `[job summary](${links.runUrl})` : 'job summary');

function cutNote(cuts: Cuts, attention: Finding[], folded: number, links: CommentLinks): string {
  const hidden = attention.length - (cuts.attentionShown ?? attention.length);
  const what = [
    cuts.evidence.size ? `the evidence of ${plural(cuts.evidence.size, 'check')}` : '',
    cuts.foldPassing && folded ? `the rows of ${plural(folded, 'passing or skipped check')}` : '',
    hidden ? moreNeedingAttention(hidden) : '',
  ].filter(Boolean);
  if (!what.length) return '';
  return `_Left out to stay under GitHub's 65,536-character comment limit: ${what.join(', ')}. The ${summaryLink(links)} and the JSON report have every check._`;
}

function render(report: Report, marker: string, links: CommentLinks, cuts: Cuts): string {
  const checks = byUrgency(report.checks);
  const attention = checks.filter(needsAttention);
  const shown = attention.slice(0, cuts.attentionShown ?? attention.length);
  const rest = checks.filter((c) => !needsAttention(c));
  const rows = [...shown.map((f) => row(f, links)), ...(cuts.foldPassing ? [] : rest.map((f) => row(f, links)))];
  const hidden = attention.length - shown.length;
  if (hidden) rows.push(`| ${STATUS_ICON[attention[shown.length]?.status ?? 'fail']} | ${moreNeedingAttention(hidden)} | | in the ${summaryLink(links)} |`);
  if (cuts.foldPassing && rest.length) {
    const n = (s: Finding['status']) => rest.filter((c) => c.status === s).length;
    rows.push(`| ${STATUS_ICON.pass} | ${n('pass')} passing and ${n('skip')} skipped checks | | in the ${summaryLink(links)} |`);
  }
  const blocks = [heading(report, marker)];
  if (report.azureSkipped) blocks.push(`${STATUS_ICON.skip} To check Azure too: ${text(report.azureSkipped.fix)}`);
  if (rows.length) blocks.push(['| Status | Check | About | Result |', '| --- | --- | --- | --- |', ...rows].join('\n'));
  const note = cutNote(cuts, attention, rest.length, links);
  if (note) blocks.push(note);
  if (shown.length) {
    blocks.push('#### What to fix');
    for (const f of shown) {
      blocks.push(section(f, links));
      const evidence = cuts.evidence.has(f) ? '' : evidenceOf(f);
      if (evidence) blocks.push(evidence);
    }
  }
  blocks.push(`<sub>Every check, with its evidence: the ${summaryLink(links)} · ${report.durationMs} ms · aks-acr-preflight ${text(report.tool.version)}</sub>`);
  return blocks.join('\n\n') + '\n';
}

/**
 * The comment body within `budget` characters (JavaScript's count, which is never below GitHub's). The
 * cuts are chosen from the sizes of the blocks (each joined to the next by a blank line), without
 * rendering once per cut; if even the verdict is over, the body is the verdict and the link.
 */
export function renderComment(report: Report, marker: string, links: CommentLinks, budget: number = COMMENT_BODY_CHARS): string {
  const cuts: Cuts = { evidence: new Set(), foldPassing: false };
  const full = render(report, marker, links, cuts);
  if (full.length <= budget) return full;
  const attention = byUrgency(report.checks).filter(needsAttention);
  let over = full.length + NOTE_ROOM - budget;
  const withEvidence = attention.map((f) => ({ f, size: evidenceOf(f).length })).filter((e) => e.size > 0).sort((a, b) => b.size - a.size);
  for (const { f, size } of withEvidence) {
    if (over <= 0) break;
    cuts.evidence.add(f);
    over -= size + 2;
  }
  if (over > 0) {
    const rest = report.checks.filter((c) => !needsAttention(c));
    cuts.foldPassing = true;
    over -= rest.reduce((n, f) => n + row(f, links).length + 1, 0) - 120;
  }
  if (over > 0) {
    // keep the most urgent checks that need attention while they fit, each with its row and its fix
    const sizes = attention.map((f) => row(f, links).length + 1 + section(f, links).length + 2);
    let room = sizes.reduce((a, b) => a + b, 0) - over - 200;
    let shown = 0;
    while (shown < attention.length && (sizes[shown] ?? 0) <= room) room -= sizes[shown++] ?? 0;
    cuts.attentionShown = shown;
  }
  let body = render(report, marker, links, cuts);
  // the sizes above are exact but for the rows that count what was left out: one fewer check, if need be
  while (body.length > budget && (cuts.attentionShown ?? attention.length) > 0) {
    cuts.attentionShown = (cuts.attentionShown ?? attention.length) - 1;
    body = render(report, marker, links, cuts);
  }
  if (body.length <= budget) return body;
  return `${heading(report, marker).slice(0, budget - 200)}\n\n_Too long for a comment: the ${summaryLink(links)} has every check._\n`;
}
