// The in-cluster-pull judge: one finding per node pool, from the kubelet's own verdict; a pod that was
// never scheduled is never a failed pull; a run that could not happen says why and what would let it.
import { judgeInClusterPull, type InClusterPullInput } from '../../src/checks/in-cluster-pull.js';
import type { Fact, Finding, InClusterRun, Status } from '../../src/model.js';
import { registryFacts } from './facts.js';
import { clusterFacts, noPullRole, probe, ran, runFailed } from './in-cluster-fixtures.js';

const UNAUTHORIZED = 'Failed to pull image "myacr.azurecr.io/app:1": failed to resolve reference "myacr.azurecr.io/app:1": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized';
const NOT_FOUND = 'Failed to pull image "myacr.azurecr.io/app:nope": failed to resolve reference "myacr.azurecr.io/app:nope": myacr.azurecr.io/app:nope: not found';
const young: Finding = {
  id: 'pull-permission',
  status: 'warn',
  title: 'Pull permission of aks1 on myacr is new and may not have propagated',
  detail: 'AcrPull at /subscriptions/s1/…/myacr was created at 2026-12-01T23:50:00Z',
};

function input(run: Fact<InClusterRun>, over: Partial<InClusterPullInput> = {}): InClusterPullInput {
  return { cluster: clusterFacts(), registry: registryFacts(), run, related: {}, ...over };
}

const pool = (findings: Finding[], name: string) => findings.find((f) => f.pool === name);

test('every pool, Linux and Windows alike, is one finding with its pool, platform and time to pull', () => {
  const findings = judgeInClusterPull(input(ran()));
  expect(findings.map((f) => [f.pool, f.status, f.cluster, f.registry, f.path])).toEqual([
    ['np1', 'pass', 'aks1', 'myacr', 'cluster'],
    ['arm1', 'pass', 'aks1', 'myacr', 'cluster'],
    ['win1', 'pass', 'aks1', 'myacr', 'cluster'],
  ]);
  expect(pool(findings, 'np1')?.detail).toBe('A pod pinned to node pool np1 of aks1 (linux/amd64) pulled myacr.azurecr.io/app:1 in 2.3 s, as the kubelet pulls.');
  expect(pool(findings, 'win1')?.detail).toContain('(windows/amd64) pulled myacr.azurecr.io/app-win:1 in 41.0 s');
  expect(pool(findings, 'win1')?.evidence).toMatchObject({ image: 'myacr.azurecr.io/app-win:1', outcome: 'pulled', pullMs: 41_000, run: { commandSeconds: 41, podsStarted: 4, calls: 6 } });
});

