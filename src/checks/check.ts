// The shape of a check, after ESLint's rules: `meta` says what it is about and when it applies,
// `gather` reads the facts it needs (through the run's one memoised facts object), and `judge` is a
// pure function from those facts to findings. The engine knows nothing of any single check.
import type { Facts } from '../facts.js';

export { Unresolved } from '../model.js';
import type { Change, CheckId, ClusterRef, Config, Finding, ImageRef, NetworkPath, RegistryRef } from '../model.js';

/** What a check can be about; the engine plans one subject of the kind per cluster, registry, pair or image. */
export interface Subjects {
  cluster: ClusterRef;
  registry: RegistryRef;
  pair: { cluster: ClusterRef; registry: RegistryRef };
  image: ImageRef;
}
export type SubjectKind = keyof Subjects;

export interface CheckMeta<K extends SubjectKind = SubjectKind> {
  id: CheckId;
  subject: K;
  /** whose network path the check speaks for, when it is a network check */
  path?: NetworkPath;
  /** a noun phrase for the titles the engine writes itself (skip, crash), e.g. 'Pull permission' */
  what: string;
  /** when the check applies at all (default: always, for every planned subject) */
  appliesTo?: (config: Config) => boolean;
}

export interface Check<K extends SubjectKind, I> {
  meta: CheckMeta<K>;
  /** Reads what the judge needs. Throws `Unresolved` when something it depends on could not be resolved. */
  gather(facts: Facts, subject: Subjects[K]): Promise<I>;
  /** Pure: facts in, findings out. */
  judge(input: I): Finding | Finding[];
  /**
   * With `remediate`, run by the engine on each finding of this check that is `fail`: what it changed in
   * Azure and the findings that now stand in for that one. The only place a check may write.
   */
  remedy?(facts: Facts, input: I, finding: Finding): Promise<Remedied>;
}

/** What a remedy did. */
export interface Remedied {
  findings: Finding[];
  changes: Change[];
}

/** Any check of the table (methods are bivariant, so every Check<K, I> is one). */
export type AnyCheck = Check<SubjectKind, unknown>;

export const defineCheck = <K extends SubjectKind, I>(check: Check<K, I>): Check<K, I> => check;
