// The pod-symptoms judge: stuck pods grouped by owner, each kubelet message classified and tied to the
// finding of this run that explains it; when none does, it says so plainly.
import { judgePodSymptoms, type PodSymptomsInput } from '../../src/checks/pod-symptoms.js';
import type { Fact, Finding, InClusterRun, Status } from '../../src/model.js';
import { clusterFacts, noPullRole, ran, runFailed, stuck } from './in-cluster-fixtures.js';

const IMAGE = 'myacr.azurecr.io/app:1';
const network: Finding = { id: 'registry-network', status: 'fail', title: 'Network path from aks1 to myacr is blocked', detail: '…', fix: 'az acr network-rule add --name myacr --ip-address 20.1.2.3' };
const passing: Finding = { id: 'pull-permission', status: 'pass', title: 'aks1 can pull from myacr', detail: '…' };
const basic: Finding = { id: 'registry-network', status: 'pass', title: 'Network path from aks1 to myacr is open', detail: '…', notes: ['myacr is a Basic registry: so many nodes pulling at once can be throttled (HTTP 429 toomanyrequests).'] };

function input(run: Fact<InClusterRun>, related: Finding[] = [], namespace?: string): PodSymptomsInput {
  return { cluster: clusterFacts(), run, config: namespace ? { namespace } : {}, related: { [IMAGE]: related } };
}
const failedWith = (message: string) => stuck({ messages: [`Failed to pull image "${IMAGE}": ${message}`, `Back-off pulling image "${IMAGE}"`] });

test.each<[string, PodSymptomsInput, Status, RegExp[]]>([
  ['no stuck pod: pass, naming where it looked', input(ran(), [], 'shop'), 'pass', [/No pod in namespace shop of aks1 is in ImagePullBackOff or ErrImagePull/]],
  ['no stuck pod but the output was cut: unknown', input(ran({ truncated: true })), 'unknown', [/512 kB/, /may be missing/]],
  [
    'pods could not be listed (Forbidden): unknown, never "no pod is stuck"',
    input(ran({ failures: { stuckPods: { what: 'listing pods', code: 'KubernetesForbidden', message: 'pods is forbidden: User "x" cannot list resource "pods"' } } })),
    'unknown',
    [/could not be listed: listing pods failed \(KubernetesForbidden\): pods is forbidden/],
  ],
  [
    '401 on pool np1 ← the kubelet identity has no pull role',
    input(ran({ stuckPods: [stuck(), stuck({ name: 'web-5d8f-fghij' })] }), [network, noPullRole]),
    'fail',
    [/^In all namespaces: 401 Unauthorized on pool np1 pulling myacr\.azurecr\.io\/app:1 \(default\/ReplicaSet\/web-5d8f, container web, 2 pods\) ← Kubelet identity of aks1 cannot pull from myacr \(pull-permission fail\)/, /The kubelet said: Failed to pull image .*401 Unauthorized/],
  ],
  ['403 ← the network path', input(ran({ stuckPods: [failedWith("denied: client with IP '20.1.2.3' is not allowed access")] }), [noPullRole, network]), 'fail', [/403 Forbidden \(firewall or private DNS\) on pool np1 .* ← Network path from aks1 to myacr is blocked \(registry-network fail\)/]],
  ['throttling ← a note of a passing finding', input(ran({ stuckPods: [failedWith('429 Too Many Requests - Server message: toomanyrequests')] }), [basic]), 'fail', [/← myacr is a Basic registry: so many nodes pulling at once can be throttled/]],
  [
    'a 401 that no finding explains is said plainly',
    input(ran({ stuckPods: [stuck()] }), [passing]),
    'fail',
    [/← no finding of this run explains it/, /No finding of this run explains the failure: the cause lies beyond what Azure Resource Manager shows/],
  ],
])('%s', (_name, given, status, detail) => {
  const f = judgePodSymptoms(given);
  expect(f).toMatchObject({ id: 'pod-symptoms', status, cluster: 'aks1', path: 'cluster' });
  for (const re of detail) expect(f.detail).toMatch(re);
});

test('the fixes of the explaining findings are the fix; the title counts pods and the unexplained', () => {
  const f = judgePodSymptoms(input(ran({ stuckPods: [stuck(), stuck({ namespace: 'shop', owner: 'ReplicaSet/api-1', image: 'ghcr.io/org/api:1', pool: 'arm1' })] }), [noPullRole]));
  expect(f.title).toBe('2 pods of aks1 stuck pulling an image (1 unexplained)');
  expect(f.fix).toBe(noPullRole.fix);
  expect(f.detail).toContain('For 1 of them no finding of this run explains the failure');
  expect(f.evidence?.['symptoms']).toEqual([
    expect.objectContaining({ workload: 'ReplicaSet/web-5d8f', pool: 'np1', kind: 'auth', cause: expect.objectContaining({ id: 'pull-permission', status: 'fail' }) }),
    expect.not.objectContaining({ cause: expect.anything() }),
  ]);
  expect(f.evidence?.['run']).toEqual({ commandSeconds: 41, wallMs: 47_000, calls: 6, podsStarted: 4, truncated: false });
});

test.each([
  ['RunCommandDisabled', 'skip'],
  ['KubernetesForbidden', 'unknown'],
])('a run that could not happen (%s) is %s', (code, status) => {
  expect(judgePodSymptoms(input(runFailed(code))).status).toBe(status);
});
