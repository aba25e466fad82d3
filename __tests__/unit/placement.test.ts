// Table tests of where a workload can land: nodeSelector, required node affinity, tolerations × taints,
// against node pools with the labels and taints AKS itself puts on them. No mocks.
import { landingOn, matchRequirement, parseTaint, poolLabels, poolTaints, tolerates, type Taint } from '../../src/checks/placement.js';
import type { AgentPool, NodeSelectorRequirement, PodPlacement, Toleration } from '../../src/model.js';

const SYSTEM: AgentPool = { name: 'system', osType: 'Linux', osSku: 'Ubuntu', vmSize: 'Standard_D4s_v5', mode: 'System' };
const ARM: AgentPool = { name: 'armpool', osType: 'Linux', osSku: 'AzureLinux', vmSize: 'Standard_D4ps_v5', mode: 'User', nodeLabels: { team: 'data', tier: '3' } };
const WIN: AgentPool = { name: 'win22', osType: 'Windows', osSku: 'Windows2022', vmSize: 'Standard_D4s_v5', mode: 'User', nodeTaints: ['os=windows:NoSchedule'] };
/** the cluster of those pools: a key one pool sets through nodeLabels is a key ARM manages for all */
const CLUSTER = { location: 'westeurope', nodeResourceGroup: 'MC_rg-aks_aks1_westeurope', agentPools: [SYSTEM, ARM, WIN] };
// As AKS reports a Spot pool: its own label and taint are in nodeLabels and nodeTaints.
const SPOT: AgentPool = {
  name: 'spot',
  osType: 'Linux',
  vmSize: 'Standard_D4s_v5',
  mode: 'User',
  scaleSetPriority: 'Spot',
  nodeLabels: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
  nodeTaints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
};
// An older API version's view: scaleSetPriority only; AKS still taints the nodes.
const SPOT_BARE: AgentPool = { name: 'spotbare', osType: 'Linux', vmSize: 'Standard_D4s_v5', mode: 'User', scaleSetPriority: 'Spot' };
const GPU: AgentPool = { name: 'gpu', osType: 'Linux', vmSize: 'Standard_NC24ads_A100_v4', mode: 'User', nodeTaints: ['sku=gpu:NoSchedule', 'nvidia.com/gpu:NoExecute', 'soft=yes:PreferNoSchedule'] };
const ODD: AgentPool = { name: 'odd', osType: 'Linux', vmSize: 'Custom_Size', mode: 'User' };

const placement = (over: Partial<PodPlacement> = {}): PodPlacement => ({ nodeSelector: {}, requiredTerms: [], tolerations: [], ...over });
const req = (key: string, operator: string, ...values: string[]): NodeSelectorRequirement => ({ key, operator, values });

describe('parseTaint', () => {
  test.each<[string, Taint | undefined]>([
    ['sku=gpu:NoSchedule', { key: 'sku', value: 'gpu', effect: 'NoSchedule' }],
    ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule', { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' }],
    ['CriticalAddonsOnly=true:NoSchedule', { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }],
    ['dedicated:NoExecute', { key: 'dedicated', value: '', effect: 'NoExecute' }],
    ['soft=yes:PreferNoSchedule', { key: 'soft', value: 'yes', effect: 'PreferNoSchedule' }],
    ['sku=gpu:noschedule', { key: 'sku', value: 'gpu', effect: 'NoSchedule' }],
    ['sku=gpu', undefined],
    ['sku=gpu:Sometimes', undefined],
    ['', undefined],
  ])('%j', (text, expected) => {
    expect(parseTaint(text)).toEqual(expected);
  });
});