test.each<[string, Partial<Parameters<typeof probe>[0]>, Partial<InClusterPullInput>, Status, RegExp[], RegExp[]]>([
  [
    'a 401 is fail with the kubelet message verbatim, tied to the finding that explains it, with its fix',
    { outcome: 'failed', message: UNAUTHORIZED },
    { related: { 'myacr.azurecr.io/app:1': [noPullRole] } },
    'fail',
    [new RegExp(`The kubelet said: ${UNAUTHORIZED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), /That is 401 Unauthorized/, /Cause: ← Kubelet identity of aks1 cannot pull from myacr \(pull-permission fail\)/],
    [/retry/],
  ],
  [
    'a 401 on a young grant says a retry later may pass',
    { outcome: 'failed', message: UNAUTHORIZED },
    { youngGrant: young, related: { 'myacr.azurecr.io/app:1': [young] } },
    'fail',
    [/a retry later may pass/, /up to 60 minutes/, /created at 2026-12-01T23:50:00Z/],
    [],
  ],
  ['a missing tag on a young grant is not a matter of waiting', { outcome: 'failed', message: NOT_FOUND }, { youngGrant: young }, 'fail', [/not found \(tag or repository\)/, /no finding of this run explains it/], [/retry/]],
  [
    'a pod that never schedules is unknown with the scheduler reason, never a failed pull',
    { outcome: 'unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' },
    {},
    'unknown',
    [/never scheduled/, /not a pull failure/, /0\/3 nodes are available: 3 Insufficient cpu\./],
    [/could not pull/],
  ],
  ['a pod still waiting at the deadline is unknown', { outcome: 'timeout', message: 'Pulling image "myacr.azurecr.io/app:1"' }, {}, 'unknown', [/when the time ran out/, /longer timeout/], []],
  ['a probe that broke is unknown with what it said', { outcome: 'error', message: 'pods "preflight-probe-np1" is forbidden' }, {}, 'unknown', [/is forbidden/], []],
])('%s', (_name, over, more, status, has, hasNot) => {
  const f = pool(judgeInClusterPull(input(ran({ probes: [probe(over)] }), more)), 'np1')!;
  expect(f.status).toBe(status);
  for (const re of has) expect(f.detail).toMatch(re);
  for (const re of hasNot) expect(f.detail).not.toMatch(re);
  if (more.related && status === 'fail' && !more.youngGrant) expect(f.fix).toBe(noPullRole.fix);
});

test.each([
  ['no image known: skip, saying which input to set', false, 'skip', /Name one in the images or manifests input, or give probe-image \(e\.g\. myacr\.azurecr\.io\/<repository>:<tag>\)/],
  ['the output was cut: unknown, never a skip that hides a result', true, 'unknown', /512 kB/],
])('a pool without a probe: %s', (_name, truncated, status, detail) => {
  const f = pool(judgeInClusterPull(input(ran({ truncated, probes: [probe()] }))), 'arm1')!;
  expect(f.status).toBe(status);
  expect(f.detail).toMatch(detail);
});

test('a pool scaled to zero is not probed: skip saying so, not asking for an image', () => {
  const cluster = clusterFacts();
  cluster.agentPools[1] = { ...cluster.agentPools[1]!, count: 0 };
  const f = pool(judgeInClusterPull(input(ran({ probes: [probe()] }), { cluster })), 'arm1')!;
  expect(f.status).toBe('skip');
  expect(f.detail).toMatch(/arm1 of aks1 is scaled to zero/);
  expect(f.detail).not.toMatch(/probe-image/);
});

test("probes on another registry's host are not this registry's", () => {
  const findings = judgeInClusterPull(input(ran({ probes: [probe({ host: 'other.azurecr.io', image: 'other.azurecr.io/app:1' }), probe({ pool: 'arm1', host: 'MYACR.azurecr.io:443' })] })));
  expect(findings.map((f) => [f.pool, f.status])).toEqual([
    ['np1', 'skip'],
    ['arm1', 'pass'],
    ['win1', 'skip'],
  ]);
});

test('a probe pod that was not deleted is a note, not a change of verdict', () => {
  const f = pool(judgeInClusterPull(input(ran({ probes: [probe({ deleted: false })] }))), 'np1')!;
  expect(f.status).toBe('pass');
  expect(f.notes).toEqual(['The probe pod on np1 could not be confirmed deleted; the next in-cluster run deletes leftovers.']);
});

test.each<[string, Parameters<typeof runFailed>[1], Status, RegExp, string | undefined]>([
  ['RunCommandDisabled', {}, 'skip', /Run Command is disabled on aks1 \(apiServerAccessProfile\.disableRunCommand\)/, 'az aks update -n aks1 -g rg --enable-run-command'],
  ['ClusterStopped', {}, 'skip', /aks1 is stopped/, 'az aks start -n aks1 -g rg'],
  ['AuthorizationFailed', { status: 403 }, 'unknown', /needs Microsoft\.ContainerService\/managedClusters\/runcommand\/action and Microsoft\.ContainerService\/managedClusters\/commandResults\/read/, undefined],
  ['AuthorizationFailed', { status: 403, missingPermission: 'Microsoft.ContainerService/managedClusters/commandResults/read' }, 'unknown', /needs Microsoft\.ContainerService\/managedClusters\/commandResults\/read\./, undefined],
  ['MissingAADClusterToken', {}, 'unknown', /6dae42f8-4368-4678-94ff-3960e28e3630\/\.default/, undefined],
  ['KubernetesForbidden', {}, 'unknown', /Kubernetes RBAC, which refused it: .*KubernetesForbidden: as Azure said it/, undefined],
  ['PolicyDenied', {}, 'unknown', /Azure Policy or Gatekeeper refused/, undefined],
  ['KubernetesPerformanceError', {}, 'unknown', /did not start within 30 s.*mcr\.microsoft\.com/, undefined],
  ['Timeout', {}, 'unknown', /did not finish within the timeout/, undefined],
  ['SomethingElse', { correlationId: 'corr-1' }, 'unknown', /The in-cluster run failed: .*Correlation id: corr-1\./, undefined],
])('a run that could not happen (%s) is one %s finding for the pair, with the reason and what would enable it', (code, more, status, detail, fix) => {
  const findings = judgeInClusterPull(input(runFailed(code, more)));
  expect(findings).toHaveLength(1);
  const [f] = findings;
  expect(f).toMatchObject({ id: 'in-cluster-pull', status, cluster: 'aks1', registry: 'myacr' });
  expect(f!.detail).toMatch(detail);
  expect(f!.fix).toBe(fix);
  expect(f!.pool).toBeUndefined();
});

test('a cluster that reports no pool and no probe is unknown, never a pass', () => {
  expect(judgeInClusterPull(input(ran({ probes: [] }), { cluster: clusterFacts({ agentPools: [] }) })).map((f) => f.status)).toEqual(['unknown']);
});
