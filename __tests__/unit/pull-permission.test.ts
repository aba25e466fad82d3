import { parseRepositoryCondition, repositoryAllowed } from '../../src/checks/abac-condition.js';
import { judgePullPermission, judgeRemedy, needsMisassignmentDiagnosis } from '../../src/checks/pull-permission.js';
import type { GrantOutcome, PlannedAssignment } from '../../src/azure/remediate.js';
import { builtInRole, ROLE, roleGuidOf } from '../../src/azure/builtin-roles.js';
import { roleGrants } from '../../src/checks/actions.js';
import type {
  ClusterFacts,
  DenyAssignment,
  Fact,
  Finding,
  KubeletIdentity,
  RbacFacts,
  ReadFailure,
  RegistryFacts,
  RoleAssignment,
  RoleDefinition,
  Status,
} from '../../src/model.js';

const SUB = '/subscriptions/s1';
const RG = `${SUB}/resourceGroups/rg`;
const REGISTRY_ID = `${RG}/providers/Microsoft.ContainerRegistry/registries/myacr`;
const MG = '/providers/Microsoft.Management/managementGroups/mg1';
const KUBELET = '11111111-1111-1111-1111-111111111111';
const CLIENT_ID = '22222222-2222-2222-2222-222222222222';
const CONTROL_PLANE = '33333333-3333-3333-3333-333333333333';
const GROUP = '44444444-4444-4444-4444-444444444444';
const EVERYONE = '00000000-0000-0000-0000-000000000000';
const NOW = new Date('2026-05-01T12:00:00Z');
const OLD = '2026-01-01T00:00:00.000Z';
const TEN_MINUTES_AGO = '2026-05-01T11:50:00.000Z';
const FORTY_FIVE_MINUTES_AGO = '2026-05-01T11:15:00.000Z';
const SIXTY_ONE_MINUTES_AGO = '2026-05-01T10:59:00.000Z';
const PULL = 'Microsoft.ContainerRegistry/registries/pull/read';
const CONTENT_READ = 'Microsoft.ContainerRegistry/registries/repositories/content/read';
const METADATA_READ = 'Microsoft.ContainerRegistry/registries/repositories/metadata/read';
const REPO_NAME = '@Request[Microsoft.ContainerRegistry/registries/repositories:name]';
const readsOnly = (expression: string) => `((!(ActionMatches{'${CONTENT_READ}'}) AND !(ActionMatches{'${METADATA_READ}'})) OR (${expression}))`;
const TEAM1_CONDITION = readsOnly(`${REPO_NAME} StringStartsWithIgnoreCase 'team1/'`);
const ASSIGN_ACRPULL = `az role assignment create --assignee-object-id ${KUBELET} --assignee-principal-type ServicePrincipal --role AcrPull --scope ${REGISTRY_ID}`;
const ASSIGN_READER = `az role assignment create --assignee-object-id ${KUBELET} --assignee-principal-type ServicePrincipal --role "Container Registry Repository Reader" --scope ${REGISTRY_ID}`;
const ATTACH = `az aks update -n aks1 -g rg-aks --attach-acr ${REGISTRY_ID}`;

// Custom roles, fetched by the engine (not built in).
const CUSTOM = {
  acrAll: 'c0000000-0000-0000-0000-000000000001',
  allRead: 'c0000000-0000-0000-0000-000000000002',
  acrMinusPull: 'c0000000-0000-0000-0000-000000000003',
  pushOnly: 'c0000000-0000-0000-0000-000000000004',
  contentOnly: 'c0000000-0000-0000-0000-000000000005',
  metadataOnly: 'c0000000-0000-0000-0000-000000000006',
};
const custom = (guid: string, roleName: string, p: { actions?: string[]; notActions?: string[]; dataActions?: string[] }): RoleDefinition => ({
  id: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
  name: guid,
  roleName,
  type: 'CustomRole',
  permissions: [{ actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: [] }],
});
const CUSTOM_DEFS: RoleDefinition[] = [
  custom(CUSTOM.acrAll, 'ACR everything', { actions: ['Microsoft.ContainerRegistry/*'] }),
  custom(CUSTOM.allRead, 'Read all', { actions: ['*/read'] }),
  custom(CUSTOM.acrMinusPull, 'ACR but pull', { actions: ['Microsoft.ContainerRegistry/*'], notActions: [PULL] }),
  custom(CUSTOM.pushOnly, 'Pusher', { actions: ['Microsoft.ContainerRegistry/registries/push/write'] }),
  custom(CUSTOM.contentOnly, 'Content reader', { dataActions: [CONTENT_READ] }),
  custom(CUSTOM.metadataOnly, 'Metadata reader', { dataActions: [METADATA_READ] }),
];

const forbidden = (what: string, missingPermission?: string): ReadFailure => ({
  what,
  status: 403,
  code: 'AuthorizationFailed',
  message: 'The client does not have authorization to perform action',
  correlationId: 'corr-1234',
  ...(missingPermission ? { missingPermission } : {}),
});