describe('tolerates: Kubernetes toleration matching', () => {
  const gpu: Taint = { key: 'sku', value: 'gpu', effect: 'NoSchedule' };
  const bare: Taint = { key: 'dedicated', value: '', effect: 'NoExecute' };
  test.each<[string, Toleration, Taint, boolean]>([
    ['Equal, same key, value and effect', { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, gpu, true],
    ['operator absent is Equal', { key: 'sku', value: 'gpu', effect: 'NoSchedule' }, gpu, true],
    ['Equal, other value', { key: 'sku', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }, gpu, false],
    ['Equal without a value against a valued taint', { key: 'sku', operator: 'Equal', effect: 'NoSchedule' }, gpu, false],
    ['Equal without a value against a taint without one', { key: 'dedicated', effect: 'NoExecute' }, bare, true],
    ['Exists on the key', { key: 'sku', operator: 'Exists', effect: 'NoSchedule' }, gpu, true],
    ['Exists ignores the value', { key: 'sku', operator: 'Exists', value: 'ignored' }, gpu, true],
    ['empty effect matches every effect', { key: 'sku', operator: 'Equal', value: 'gpu' }, gpu, true],
    ['other effect', { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoExecute' }, gpu, false],
    ['other key', { key: 'gpu', operator: 'Exists' }, gpu, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, gpu, true],
    ['empty key with Exists and an effect: that effect only', { operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['empty key with Exists and an effect: that effect', { operator: 'Exists', effect: 'NoExecute' }, bare, true],
    ['key and effect are case-sensitive', { key: 'SKU', operator: 'Exists' }, gpu, false],
    ['an unknown operator tolerates nothing', { key: 'sku', operator: 'Gt', value: '1' }, gpu, false],
  ])('%s', (_name, toleration, taint, expected) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });
});

describe("a pool's labels and taints: its own and AKS's", () => {
  test('the labels AKS and the kubelet set on every node', () => {
    const labels = Object.fromEntries(poolLabels(SYSTEM, CLUSTER));
    expect(labels).toMatchObject({
      'kubernetes.io/os': 'linux',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': 'Standard_D4s_v5',
      'kubernetes.azure.com/agentpool': 'system',
      agentpool: 'system',
      'kubernetes.azure.com/mode': 'system',
      'kubernetes.azure.com/role': 'agent',
      'kubernetes.azure.com/cluster': 'MC_rg-aks_aks1_westeurope',
      'kubernetes.azure.com/os-sku': 'Ubuntu',
      'topology.kubernetes.io/region': 'westeurope',
      'topology.kubernetes.io/zone': { exists: true },
      'kubernetes.io/hostname': { exists: true },
      'kubernetes.azure.com/scalesetpriority': { notOneOf: ['spot'] },
    });
  });

  test.each<[string, AgentPool, Record<string, unknown>]>([
    ['arm64, with its nodeLabels', ARM, { 'kubernetes.io/arch': 'arm64', 'kubernetes.azure.com/mode': 'user', 'kubernetes.azure.com/os-sku': 'AzureLinux', team: 'data', tier: '3' }],
    ['Windows 2022', WIN, { 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/windows-build': '10.0.20348', 'kubernetes.azure.com/os-sku': {} }],
    ['Spot', SPOT_BARE, { 'kubernetes.azure.com/scalesetpriority': 'spot' }],
    ['a VM size whose architecture is unknown', ODD, { 'kubernetes.io/arch': { exists: true } }],
  ])('%s', (_name, pool, expected) => {
    expect(Object.fromEntries(poolLabels(pool, CLUSTER))).toMatchObject(expected);
  });

  test.each<[string, AgentPool, string[], string[]]>([
    ['Spot as AKS reports it: the taint once', SPOT, ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'], []],
    ['Spot without nodeTaints: AKS taints it anyway', SPOT_BARE, ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'], []],
    ['no taints', SYSTEM, [], []],
    ['an entry that does not parse is kept aside', { ...SYSTEM, nodeTaints: ['sku=gpu:NoSchedule', 'broken'] }, ['sku=gpu:NoSchedule'], ['broken']],
  ])('%s', (_name, pool, taints, unreadable) => {
    const t = poolTaints(pool);
    expect(t.taints.map((x) => `${x.key}=${x.value}:${x.effect}`)).toEqual(taints);
    expect(t.unreadable).toEqual(unreadable);
  });
});

describe('matchRequirement: the node affinity operators', () => {
  const labels = poolLabels(ARM, CLUSTER);
  test.each<[NodeSelectorRequirement, boolean | undefined]>([
    [req('kubernetes.io/arch', 'In', 'arm64', 'amd64'), true],
    [req('kubernetes.io/arch', 'In', 'amd64'), false],
    [req('kubernetes.io/arch', 'NotIn', 'amd64'), true],
    [req('kubernetes.io/arch', 'NotIn', 'arm64'), false],
    [req('team', 'Exists'), true],
    [req('team', 'DoesNotExist'), false],
    [req('gpu', 'Exists'), false],
    [req('gpu', 'DoesNotExist'), true],
    [req('gpu', 'In', 'a100'), false],
    [req('gpu', 'NotIn', 'a100'), true],
    [req('tier', 'Gt', '2'), true],
    [req('tier', 'Gt', '3'), false],
    [req('tier', 'Lt', '4'), true],
    [req('tier', 'Lt', '3'), false],
    [req('tier', 'Gt', 'x'), false],
    [req('team', 'Gt', '1'), false],
    [req('tier', 'Gt', '1', '2'), false],
    [req('gpu', 'Gt', '1'), false],
    [req('kubernetes.azure.com/agentpool', 'In', 'armpool'), true],
    [req('agentpool', 'NotIn', 'armpool'), false],
    [req('topology.kubernetes.io/region', 'In', 'westeurope'), true],
    // values ARM does not tell: undetermined, never a "cannot land"
    [req('kubernetes.io/hostname', 'In', 'aks-armpool-123-vmss000000'), undefined],
    [req('kubernetes.io/hostname', 'Exists'), true],
    [req('kubernetes.io/hostname', 'DoesNotExist'), false],
    [req('topology.kubernetes.io/zone', 'NotIn', 'westeurope-1'), undefined],
    [req('kubernetes.azure.com/accelerator', 'In', 'nvidia'), undefined],
    [req('kubernetes.azure.com/accelerator', 'DoesNotExist'), undefined],
    [req('accelerator', 'Exists'), undefined],
    [req('node-role.kubernetes.io/agent', 'Exists'), undefined],
    // the Spot label on a regular pool: absent or "regular", never spot
    [req('kubernetes.azure.com/scalesetpriority', 'In', 'spot'), false],
    [req('kubernetes.azure.com/scalesetpriority', 'NotIn', 'spot'), true],
    [req('kubernetes.azure.com/scalesetpriority', 'In', 'regular'), undefined],
    [req('kubernetes.io/arch', 'Near', 'arm64'), false],
  ])('%j', (r, expected) => {
    expect(matchRequirement(r, labels).result).toBe(expected);
  });
});

describe('landingOn: selectors, affinity and taints together', () => {
  const linux = { 'kubernetes.io/os': 'linux' };
  const spotToleration: Toleration = { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' };
  test.each<[string, PodPlacement, AgentPool, 'lands' | 'blocked' | 'undetermined', string[]]>([
    ['no constraints on a plain pool', placement(), SYSTEM, 'lands', []],
    ['nodeSelector linux on a Linux pool', placement({ nodeSelector: linux }), SYSTEM, 'lands', []],
    ['nodeSelector linux on a Windows pool', placement({ nodeSelector: linux, tolerations: [{ key: 'os', operator: 'Exists' }] }), WIN, 'blocked', ["nodeSelector kubernetes.io/os: linux: the pool's nodes have kubernetes.io/os=windows"]],
    ['a label the pool does not carry', placement({ nodeSelector: { team: 'web' } }), ARM, 'blocked', ["nodeSelector team: web: the pool's nodes have team=data"]],
    ['a label another pool sets through ARM, this one not', placement({ nodeSelector: { tier: '3' } }), SYSTEM, 'blocked', ["nodeSelector tier: 3: the pool's nodes have no label tier"]],
    // kubectl label or an operator may put it on the nodes: never a false "cannot land"
    ['a label no pool sets through ARM and AKS does not set', placement({ nodeSelector: { disk: 'ssd' } }), SYSTEM, 'undetermined', ['nodeSelector disk: ssd: ARM does not tell whether the nodes carry disk']],
    ['nodeSelector on the agent pool', placement({ nodeSelector: { agentpool: 'armpool' } }), ARM, 'lands', []],
    ['the Windows taint without a toleration', placement(), WIN, 'blocked', ['taint os=windows:NoSchedule is not tolerated']],
    ['the Windows taint tolerated', placement({ tolerations: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }] }), WIN, 'lands', []],
    ['Spot without a toleration', placement(), SPOT, 'blocked', ['taint kubernetes.azure.com/scalesetpriority=spot:NoSchedule is not tolerated']],
    ['Spot (older API view) without a toleration', placement(), SPOT_BARE, 'blocked', ['taint kubernetes.azure.com/scalesetpriority=spot:NoSchedule is not tolerated']],
    ['Spot tolerated', placement({ tolerations: [spotToleration] }), SPOT, 'lands', []],
    ['tolerate everything', placement({ tolerations: [{ operator: 'Exists' }] }), GPU, 'lands', []],
    [
      'GPU: NoSchedule and NoExecute block, PreferNoSchedule does not',
      placement({ tolerations: [{ key: 'sku', operator: 'Exists' }] }),
      GPU,
      'blocked',
      ['taint nvidia.com/gpu:NoExecute is not tolerated'],
    ],
    ['GPU: both tolerated', placement({ tolerations: [{ key: 'sku', operator: 'Exists' }, { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }] }), GPU, 'lands', []],
    ['affinity on arm64 lands on the arm64 pool', placement({ requiredTerms: [[req('kubernetes.io/arch', 'In', 'arm64')]] }), ARM, 'lands', []],
    [
      'affinity on arm64 keeps off an amd64 pool',
      placement({ requiredTerms: [[req('kubernetes.io/arch', 'In', 'arm64')]] }),
      SYSTEM,
      'blocked',
      ["required node affinity: kubernetes.io/arch In [arm64]: the pool's nodes have kubernetes.io/arch=amd64"],
    ],
    ['terms are ORed', placement({ requiredTerms: [[req('kubernetes.io/arch', 'In', 'arm64')], [req('agentpool', 'In', 'system')]] }), SYSTEM, 'lands', []],
    [
      "a term's expressions are ANDed",
      placement({ requiredTerms: [[req('kubernetes.io/os', 'In', 'linux'), req('team', 'In', 'data')]] }),
      SYSTEM,
      'blocked',
      ["required node affinity: team In [data]: the pool's nodes have no label team"],
    ],
    [
      'no term matches: each says why',
      placement({ requiredTerms: [[req('kubernetes.io/arch', 'In', 'arm64')], [req('agentpool', 'In', 'gpu')]] }),
      SYSTEM,
      'blocked',
      [
        "term 1 of the required node affinity: kubernetes.io/arch In [arm64]: the pool's nodes have kubernetes.io/arch=amd64; term 2 of the required node affinity: agentpool In [gpu]: the pool's nodes have agentpool=system",
      ],
    ],
    [
      'a term without matchExpressions (matchFields only, or empty): undetermined, never a "cannot land"',
      placement({ requiredTerms: [[]] }),
      SYSTEM,
      'undetermined',
      ['required node affinity has no matchExpressions: its matchFields (node names), if any, are not known from ARM'],
    ],
    ['such a term ORed with one that matches: lands', placement({ requiredTerms: [[], [req('agentpool', 'In', 'system')]] }), SYSTEM, 'lands', []],
    ['nodeSelector and affinity both apply', placement({ nodeSelector: linux, requiredTerms: [[req('kubernetes.io/arch', 'NotIn', 'arm64')]] }), ARM, 'blocked', [
      "required node affinity: kubernetes.io/arch NotIn [arm64]: the pool's nodes have kubernetes.io/arch=arm64",
    ]],
    ['avoid Spot with NotIn on a regular pool', placement({ requiredTerms: [[req('kubernetes.azure.com/scalesetpriority', 'NotIn', 'spot')]] }), SYSTEM, 'lands', []],
    ['require Spot on a regular pool', placement({ requiredTerms: [[req('kubernetes.azure.com/scalesetpriority', 'In', 'spot')]] }), SYSTEM, 'blocked', [
      "required node affinity: kubernetes.azure.com/scalesetpriority In [spot]: the pool's nodes never have kubernetes.azure.com/scalesetpriority=spot",
    ]],
    ['a hostname selector: undetermined', placement({ nodeSelector: { 'kubernetes.io/hostname': 'aks-system-1-vmss000000' } }), SYSTEM, 'undetermined', [
      'nodeSelector kubernetes.io/hostname: aks-system-1-vmss000000: ARM does not tell the value of kubernetes.io/hostname',
    ]],
    ['undetermined, but blocked by a taint: blocked', placement({ nodeSelector: { 'kubernetes.io/hostname': 'n1' } }), WIN, 'blocked', ['taint os=windows:NoSchedule is not tolerated']],
    ['arch selector on a VM size of unknown architecture', placement({ nodeSelector: { 'kubernetes.io/arch': 'arm64' } }), ODD, 'undetermined', [
      'nodeSelector kubernetes.io/arch: arm64: ARM does not tell the value of kubernetes.io/arch',
    ]],
    ['a taint that does not parse: undetermined', placement(), { ...SYSTEM, nodeTaints: ['broken'] }, 'undetermined', ['taint "broken" could not be read']],
    ['the mode label', placement({ nodeSelector: { 'kubernetes.azure.com/mode': 'system' } }), ARM, 'blocked', [
      "nodeSelector kubernetes.azure.com/mode: system: the pool's nodes have kubernetes.azure.com/mode=user",
    ]],
  ])('%s', (_name, p, pool, outcome, reasons) => {
    expect(landingOn(p, pool, CLUSTER)).toEqual({ pool: pool.name, outcome, reasons });
  });
});
