// The engine: plan the subjects, run every (check × subject) through gather → judge, assemble the
// report. It knows nothing of GitHub and nothing of any single check: the checks are a table
// (src/checks/index.ts) and the facts one memoised object per run (src/facts.ts). Every gather
// starts at once; each waits only for the facts it needs, so the run is as long as its longest chain.
import { Unresolved, type AnyCheck, type SubjectKind, type Subjects } from './checks/check.js';
import { CHECKS } from './checks/index.js';
import { aboutLine, namesOf, planSubjects } from './checks/subjects.js';
import { Facts, type EngineDeps } from './facts.js';
import { readFleet } from './fleet.js';
import type { Change, Config, Finding, Report } from './model.js';
import { assembleReport } from './report/assemble.js';

export type { EngineDeps } from './facts.js';

/**
 * One check on one subject. A gather that throws `Unresolved` (something it depends on failed) gives
 * `skip`, never `pass`; any other throw, in gather, judge or remedy, gives `unknown` instead of ending the
 * run. With `remediate`, a check's remedy runs on each of its `fail` findings; what it changed goes to `changes`.
 */
export async function runCheck(facts: Facts, check: AnyCheck, subject: Subjects[SubjectKind], changes: Change[] = []): Promise<Finding[]> {
  const { meta } = check;
  try {
    const input = await check.gather(facts, subject);
    const judged = check.judge(input);
    const findings = Array.isArray(judged) ? judged : [judged];
    const remedy = facts.config.remediate ? check.remedy : undefined;
    if (!remedy) return findings;
    const remedied = await Promise.all(findings.map((f) => (f.status === 'fail' ? remedy(facts, input, f) : { findings: [f], changes: [] })));
    changes.push(...remedied.flatMap((r) => r.changes));
    return remedied.flatMap((r) => r.findings);
  } catch (err) {
    const names = await namesOf(facts, meta.subject, subject);
    const base = { id: meta.id, ...names, ...(meta.path && { path: meta.path }) };
    if (err instanceof Unresolved) return [{ ...base, status: 'skip', title: `${aboutLine(meta.what, meta.subject, names)} not checked`, detail: err.reason, ...(err.fix && { fix: err.fix }) }];
    return [{ ...base, status: 'unknown', title: `Check ${meta.id} crashed`, detail: `Internal error: ${(err as Error)?.message ?? String(err)}` }];
  }
}

/** `facts` may come prefilled (a bulk read for a fleet); `checks` is the table unless a test gives another. */
export async function runPreflight(config: Config, deps: EngineDeps, checks: readonly AnyCheck[] = CHECKS, facts = new Facts(config, deps)): Promise<Report> {
  const started = Date.now();
  const changes: Change[] = [];
  try {
    // A fleet's clusters are known only now (cluster: *), and its facts are read in bulk first.
    const fleet = await readFleet(facts);
    const planned = facts.config;
    const runs = checks
      .filter((check) => check.meta.appliesTo?.(planned) ?? true)
      .flatMap((check) => planSubjects(planned, check.meta.subject).map((subject) => runCheck(facts, check, subject, changes)));
    deps.log?.(`Running ${runs.length} check(s) on ${planned.clusters.length} cluster(s), ${planned.registries.length} registry(ies) and ${planned.images.length} image(s)`);
    if (fleet.report) deps.log?.(fleet.report.note);
    const findings = [...fleet.findings, ...(await Promise.all(runs)).flat()];
    const [clusters, registries] = await Promise.all([facts.resolvedClusters(), facts.resolvedRegistries()]);
    const withEgress = await Promise.all(registries.map(async (registry) => ({ registry, egressHosts: await facts.egressHosts(registry) })));
    return assembleReport({
      version: deps.version,
      durationMs: Date.now() - started,
      findings,
      clusters,
      registries: withEgress,
      changes,
      ...(config.azureUnavailable && { azureSkipped: config.azureUnavailable }),
      ...(fleet.report && { fleetFacts: { ...fleet.report, throttled: facts.throttled } }),
    });
  } finally {
    facts.close();
  }
}
