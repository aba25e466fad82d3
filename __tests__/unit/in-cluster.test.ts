// The pure side of the in-cluster runtime: the probe plan, the pod manifest, the script's awk key
// extractor (run with the system's awk), and the parser of the script's output.
import { spawnSync } from 'node:child_process';
import { resultFailure, runCommandUnavailable } from '../../src/azure/run-command.js';
import { planProbes } from '../../src/checks/probe-plan.js';
import { forbiddenPermission, goDurationMs, goQuotedToJson, kubernetesFailure, parseRun, poolOfNode, pulledInMs } from '../../src/in-cluster/parse.js';
import { AUTHS_AWK, probePod, probeScript, tolerationOf } from '../../src/in-cluster/script.js';
import { parseImageRef } from '../../src/image-ref.js';
import type { AgentPool, ClusterFacts, ImageFacts, ImageRef } from '../../src/model.js';
import { registryFacts } from './facts.js';

const awk = (input: string) => spawnSync('awk', [AUTHS_AWK], { input, encoding: 'utf8' }).stdout;

describe('auths.awk: the keys of the auths map, never a value', () => {
  test.each([
    ['one host', '{"auths":{"myacr.azurecr.io":{"auth":"c2VjcmV0"}}}', '"myacr.azurecr.io"'],
    ['several, pretty-printed', '{\n  "auths": {\n    "ghcr.io": { "username": "u", "password": "p" },\n    "https://index.docker.io/v1/": {}\n  }\n}', '"ghcr.io","https://index.docker.io/v1/"'],
    ['auths after other keys, a value named like a key', '{"credsStore":"auths","x":{"auths":{"no":1}},"auths":{"a.io":{"auth":"ghcr.io"}}}', '"a.io"'],
    ['escaped quotes and braces in values', '{"auths":{"h1":{"password":"p\\"},{\\"x"},"h2":{"auth":"}{"}}}', '"h1","h2"'],
    ['arrays in values', '{"auths":{"h1":{"list":["a",{"b":"c"}]},"h2":{}}}', '"h1","h2"'],
    ['no auths', '{"credHelpers":{"myacr.azurecr.io":"acr"}}', ''],
    ['not JSON', 'robot:password', ''],
  ])('%s', (_name, input, expected) => {
    expect(awk(input)).toBe(expected);
  });
});