let counter = 0;
function assignment(roleGuid: string, over: Partial<RoleAssignment> = {}): RoleAssignment {
  const scope = over.scope ?? REGISTRY_ID;
  const name = `a${++counter}`;
  return {
    id: `${scope.replace(/\/$/, '')}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    principalId: KUBELET,
    principalType: 'ServicePrincipal',
    createdOn: OLD,
    ...over,
  };
}

function deny(over: Partial<DenyAssignment> = {}): DenyAssignment {
  return {
    id: `${SUB}/providers/Microsoft.Authorization/denyAssignments/d1`,
    name: 'd1',
    denyAssignmentName: 'stack deny',
    scope: SUB,
    permissions: [{ actions: ['*'], notActions: [], dataActions: ['*'], notDataActions: [] }],
    principals: [{ id: EVERYONE, type: 'SystemDefined' }],
    excludePrincipals: [],
    doNotApplyToChildScopes: false,
    ...over,
  };
}

interface Setup {
  assignments?: RoleAssignment[];
  roleAssignments?: Fact<RoleAssignment[]>;
  denies?: DenyAssignment[];
  denyAssignments?: Fact<DenyAssignment[]>;
  /** definitions that could not be read, by GUID */
  unreadable?: Record<string, ReadFailure>;
  mode?: string;
  anonymous?: boolean;
  images?: string[];
  kubelet?: Partial<KubeletIdentity>;
  misassigned?: RbacFacts['misassigned'];
}

/** The facts the engine would hand over: every named role definition resolved (built-in, custom, or failed). */
function judge(s: Setup = {}): Finding {
  const cluster: ClusterFacts = {
    id: `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1`,
    name: 'aks1',
    subscriptionId: 's1',
    resourceGroup: 'rg-aks',
    location: 'westeurope',
    controlPlanePrincipalId: CONTROL_PLANE,
    kubelet: { source: 'managedIdentity', objectId: KUBELET, objectIdFrom: 'cluster', clientId: CLIENT_ID, ...s.kubelet },
    agentPools: [],
  };
  const registry: RegistryFacts = {
    id: REGISTRY_ID,
    name: 'myacr',
    subscriptionId: 's1',
    resourceGroup: 'rg',
    location: 'westeurope',
    loginServer: 'myacr.azurecr.io',
    anonymousPullEnabled: s.anonymous ?? false,
    roleAssignmentMode: s.mode ?? 'LegacyRegistryPermissions',
    dataEndpointHostNames: [],
    privateEndpointConnections: [],
  };
  const roleAssignments = s.roleAssignments ?? { ok: true, value: s.assignments ?? [] };
  const named = [
    ...(roleAssignments.ok ? roleAssignments.value : []),
    ...[s.misassigned?.controlPlane, s.misassigned?.clientIdAsObjectId].flatMap((m) => (m?.assignments.ok ? m.assignments.value : [])),
  ];
  const definition = (guid: string): Fact<RoleDefinition> => {
    const failed = s.unreadable?.[guid];
    if (failed) return { ok: false, error: failed };
    const def = builtInRole(guid) ?? CUSTOM_DEFS.find((d) => d.name === guid);
    if (!def) throw new Error(`test setup: no definition for ${guid}`);
    return { ok: true, value: def };
  };
  const roleDefinitions = Object.fromEntries(named.map((a) => roleGuidOf(a.roleDefinitionId)).map((g) => [g, definition(g)]));
  const rbac: RbacFacts | undefined = cluster.kubelet.objectId
    ? {
        principalId: cluster.kubelet.objectId,
        roleAssignments,
        denyAssignments: s.denyAssignments ?? { ok: true, value: s.denies ?? [] },
        roleDefinitions,
        ...(s.misassigned ? { misassigned: s.misassigned } : {}),
      }
    : undefined;
  const images = (s.images ?? []).map((repository) => ({ input: `myacr.azurecr.io/${repository}:1`, host: 'myacr.azurecr.io', repository, tag: '1' }));
  return judgePullPermission({ cluster, registry, rbac, images, now: NOW });
}

interface Expectation {
  status: Status;
  title: string;
  detail?: string[];
  notInDetail?: string[];
  /** strings the fix contains; null: no fix */
  fix?: string[] | null;
}

const PASS_TITLE = 'aks1 can pull from myacr';
const FAIL_TITLE = 'Kubelet identity of aks1 cannot pull from myacr';
const UNKNOWN_TITLE = 'Pull permission of aks1 on myacr could not be verified';
const ABAC = 'AbacRepositoryPermissions';

function check(f: Finding, e: Expectation): void {
  expect(f).toMatchObject({ id: 'pull-permission', cluster: 'aks1', registry: 'myacr', status: e.status });
  expect(f.title).toBe(e.title);
  for (const word of e.detail ?? []) expect(f.detail).toContain(word);
  for (const word of e.notInDetail ?? []) expect(f.detail).not.toContain(word);
  if (e.fix === null) expect(f.fix).toBeUndefined();
  for (const word of e.fix ?? []) expect(f.fix).toContain(word);
}

describe('legacy mode: pull/read through role assignments', () => {
  test.each<[string, Setup, Expectation]>([
    ['AcrPull at the registry', { assignments: [assignment(ROLE.acrPull)] }, { status: 'pass', title: PASS_TITLE, detail: [`AcrPull at ${REGISTRY_ID}`, PULL, KUBELET], fix: null }],
    ['AcrPull at the resource group', { assignments: [assignment(ROLE.acrPull, { scope: RG })] }, { status: 'pass', title: PASS_TITLE, detail: [`AcrPull at ${RG} grants`] }],
    ['AcrPull at the subscription', { assignments: [assignment(ROLE.acrPull, { scope: SUB })] }, { status: 'pass', title: PASS_TITLE, detail: [`AcrPull at ${SUB} grants`] }],
    ['AcrPull at a management group', { assignments: [assignment(ROLE.acrPull, { scope: MG })] }, { status: 'pass', title: PASS_TITLE, detail: [`AcrPull at ${MG}`] }],
    ['AcrPull at the root', { assignments: [assignment(ROLE.acrPull, { scope: '/' })] }, { status: 'pass', title: PASS_TITLE, detail: ['AcrPull at / grants'] }],
    ['roleAssignmentMode missing means legacy', { mode: '', assignments: [assignment(ROLE.acrPull)] }, { status: 'pass', title: PASS_TITLE }],
    ['AcrPush', { assignments: [assignment(ROLE.acrPush)] }, { status: 'pass', title: PASS_TITLE, detail: ['AcrPush at'] }],
    ['Owner', { assignments: [assignment(ROLE.owner, { scope: RG })] }, { status: 'pass', title: PASS_TITLE, detail: ['Owner at'] }],
    ['Contributor (its notActions do not touch pull)', { assignments: [assignment(ROLE.contributor, { scope: SUB })] }, { status: 'pass', title: PASS_TITLE, detail: ['Contributor at'] }],
    ['Reader', { assignments: [assignment(ROLE.reader)] }, { status: 'pass', title: PASS_TITLE, detail: ['Reader at'] }],
    ['Data Importer and Data Reader', { assignments: [assignment(ROLE.dataImporterAndDataReader)] }, { status: 'pass', title: PASS_TITLE }],
    ['custom role with Microsoft.ContainerRegistry/*', { assignments: [assignment(CUSTOM.acrAll)] }, { status: 'pass', title: PASS_TITLE, detail: ['ACR everything at'] }],
    ['custom role with */read', { assignments: [assignment(CUSTOM.allRead)] }, { status: 'pass', title: PASS_TITLE, detail: ['Read all at'] }],
    [
      'custom role whose notActions remove pull/read',
      { assignments: [assignment(CUSTOM.acrMinusPull)] },
      { status: 'fail', title: FAIL_TITLE, detail: ['No role assignment at or above myacr grants', `ACR but pull at ${REGISTRY_ID}: does not grant ${PULL}`], fix: [ASSIGN_ACRPULL] },
    ],
    [
      'custom role without pull',
      { assignments: [assignment(CUSTOM.pushOnly)] },
      { status: 'fail', title: FAIL_TITLE, detail: ['Pusher at', 'does not grant', ATTACH], fix: [ASSIGN_ACRPULL] },
    ],
    [
      'AcrPull on a sibling registry',
      { assignments: [assignment(ROLE.acrPull, { scope: `${RG}/providers/Microsoft.ContainerRegistry/registries/otheracr` })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['registries/otheracr: its scope is neither the registry nor one of its ancestors', ATTACH], fix: [ASSIGN_ACRPULL] },
    ],
    [
      'AcrPull on another resource group',
      { assignments: [assignment(ROLE.acrPull, { scope: `${SUB}/resourceGroups/rg2` })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['resourceGroups/rg2: its scope is neither'], fix: [ASSIGN_ACRPULL] },
    ],
    [
      'AcrPull below the registry',
      { assignments: [assignment(ROLE.acrPull, { scope: `${REGISTRY_ID}/scopeMaps/m` })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['scopeMaps/m: its scope is neither'] },
    ],
    ['no role assignment at all', {}, { status: 'fail', title: FAIL_TITLE, detail: [`grants ${PULL} to the kubelet identity of aks1 (object ID ${KUBELET})`, ATTACH], fix: [ASSIGN_ACRPULL] }],
    [
      'Repository Reader does not grant pull/read in legacy mode',
      { assignments: [assignment(ROLE.repositoryReader)] },
      { status: 'fail', title: FAIL_TITLE, detail: ['Container Registry Repository Reader at', 'does not grant'], fix: [ASSIGN_ACRPULL] },
    ],
    [
      'a condition on the only grant is not understood in legacy mode',
      { assignments: [assignment(ROLE.acrPull, { condition: TEAM1_CONDITION, conditionVersion: '2.0' })] },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['could not be interpreted', TEAM1_CONDITION], fix: null },
    ],
    [
      'a conditional grant next to an unconditional one',
      { assignments: [assignment(ROLE.acrPull, { condition: TEAM1_CONDITION }), assignment(ROLE.acrPull, { scope: RG })] },
      { status: 'pass', title: PASS_TITLE },
    ],
    [
      'an unknown roleAssignmentMode',
      { mode: 'SomethingNew', assignments: [assignment(ROLE.acrPull)] },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ["roleAssignmentMode 'SomethingNew'"] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('ABAC mode: repository data actions', () => {
  test.each<[string, Setup, Expectation]>([
    [
      'AcrPull only: not honoured',
      { mode: ABAC, assignments: [assignment(ROLE.acrPull)] },
      {
        status: 'fail',
        title: FAIL_TITLE,
        detail: [`AcrPull at ${REGISTRY_ID}: not honoured in ABAC mode`, CONTENT_READ, METADATA_READ],
        notInDetail: ['--attach-acr'],
        fix: [ASSIGN_READER],
      },
    ],
    [
      'AcrPush and Owner: not honoured / control plane only',
      { mode: ABAC, assignments: [assignment(ROLE.acrPush), assignment(ROLE.owner, { scope: SUB })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['AcrPush at', 'not honoured in ABAC mode', `Owner at ${SUB}: does not grant`], fix: [ASSIGN_READER] },
    ],
    ['Repository Reader', { mode: ABAC, assignments: [assignment(ROLE.repositoryReader)] }, { status: 'pass', title: PASS_TITLE, detail: ['Container Registry Repository Reader at', CONTENT_READ, METADATA_READ] }],
    ['Repository Writer at the resource group', { mode: ABAC, assignments: [assignment(ROLE.repositoryWriter, { scope: RG })] }, { status: 'pass', title: PASS_TITLE }],
    ['Data Importer and Data Reader', { mode: ABAC, assignments: [assignment(ROLE.dataImporterAndDataReader)] }, { status: 'pass', title: PASS_TITLE }],
    [
      'the two read data actions from two assignments',
      { mode: ABAC, assignments: [assignment(CUSTOM.contentOnly), assignment(CUSTOM.metadataOnly, { scope: SUB })] },
      { status: 'pass', title: PASS_TITLE, detail: ['Content reader at', 'Metadata reader at'] },
    ],
    [
      'content/read without metadata/read',
      { mode: ABAC, assignments: [assignment(CUSTOM.contentOnly)] },
      { status: 'fail', title: FAIL_TITLE, detail: [`Partial: Content reader at ${REGISTRY_ID} grants only ${CONTENT_READ}`], fix: [ASSIGN_READER] },
    ],
    [
      'Repository Reader with a condition that allows the images',
      { mode: ABAC, images: ['team1/app', 'team1/api'], assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION })] },
      { status: 'pass', title: PASS_TITLE, detail: ['limited to team1/* (prefix)'] },
    ],
    [
      'Repository Reader with a condition that excludes an image',
      { mode: ABAC, images: ['team1/app', 'team2/api'], assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['do not allow pulling team2/api', TEAM1_CONDITION], notInDetail: ['team1/app,'], fix: [ASSIGN_READER, '--condition-version 2.0', "'team2/api'"] },
    ],
    [
      'Repository Reader with a condition, no images given',
      { mode: ABAC, assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION })] },
      { status: 'warn', title: 'aks1 can pull only some repositories of myacr', detail: ['may pull only some repositories of myacr', 'limited to team1/* (prefix)', 'images input'], fix: null },
    ],
    [
      'a condition excluding the image next to an unconditional grant',
      { mode: ABAC, images: ['team2/api'], assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION }), assignment(ROLE.repositoryReader, { scope: RG })] },
      { status: 'pass', title: PASS_TITLE },
    ],
    [
      'an unparsable condition on the only grant',
      { mode: ABAC, assignments: [assignment(ROLE.repositoryReader, { condition: readsOnly(`${REPO_NAME} StringNotEquals 'secret'`) })] },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['could not be interpreted', "StringNotEquals 'secret'"], fix: null },
    ],
    [
      'an unparsable condition, with images',
      { mode: ABAC, images: ['team1/app'], assignments: [assignment(ROLE.repositoryReader, { condition: readsOnly(`${REPO_NAME} StringNotEquals 'secret'`) })] },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ["StringNotEquals 'secret'"] },
    ],
    [
      'an unparsable condition next to an unconditional grant',
      { mode: ABAC, assignments: [assignment(ROLE.repositoryReader, { condition: 'garbage' }), assignment(ROLE.repositoryContributor, { scope: SUB })] },
      { status: 'pass', title: PASS_TITLE },
    ],
    [
      'a condition that only restricts writes',
      {
        mode: ABAC,
        assignments: [assignment(ROLE.repositoryWriter, { condition: `(!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/write'})) OR (${REPO_NAME} StringEquals 'x')` })],
      },
      { status: 'pass', title: PASS_TITLE },
    ],
    [
      'a condition that allows no repository',
      { mode: ABAC, assignments: [assignment(ROLE.repositoryReader, { condition: `!(ActionMatches{'${CONTENT_READ}'})` })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['its condition allows no repository to be pulled'], fix: [ASSIGN_READER] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });

  test('the fix for excluded repositories is a condition that allows exactly them', () => {
    const f = judge({ mode: ABAC, images: ['team2/api', 'team3/web'], assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION })] });
    const condition = /--condition "(.*)"$/.exec(f.fix ?? '')?.[1] ?? '';
    const parsed = parseRepositoryCondition(condition);
    expect(parsed.kind).toBe('repositories');
    const rules = parsed.kind === 'repositories' ? parsed.rules : [];
    expect(['team2/api', 'team3/web'].map((r) => repositoryAllowed(rules, r))).toEqual([true, true]);
    expect(repositoryAllowed(rules, 'team1/app')).toBe(false);
  });
});

