// One annotation per check that needs attention, with a short stable title, most urgent first and
// within GitHub's limits: what a step cannot show is counted in one notice that says where it all is.
import type { Finding, Report } from '../model.js';
import { byUrgency, checkLabel, plural, subjectOf } from './labels.js';
import { ANNOTATIONS_PER_LEVEL, ANNOTATION_MESSAGE_CHARS } from './limits.js';

export type Level = 'error' | 'warning' | 'notice';
const LEVELS: readonly Level[] = ['error', 'warning', 'notice'];

/** Where on a file's lines an annotation shows (a pull request's diff shows it on those lines). */
export interface AnnotationLocation {
  /** relative to the workspace */
  file: string;
  startLine: number;
  endLine: number;
}

export interface Annotation {
  level: Level;
  title: string;
  message: string;
  /** for a finding with a `source` (an image from manifests): its first place */
  location?: AnnotationLocation;
}

export interface AnnotationOptions {
  /** annotations of each level the step writes besides these (e.g. 1 error for core.setFailed's message) */
  reserved?: Partial<Record<Level, number>>;
  /** whether a job summary is written (the overflow notice points at it, else at the log) */
  summary?: boolean;
}

const CUT = " … (cut at GitHub's 4,096 characters; the JSON report has it all)";

/** Cuts a message to what the runner keeps, saying so. */
function clip(message: string): string {
  return message.length <= ANNOTATION_MESSAGE_CHARS ? message : message.slice(0, ANNOTATION_MESSAGE_CHARS - CUT.length) + CUT;
}

function locationOf(f: Finding): Pick<Annotation, 'location'> {
  const s = f.source;
  return s ? { location: { file: s.file, startLine: s.line, endLine: s.endLine ?? s.line } } : {};
}

export function annotationOf(f: Finding): Annotation | undefined {
  if (f.status === 'pass' || f.status === 'skip') return undefined;
  // a long detail gives way first, so the fix stays whole
  const fix = f.fix ? `\nFix: ${f.fix}` : '';
  const room = ANNOTATION_MESSAGE_CHARS - f.title.length - fix.length - 1;
  const detail = f.detail.length <= room ? f.detail : f.detail.slice(0, Math.max(0, room - CUT.length)) + CUT;
  const message = clip([f.title, detail].filter(Boolean).join('\n') + fix);
  return { level: f.status === 'warn' ? 'warning' : 'error', title: `${checkLabel(f)}: ${subjectOf(f)}`, message, ...locationOf(f) };
}

/** Notes ride along with any status; they become notices. */
function noticesOf(f: Finding): Annotation[] {
  return (f.notes ?? []).map((message) => ({ level: 'notice' as const, title: `${checkLabel(f)}: ${subjectOf(f)}`, message: clip(message), ...locationOf(f) }));
}

/** The one notice that says how many annotations were left out, and where they all are. */
function overflowNotice(left: Record<Level, number>, summary: boolean): Annotation {
  const counts = LEVELS.filter((l) => left[l]).map((l) => plural(left[l], l));
  const list = counts.length > 1 ? `${counts.slice(0, -1).join(', ')} and ${counts.at(-1)}` : counts[0];
  const where = summary ? 'The job summary lists every check' : "The step's log lists every check";
  return {
    level: 'notice',
    title: `aks-acr-preflight: ${summary ? 'more in the job summary' : 'more in the log'}`,
    message: `GitHub shows at most ${ANNOTATIONS_PER_LEVEL} error, ${ANNOTATIONS_PER_LEVEL} warning and ${ANNOTATIONS_PER_LEVEL} notice annotations per step; left out here: ${list}. ${where}; the JSON report has everything.`,
  };
}

/** Every annotation the report calls for, most urgent first, uncapped. */
function allAnnotationsOf(report: Report): Annotation[] {
  return byUrgency(report.checks).flatMap((f) => {
    const a = annotationOf(f);
    return [...(a ? [a] : []), ...noticesOf(f)];
  });
}

/**
 * What the step shows: at most ANNOTATIONS_PER_LEVEL of each level (less what `reserved` takes), the most
 * urgent kept; errors, then warnings, then, when any were left out, one notice counting them, then notes.
 */
export function annotationsOf(report: Report, options: AnnotationOptions = {}): Annotation[] {
  const all = allAnnotationsOf(report);
  const byLevel = Object.fromEntries(LEVELS.map((l) => [l, all.filter((a) => a.level === l)])) as Record<Level, Annotation[]>;
  const room = Object.fromEntries(LEVELS.map((l) => [l, Math.max(0, ANNOTATIONS_PER_LEVEL - (options.reserved?.[l] ?? 0))])) as Record<Level, number>;
  const overflows = LEVELS.some((l) => byLevel[l].length > room[l]);
  // the overflow notice takes a note's place, so it is never the one dropped
  const shown = { ...room, notice: overflows ? Math.max(0, room.notice - 1) : room.notice };
  const left = Object.fromEntries(LEVELS.map((l) => [l, Math.max(0, byLevel[l].length - shown[l])])) as Record<Level, number>;
  return [
    ...byLevel.error.slice(0, shown.error),
    ...byLevel.warning.slice(0, shown.warning),
    ...(overflows && room.notice > 0 ? [overflowNotice(left, options.summary ?? true)] : []),
    ...byLevel.notice.slice(0, shown.notice),
  ];
}