describe('parsing the output', () => {
  test.each([
    ['plain JSON', '{"t":"x","m":"a \\"b\\""}', '{"t":"x","m":"a \\"b\\""}'],
    ['Go \\x and \\a \\v', '"\\x01\\a\\v"', '"\\u0001\\u0007\\u000b"'],
    ['Go \\U', '"\\U0001F600"', '"\\ud83d\\ude00"'],
    ['an escaped backslash before x', '"\\\\x41"', '"\\\\x41"'],
  ])('goQuotedToJson: %s', (_n, go, json) => {
    expect(goQuotedToJson(go)).toBe(json);
    expect(() => JSON.parse(goQuotedToJson(go))).not.toThrow();
  });

  test.each([
    ['850ms', 850],
    ['1.234s', 1234],
    ['1m2.5s', 62500],
    ['12µs', 0],
    ['soon', undefined],
  ])('goDurationMs(%s)', (s, ms) => expect(goDurationMs(s)).toBe(ms));

  test.each([
    ['Successfully pulled image "a/b:1" in 1.234s (1.234s including waiting). Image size: 3 bytes.', 1234],
    ['Successfully pulled image "a/b:1" in 850ms (850ms including waiting)', 850],
    ['Successfully pulled image "a/b:1" in 2m0.5s', 120500],
    ['Container image "a/b:1" already present on machine', undefined],
  ])('pulledInMs(%s)', (m, ms) => expect(pulledInMs(m)).toBe(ms));

  test.each([
    ['Error from server (Forbidden): pods is forbidden: User "u" cannot create resource "pods" in API group "" in the namespace "default"', 'Kubernetes RBAC: create pods in namespace default'],
    ['Error from server (Forbidden): secrets is forbidden: User "u" cannot list resource "secrets" in API group "" at the cluster scope', 'Kubernetes RBAC: list secrets at the cluster scope'],
    ['Error from server (Forbidden): x is forbidden: User "u" cannot list resource "deployments" in API group "apps" in the namespace "a"', 'Kubernetes RBAC: list deployments.apps in namespace a'],
    ['error: You must be logged in to the server (Unauthorized)', undefined],
  ])('forbiddenPermission(%s)', (m, p) => {
    const got = forbiddenPermission(m);
    if (p === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(new RegExp(`^${p.replace(/[.()]/g, '\\$&')}`));
  });

  test.each([
    ['Error from server (Forbidden): error when creating "p.json": admission webhook "validation.gatekeeper.sh" denied the request: [azurepolicy-x] no', 'PolicyDenied'],
    ['Error from server (Forbidden): error when creating "p.json": pods "x" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true', 'PolicyDenied'],
    ['Error from server (Forbidden): pods is forbidden: User "u" cannot create resource "pods" in API group "" in the namespace "d"', 'KubernetesForbidden'],
    ['Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout', undefined],
  ])('kubernetesFailure(%s)', (m, code) => expect(kubernetesFailure('creating', m).code).toBe(code));

  test.each([
    ['aks-nodepool1-12345678-vmss000000', 'nodepool1'],
    ['aks-np2-87654321-vmss00000a', 'np2'],
    ['akswin1000000', undefined],
  ])('poolOfNode(%s)', (n, p) => expect(poolOfNode(n)).toBe(p));

  const probes = [
    { pod: 'aks-acr-preflight-r-0', pool: 'np1', host: 'myacr.azurecr.io', image: 'myacr.azurecr.io/a:1' },
    { pod: 'aks-acr-preflight-r-1', pool: 'np2', host: 'myacr.azurecr.io', image: 'myacr.azurecr.io/a:1' },
  ];
  const meta = { calls: 3, wallMs: 1000, exitCode: 0 };

  test('a wait that ended without a verdict is a timeout, a pod that could not be created an error; stray lines are skipped', () => {
    const logs = [
      'sh: 1: warning from the shell',
      '{"t":"start","run":"r","namespace":"default","wait":10,"at":1}',
      '{"t":"error","step":"create","pod":"aks-acr-preflight-r-1","message":"Error from server (Forbidden): quota exceeded"}',
      '{"t":"created","pod":"aks-acr-preflight-r-0","at":1}',
      '{"t":"unsettled","pod":"aks-acr-preflight-r-0","at":11}',
      '{"t":"event","namespace":"default","pod":"aks-acr-preflight-r-0","reason":"Pulling","type":"Normal","message":"Pulling image \\"myacr.azurecr.io/a:1\\"","count":1,"first":"","last":"","time":""}',
      '{"t":"cleaned","at":12}',
      '{"t":"done","part":"probes"}',
      '{"t":"done","part":"stuckPods"}',
      '{"t":"done","part":"pullSecrets"}',
      '{"t":"done","part":"serviceAccounts"}',
      '{"t":"end","at":13}',
    ].join('\n');
    const run = parseRun(logs, probes, meta);
    expect(run.probes.map((p) => [p.pool, p.outcome, p.message, p.deleted])).toEqual([
      ['np1', 'timeout', 'Pulling: Pulling image "myacr.azurecr.io/a:1"', true],
      ['np2', 'error', 'Error from server (Forbidden): quota exceeded', true],
    ]);
    expect(run).toMatchObject({ podsStarted: 1, truncated: false, calls: 3 });
    expect(run.failures).toBeUndefined();
  });

  test('an output cut in the middle of a line: truncated, the cut line skipped, the parts not reached reported', () => {
    const head = '{"t":"start","run":"r","namespace":"default","wait":10,"at":1}\n{"t":"done","part":"probes"}\n{"t":"cleaned","at":2}\n';
    const filler = `{"t":"waiting","namespace":"a","name":"b","node":"","owner":"Job/b","container":"c","image":"i","reason":"ErrImagePull","message":"${'z'.repeat(400)}"}\n`;
    const logs = (head + filler.repeat(1400)).slice(0, 512 * 1024);
    const run = parseRun(logs, [], meta);
    expect(run.truncated).toBe(true);
    expect(run.stuckPods.length).toBe(Math.floor((512 * 1024 - head.length) / filler.length));
    expect(Object.keys(run.failures ?? {})).toEqual(['stuckPods', 'pullSecrets', 'serviceAccounts']);
    expect(run.failures?.stuckPods?.message).toMatch(/512 kB/);
  });

  test('a script that died: the parts it never reached, with the exit code; pods not deleted are said so', () => {
    const logs = '{"t":"start"}\n{"t":"created","pod":"aks-acr-preflight-r-0","at":1}\n';
    const run = parseRun(logs, probes.slice(0, 1), { ...meta, exitCode: 137 });
    expect(run.truncated).toBe(false);
    expect(run.probes[0]).toMatchObject({ outcome: 'error', deleted: false });
    expect(run.failures?.probes?.message).toBe('not read: the script stopped before this part (exit code 137)');
  });
});

describe('the probe pod', () => {
  test.each([
    ['sku=gpu:NoSchedule', { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
    ['CriticalAddonsOnly=true:NoSchedule', { key: 'CriticalAddonsOnly', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
    ['dedicated:NoExecute', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }],
    ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule', { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }],
    ['garbage', undefined],
  ])('tolerationOf(%s)', (taint, toleration) => expect(tolerationOf(taint)).toEqual(toleration));

  test('pinned, unprivileged, no token, pull Always, a command that runs nothing of the image', () => {
    const pod = probePod({ pod: 'aks-acr-preflight-r-0', pool: { name: 'gpu', nodeTaints: ['sku=gpu:NoSchedule'] }, os: 'linux', image: 'myacr.azurecr.io/a:1' }, { run: 'r', namespace: 'ns', waitSeconds: 60 }) as { metadata: unknown; spec: Record<string, unknown> & { containers: unknown[] } };
    expect(pod.spec).toMatchObject({
      nodeSelector: { 'kubernetes.azure.com/agentpool': 'gpu', 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      activeDeadlineSeconds: 180,
    });
    expect(pod.spec.hostNetwork).toBeUndefined();
    expect(pod.spec.containers[0]).toMatchObject({ image: 'myacr.azurecr.io/a:1', imagePullPolicy: 'Always', command: ['/aks-acr-preflight-pull-only'] });
    expect(pod.metadata).toMatchObject({ name: 'aks-acr-preflight-r-0', namespace: 'ns', labels: { 'app.kubernetes.io/managed-by': 'aks-acr-preflight', 'aks-acr-preflight/run': 'r' } });
  });

  test('on a Spot pool it tolerates the taint AKS puts there itself, as placement reads the pool', () => {
    const pod = probePod({ pod: 'aks-acr-preflight-r-1', pool: { name: 'spot', scaleSetPriority: 'Spot' }, os: 'linux', image: 'myacr.azurecr.io/a:1' }, { run: 'r', namespace: 'ns', waitSeconds: 60 }) as { spec: Record<string, unknown> };
    expect(pod.spec.tolerations).toEqual([{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }]);
  });

  test.each([['Default'], ['a b'], ["x';rm -rf /"]])('a namespace that is not a Kubernetes name is refused: %s', (ns) => {
    expect(() => probeScript({ run: 'r', namespace: ns, probes: [], waitSeconds: 10, pollSeconds: 1 })).toThrow(/not a Kubernetes name/);
  });
});

describe('the probe plan', () => {
  const pool = (name: string, over: Partial<AgentPool> = {}): AgentPool => ({ name, osType: 'Linux', vmSize: 'Standard_D4s_v5', ...over });
  const cluster = (pools: AgentPool[]) => ({ agentPools: pools }) as ClusterFacts;
  const found = (ref: ImageRef, platforms: string[]): ImageFacts => ({
    ref, registryHost: ref.host, auth: 'acr-exchange',
    lookup: { kind: 'found', mediaType: 'application/vnd.oci.image.index.v1+json', index: true, platforms: platforms.map((p) => ({ os: p.split('/')[0]!, architecture: p.split('/')[1]! })) },
  });
  const amd = parseImageRef('myacr.azurecr.io/legacy:1');
  const multi = parseImageRef('myacr.azurecr.io/app:1');
  const unseen = parseImageRef('myacr.azurecr.io/private:1');
  const elsewhere = parseImageRef('ghcr.io/org/app:1');
  const probe = parseImageRef('myacr.azurecr.io/probe:1');
  const lookups = new Map([[amd.input, found(amd, ['linux/amd64'])], [multi.input, found(multi, ['linux/amd64', 'linux/arm64'])]]);
  const registries = [registryFacts()];
  const arm = pool('arm', { vmSize: 'Standard_D4ps_v5' });
  const win = pool('win', { osType: 'Windows' });

  test.each([
    ['the first image the pool can run', [pool('np1')], [amd, multi], undefined, [['np1', amd.input, 'images']]],
    ['an arm64 pool skips an amd64-only image', [arm], [amd, multi], undefined, [['arm', multi.input, 'images']]],
    ['platforms the runner could not see: still probed', [arm], [amd, unseen], undefined, [['arm', unseen.input, 'images']]],
    ['nothing the pool can run: probe-image', [win], [amd, multi], probe, [['win', probe.input, 'probe-image']]],
    ['nothing at all: no image (set probe-image)', [win], [amd], undefined, [['win', undefined, undefined]]],
    ['a pool scaled to zero is not probed', [pool('idle', { count: 0 })], [amd], probe, [['idle', undefined, undefined]]],
    ['images of other registries and a probe-image elsewhere do not count', [pool('np1')], [elsewhere], parseImageRef('ghcr.io/org/probe:1'), [['np1', undefined, undefined]]],
  ])('%s', (_name, pools, images, probeImage, expected) => {
    const plan = planProbes({ cluster: cluster(pools), registries, images, lookups, ...(probeImage && { probeImage }) });
    expect(plan.map((p) => [p.pool, p.image?.input, p.from])).toEqual(expected);
    expect(plan.every((p) => p.host === 'myacr.azurecr.io' && p.registry === 'myacr')).toBe(true);
    expect(plan.map((p) => p.scaledToZero === true)).toEqual(pools.map((p) => p.count === 0));
  });
});

describe('Run Command results and preconditions', () => {
  const aks = { name: 'aks1', resourceGroup: 'rg', subscriptionId: 's1', agentPools: [] } as unknown as ClusterFacts;
  const result = (over: object) => ({ logs: '', calls: 2, wallMs: 10, ...over });
  test.each([
    ['succeeded', undefined, undefined],
    ['Succeeded', undefined, undefined],
    ['SUCCEEDED', undefined, undefined],
    ['failed', 'ImagePullBackoff', 'KubernetesPerformanceError'],
    ['Failed', 'KubernetesPerformanceError', 'KubernetesPerformanceError'],
    ['failed', 'SomethingElse', 'no code'],
    [undefined, undefined, 'no code'],
  ])('provisioningState %s, reason %s → %s', (state, reason, code) => {
    const f = resultFailure(aks, result({ ...(state && { provisioningState: state }), ...(reason && { reason }) }));
    if (code === undefined) expect(f).toBeUndefined();
    else expect(f?.code ?? 'no code').toBe(code);
    if (code === 'KubernetesPerformanceError') expect(f?.message).toContain('mcr.microsoft.com');
  });

  test.each([
    [{ runCommandDisabled: true }, 'RunCommandDisabled', 'az aks update -g rg -n aks1 --subscription s1 --enable-run-command'],
    [{ powerState: 'Stopped' }, 'ClusterStopped', 'az aks start -g rg -n aks1 --subscription s1'],
    [{ powerState: 'Running' }, undefined, undefined],
  ])('%j → %s', (over, code, fix) => {
    const f = runCommandUnavailable({ ...aks, ...over });
    expect(f?.code).toBe(code);
    if (fix) expect(f?.message).toContain(fix);
  });
});