describe('deny assignments', () => {
  const acrPull = [assignment(ROLE.acrPull)];
  test.each<[string, Setup, Expectation]>([
    [
      'a deny naming the kubelet overrides AcrPull',
      { assignments: acrPull, denies: [deny({ principals: [{ id: KUBELET, type: 'ServicePrincipal' }] })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['deny assignment stack deny at /subscriptions/s1 names the kubelet identity', 'overrides any role'], fix: null },
    ],
    ['a deny for Everyone', { assignments: acrPull, denies: [deny()] }, { status: 'fail', title: FAIL_TITLE, detail: ['applies to Everyone', KUBELET], fix: null }],
    ['a deny for Everyone that excludes the kubelet', { assignments: acrPull, denies: [deny({ excludePrincipals: [{ id: KUBELET.toUpperCase(), type: 'ServicePrincipal' }] })] }, { status: 'pass', title: PASS_TITLE }],
    ['doNotApplyToChildScopes at the resource group', { assignments: acrPull, denies: [deny({ scope: RG, doNotApplyToChildScopes: true })] }, { status: 'pass', title: PASS_TITLE }],
    ['doNotApplyToChildScopes at the registry itself', { assignments: acrPull, denies: [deny({ scope: REGISTRY_ID, doNotApplyToChildScopes: true })] }, { status: 'fail', title: FAIL_TITLE, detail: ['applies to Everyone'] }],
    ['a deny on a sibling registry', { assignments: acrPull, denies: [deny({ scope: `${RG}/providers/Microsoft.ContainerRegistry/registries/other` })] }, { status: 'pass', title: PASS_TITLE }],
    [
      'a deny of writes only (notActions keep reads)',
      { assignments: acrPull, denies: [deny({ permissions: [{ actions: ['*'], notActions: ['*/read'], dataActions: [], notDataActions: [] }] })] },
      { status: 'pass', title: PASS_TITLE },
    ],
    [
      'a deny of data actions does not touch legacy pull/read',
      { assignments: acrPull, denies: [deny({ permissions: [{ actions: [], notActions: [], dataActions: ['*'], notDataActions: [] }] })] },
      { status: 'pass', title: PASS_TITLE },
    ],
    [
      'ABAC mode: a deny of content/read',
      { mode: ABAC, assignments: [assignment(ROLE.repositoryReader)], denies: [deny({ permissions: [{ actions: [], notActions: [], dataActions: [CONTENT_READ], notDataActions: [] }] })] },
      { status: 'fail', title: FAIL_TITLE, detail: ['applies to Everyone', CONTENT_READ] },
    ],
    [
      'a deny naming a group',
      { assignments: acrPull, denies: [deny({ principals: [{ id: GROUP, type: 'Group' }] })] },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: [`denies group ${GROUP}`, 'membership cannot be verified', 'Grants found: AcrPull at'] },
    ],
    [
      'a deny naming a group that excludes the kubelet',
      { assignments: acrPull, denies: [deny({ principals: [{ id: GROUP, type: 'Group' }], excludePrincipals: [{ id: KUBELET, type: 'ServicePrincipal' }] })] },
      { status: 'pass', title: PASS_TITLE },
    ],
    [
      'a deny for Everyone that excludes a group',
      { assignments: acrPull, denies: [deny({ excludePrincipals: [{ id: GROUP, type: 'Group' }] })] },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: [`excludes group ${GROUP}`] },
    ],
    ['a deny naming another principal', { assignments: acrPull, denies: [deny({ principals: [{ id: CONTROL_PLANE, type: 'ServicePrincipal' }] })] }, { status: 'pass', title: PASS_TITLE }],
    [
      'a deny with a condition',
      { assignments: acrPull, denies: [deny({ condition: "@Resource[x] StringEquals 'y'" })] },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['condition that was not evaluated'] },
    ],
    [
      'a deny that applies without any grant',
      { denies: [deny()] },
      { status: 'fail', title: FAIL_TITLE, detail: ['applies to Everyone'], fix: null },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('groups and propagation', () => {
  test.each<[string, Setup, Expectation]>([
    [
      'a grant through a group',
      { assignments: [assignment(ROLE.acrPull, { principalId: GROUP, principalType: 'Group' })] },
      { status: 'pass', title: PASS_TITLE, detail: [`AcrPull at ${REGISTRY_ID} through group ${GROUP}`] },
    ],
    [
      'a grant created 10 minutes ago',
      { assignments: [assignment(ROLE.acrPull, { createdOn: TEN_MINUTES_AGO })] },
      { status: 'warn', title: 'Pull permission of aks1 on myacr is new and may not have propagated', detail: [`was created at ${TEN_MINUTES_AGO}`, 'up to 60 minutes'], fix: null },
    ],
    [
      'a new grant through a group',
      { assignments: [assignment(ROLE.acrPull, { principalId: GROUP, createdOn: TEN_MINUTES_AGO })] },
      { status: 'warn', title: 'Pull permission of aks1 on myacr is new and may not have propagated', detail: [`through group ${GROUP}`, 'longer through a group'] },
    ],
    [
      'a grant created 45 minutes ago: still inside the 60-minute window',
      { assignments: [assignment(ROLE.acrPull, { createdOn: FORTY_FIVE_MINUTES_AGO })] },
      { status: 'warn', title: 'Pull permission of aks1 on myacr is new and may not have propagated', detail: [`was created at ${FORTY_FIVE_MINUTES_AGO}`, 're-run later'] },
    ],
    ['a grant created 61 minutes ago has settled', { assignments: [assignment(ROLE.acrPull, { createdOn: SIXTY_ONE_MINUTES_AGO })] }, { status: 'pass', title: PASS_TITLE }],
    ['a new grant next to an older one', { assignments: [assignment(ROLE.acrPush, { createdOn: TEN_MINUTES_AGO }), assignment(ROLE.acrPull, { scope: RG })] }, { status: 'pass', title: PASS_TITLE }],
    ['a grant without createdOn', { assignments: [assignment(ROLE.acrPull, { createdOn: undefined })] }, { status: 'pass', title: PASS_TITLE }],
    [
      'ABAC: one of the two read actions is new',
      { mode: ABAC, assignments: [assignment(CUSTOM.contentOnly), assignment(CUSTOM.metadataOnly, { createdOn: TEN_MINUTES_AGO })] },
      { status: 'warn', title: 'Pull permission of aks1 on myacr is new and may not have propagated', detail: ['Metadata reader at'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });

  test('evidence names the grant, how it came and nothing secret', () => {
    const a = assignment(ROLE.acrPull, { principalId: GROUP, principalType: 'Group', scope: RG });
    const f = judge({ assignments: [a, assignment(ROLE.acrPull, { scope: `${SUB}/resourceGroups/rg2` })] });
    expect(f.evidence).toEqual({
      mode: 'LegacyRegistryPermissions',
      principalId: KUBELET,
      grants: [{ assignmentId: a.id, role: 'AcrPull', roleDefinitionId: a.roleDefinitionId, scope: RG, principalId: GROUP, via: 'group', createdOn: OLD }],
      ignored: [expect.objectContaining({ role: 'AcrPull', scope: `${SUB}/resourceGroups/rg2`, reason: expect.stringContaining('scope') })],
      denies: [],
    });
  });
});

describe('facts that could not be read', () => {
  const assignmentsForbidden = forbidden(`reading role assignments of ${KUBELET} on ${REGISTRY_ID}`);
  const denyForbidden = forbidden(`reading deny assignments on ${REGISTRY_ID}`);
  const definitionForbidden = forbidden(`reading role definition ${CUSTOM.acrAll}`, 'Microsoft.Authorization/roleDefinitions/read (granted by the Reader role on the registry)');
  test.each<[string, Setup, Expectation]>([
    [
      '403 on role assignments',
      { roleAssignments: { ok: false, error: assignmentsForbidden } },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['reading role assignments', '403 AuthorizationFailed', 'corr-1234', 'Microsoft.Authorization/roleAssignments/read'], fix: null },
    ],
    [
      '403 on deny assignments while AcrPull grants',
      { assignments: [assignment(ROLE.acrPull)], denyAssignments: { ok: false, error: denyForbidden } },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['reading deny assignments', '403', 'corr-1234', 'Microsoft.Authorization/denyAssignments/read', 'Grants found: AcrPull'] },
    ],
    [
      '403 on deny assignments without any grant',
      { denyAssignments: { ok: false, error: denyForbidden } },
      { status: 'fail', title: FAIL_TITLE, fix: [ASSIGN_ACRPULL] },
    ],
    [
      '403 on one definition while AcrPull grants',
      { assignments: [assignment(CUSTOM.acrAll), assignment(ROLE.acrPull)], unreadable: { [CUSTOM.acrAll]: definitionForbidden } },
      { status: 'pass', title: PASS_TITLE, detail: ['AcrPull at'] },
    ],
    [
      '403 on the only definition',
      { assignments: [assignment(CUSTOM.acrAll)], unreadable: { [CUSTOM.acrAll]: definitionForbidden } },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['reading role definition', '403', 'corr-1234', 'Microsoft.Authorization/roleDefinitions/read'] },
    ],
    [
      '403 on a definition of an out-of-scope assignment does not matter',
      { assignments: [assignment(CUSTOM.acrAll, { scope: `${SUB}/resourceGroups/rg2` })], unreadable: { [CUSTOM.acrAll]: definitionForbidden } },
      { status: 'fail', title: FAIL_TITLE },
    ],
    [
      '403 on a definition while a condition excludes the image',
      { mode: ABAC, images: ['team2/api'], assignments: [assignment(CUSTOM.acrAll), assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION })], unreadable: { [CUSTOM.acrAll]: definitionForbidden } },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['reading role definition'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('anonymous pull and unknown kubelet object IDs', () => {
  const sp: Partial<KubeletIdentity> = { source: 'servicePrincipal', objectId: undefined, clientId: 'sp-client-id' };
  test.each<[string, Setup, Expectation]>([
    ['anonymous pull without any role', { anonymous: true }, { status: 'pass', title: 'aks1 can pull from myacr (anonymous pull)', detail: ['Anonymous pull is enabled', 'without any role', '(fail)'], fix: null }],
    ['anonymous pull with AcrPull', { anonymous: true, assignments: [assignment(ROLE.acrPull)] }, { status: 'pass', title: 'aks1 can pull from myacr (anonymous pull)', detail: ['(pass)', 'AcrPull at'] }],
    [
      'anonymous pull when role assignments cannot be read',
      { anonymous: true, roleAssignments: { ok: false, error: assignmentsForbiddenFor() } },
      { status: 'pass', title: 'aks1 can pull from myacr (anonymous pull)', detail: ['without any role', '(unknown)', '403'] },
    ],
    ['anonymous pull without an object ID', { anonymous: true, kubelet: sp }, { status: 'pass', title: 'aks1 can pull from myacr (anonymous pull)', detail: ['without any role', 'kubelet-object-id'] }],
    [
      'a service-principal cluster without an object ID',
      { kubelet: sp },
      {
        status: 'unknown',
        title: UNKNOWN_TITLE,
        detail: ['servicePrincipal, client ID sp-client-id', 'kubelet-object-id input', 'Application.Read.All', 'az ad sp show --id sp-client-id --query id -o tsv'],
        fix: null,
      },
    ],
    [
      'Graph could not be read',
      { kubelet: { ...sp, objectIdError: { what: 'reading service principal sp-client-id from Microsoft Graph', status: 403, message: 'Insufficient privileges', correlationId: 'g-1' } } },
      { status: 'unknown', title: UNKNOWN_TITLE, detail: ['Microsoft Graph failed (403)', 'Insufficient privileges', 'az ad sp show --id sp-client-id'] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });

  test('anonymous pull keeps what RBAC says in the evidence', () => {
    expect(judge({ anonymous: true }).evidence).toMatchObject({ anonymousPullEnabled: true, rbacStatus: 'fail', grants: [] });
  });
});

function assignmentsForbiddenFor(): ReadFailure {
  return forbidden(`reading role assignments of ${KUBELET} on ${REGISTRY_ID}`);
}

describe('classic mistakes, once a first fail asked for them', () => {
  const ok = <T,>(value: T): Fact<T> => ({ ok: true, value });
  test.each<[string, Setup, Expectation]>([
    [
      'AcrPull given to the control-plane identity',
      { misassigned: { controlPlane: { principalId: CONTROL_PLANE, assignments: ok([assignment(ROLE.acrPull, { principalId: CONTROL_PLANE })]) } } },
      {
        status: 'fail',
        title: FAIL_TITLE,
        detail: [`AcrPull at ${REGISTRY_ID} was given to the control-plane identity of aks1 (${CONTROL_PLANE}) instead of the kubelet identity (object ID ${KUBELET})`],
        fix: [ASSIGN_ACRPULL],
      },
    ],
    [
      "AcrPull given to the kubelet's client ID",
      { misassigned: { clientIdAsObjectId: { principalId: CLIENT_ID, assignments: ok([assignment(ROLE.acrPull, { principalId: CLIENT_ID, scope: RG })]) } } },
      { status: 'fail', title: FAIL_TITLE, detail: [`AcrPull at ${RG} is assigned to ${CLIENT_ID}`, "an object ID was expected, the kubelet's client ID was used"], fix: [ASSIGN_ACRPULL] },
    ],
    [
      'ABAC: Repository Reader given to the control-plane identity',
      { mode: ABAC, misassigned: { controlPlane: { principalId: CONTROL_PLANE, assignments: ok([assignment(ROLE.repositoryReader, { principalId: CONTROL_PLANE })]) } } },
      { status: 'fail', title: FAIL_TITLE, detail: ['Container Registry Repository Reader at', 'control-plane identity'], fix: [ASSIGN_READER] },
    ],
    [
      'broad roles, other registries and group assignments of the control plane are no mistake',
      {
        misassigned: {
          controlPlane: {
            principalId: CONTROL_PLANE,
            assignments: ok([
              assignment(ROLE.contributor, { principalId: CONTROL_PLANE, scope: SUB }),
              assignment(ROLE.acrPull, { principalId: CONTROL_PLANE, scope: `${RG}/providers/Microsoft.ContainerRegistry/registries/other` }),
              assignment(ROLE.acrPull, { principalId: GROUP }),
            ]),
          },
        },
      },
      { status: 'fail', title: FAIL_TITLE, notInDetail: ['control-plane identity'] },
    ],
    [
      'unreadable misassignments add nothing',
      { misassigned: { controlPlane: { principalId: CONTROL_PLANE, assignments: { ok: false, error: forbidden('reading') } } } },
      { status: 'fail', title: FAIL_TITLE, notInDetail: ['control-plane identity'], fix: [ASSIGN_ACRPULL] },
    ],
  ])('%s', (_name, setup, expected) => {
    check(judge(setup), expected);
  });
});

describe('needsMisassignmentDiagnosis', () => {
  test.each<[string, Setup, boolean]>([
    ['no grant', {}, true],
    ['a repository condition excludes an image', { mode: ABAC, images: ['team2/api'], assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION })] }, true],
    ['a deny', { assignments: [assignment(ROLE.acrPull)], denies: [deny()] }, false],
    ['a pass', { assignments: [assignment(ROLE.acrPull)] }, false],
    ['an unknown', { roleAssignments: { ok: false, error: assignmentsForbiddenFor() } }, false],
  ])('%s → %s', (_name, setup, expected) => {
    expect(needsMisassignmentDiagnosis(judge(setup))).toBe(expected);
  });
});

describe('built-in roles', () => {
  test.each([
    [`${SUB}/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D`, ROLE.acrPull],
    [`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.repositoryReader}`, ROLE.repositoryReader],
    [`/providers/Microsoft.Authorization/roleDefinitions/${ROLE.owner}/`, ROLE.owner],
  ])('roleGuidOf(%s)', (id, guid) => {
    expect(roleGuidOf(id)).toBe(guid);
  });

  test.each<[string, string, 'action' | 'dataAction', boolean]>([
    [ROLE.acrPull, PULL, 'action', true],
    [ROLE.acrDelete, PULL, 'action', false],
    [ROLE.contributor, PULL, 'action', true],
    [ROLE.contributor, 'Microsoft.Authorization/roleAssignments/write', 'action', false],
    [ROLE.reader, PULL, 'action', true],
    [ROLE.owner, CONTENT_READ, 'dataAction', false],
    [ROLE.repositoryReader, CONTENT_READ, 'dataAction', true],
    [ROLE.repositoryReader, METADATA_READ, 'dataAction', true],
    [ROLE.repositoryReader, PULL, 'action', false],
    [ROLE.repositoryCatalogLister, CONTENT_READ, 'dataAction', false],
    [ROLE.dataImporterAndDataReader, CONTENT_READ, 'dataAction', true],
  ])('%s grants %s (%s): %s', (guid, op, kind, expected) => {
    const def = builtInRole(guid.toUpperCase());
    expect(def?.name).toBe(guid);
    expect(roleGrants(def!, op, kind)).toBe(expected);
  });

  test('an unknown GUID is not built in', () => {
    expect(builtInRole('c0000000-0000-0000-0000-000000000001')).toBeUndefined();
  });
});

describe('remediate: the assignment a fail calls for, and the finding after it was tried', () => {
  const roleId = (guid: string) => `/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
  test.each<[string, Setup, Partial<PlannedAssignment> | undefined]>([
    ['no role: AcrPull', {}, { role: 'AcrPull', roleDefinitionId: roleId(ROLE.acrPull), principalId: KUBELET, scope: REGISTRY_ID }],
    ['ABAC mode: Container Registry Repository Reader', { mode: ABAC, assignments: [assignment(ROLE.acrPull)] }, { role: 'Container Registry Repository Reader', roleDefinitionId: roleId(ROLE.repositoryReader) }],
    [
      'ABAC, a condition on the resource group excludes an image: Repository Reader on the registry for exactly those repositories',
      { mode: ABAC, images: ['team1/app', 'team2/api'], assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION, scope: RG })] },
      { role: 'Container Registry Repository Reader', scope: REGISTRY_ID, condition: expect.stringContaining("StringEqualsIgnoreCase 'team2/api'") },
    ],
    [
      "ABAC, the kubelet's own conditioned Repository Reader on the registry: one per principal, role and scope, so nothing to create",
      { mode: ABAC, images: ['team1/app', 'team2/api'], assignments: [assignment(ROLE.repositoryReader, { condition: TEAM1_CONDITION })] },
      undefined,
    ],
    ['a deny: no role assignment fixes it', { denies: [deny()] }, undefined],
    ['granted: nothing to assign', { assignments: [assignment(ROLE.acrPull)] }, undefined],
  ])('%s', (_name, setup, planned) => {
    const f = judge(setup);
    if (planned) expect(f.evidence?.['missingAssignment']).toEqual(expect.objectContaining(planned));
    else expect(f.evidence?.['missingAssignment']).toBeUndefined();
  });

  const PLAN: PlannedAssignment = { scope: REGISTRY_ID, principalId: KUBELET, roleDefinitionId: roleId(ROLE.acrPull), role: 'AcrPull' };
  const NEW_ID = `${REGISTRY_ID}/providers/Microsoft.Authorization/roleAssignments/aaaaaaaa-0000-4000-8000-000000000001`;
  const created = { ...assignment(ROLE.acrPull, { createdOn: NOW.toISOString() }), id: NEW_ID, name: 'aaaaaaaa-0000-4000-8000-000000000001' };
  const forbidden: ReadFailure = { what: 'creating the AcrPull role assignment', status: 403, code: 'AuthorizationFailed', message: "does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write'", missingPermission: 'x' };
  test.each<[string, GrantOutcome, { status: Status; title: string; detail: string[]; changes: number; fix: boolean }]>([
    [
      'created and listed',
      { kind: 'created', assignment: created, visible: true, reads: 2 },
      { status: 'warn', title: 'Pull role assigned to the kubelet identity of aks1 on myacr; propagation pending', detail: [`created role assignment ${NEW_ID}`, 'after 2 reads', 'up to 60 minutes', 'Before: No role assignment'], changes: 1, fix: false },
    ],
    [
      'created, not listed before the budget ran out',
      { kind: 'created', assignment: created, visible: false, reads: 9 },
      { status: 'warn', title: 'Pull role assigned to the kubelet identity of aks1 on myacr; propagation pending', detail: ['did not list it yet when the time budget ran out'], changes: 1, fix: false },
    ],
    [
      '409: it exists, nothing created',
      { kind: 'exists', assignment: created, visible: true, reads: 1, failure: { what: 'x', status: 409, code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } },
      { status: 'warn', title: 'Pull role for aks1 on myacr already exists; propagation pending', detail: ['409 RoleAssignmentExists', NEW_ID, 'created nothing'], changes: 0, fix: false },
    ],
    [
      '409 for an assignment with another condition: unknown, never a grant',
      { kind: 'exists', assignment: { ...created, condition: TEAM1_CONDITION }, visible: true, reads: 1, failure: { what: 'x', status: 409, code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } },
      { status: 'unknown', title: 'Pull permission of aks1 on myacr could not be verified', detail: ['with the condition', 'created nothing'], changes: 0, fix: true },
    ],
    [
      '403: unknown, naming the permission and the least roles',
      { kind: 'refused', failure: forbidden },
      { status: 'unknown', title: 'Pull role for aks1 on myacr could not be assigned', detail: ['(403 AuthorizationFailed)', `Microsoft.Authorization/roleAssignments/write on ${REGISTRY_ID}`, 'Role Based Access Control Administrator', 'only AcrPull', 'User Access Administrator'], changes: 0, fix: true },
    ],
    [
      'another failure: unknown with what Azure said',
      { kind: 'failed', failure: { what: 'creating the AcrPull role assignment', status: 400, code: 'PrincipalNotFound', message: 'Principal does not exist in the directory.' } },
      { status: 'unknown', title: 'Pull role for aks1 on myacr could not be assigned', detail: ['(400 PrincipalNotFound): Principal does not exist'], changes: 0, fix: true },
    ],
  ])('%s', (_name, outcome, e) => {
    const failing = judge({});
    const { findings, changes } = judgeRemedy(failing, PLAN, outcome);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.status).toBe(e.status);
    expect(f!.title).toBe(e.title);
    for (const d of e.detail) expect(f!.detail).toContain(d);
    expect(f!.fix !== undefined).toBe(e.fix);
    expect(changes).toEqual(e.changes ? [{ kind: 'roleAssignment', id: NEW_ID, role: 'AcrPull', principalId: KUBELET, scope: REGISTRY_ID }] : []);
    expect(f!.detail).not.toContain('The signed-in identity needs x');
  });
});
