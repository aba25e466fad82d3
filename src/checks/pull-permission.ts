// The pull-permission judge: may the kubelet identity pull from the registry, according to Azure RBAC?
// Pure: facts in, one finding out. It never passes on a guess: anything unread or not understood that
// the verdict depends on makes it `unknown`.
import { RBAC_READ_PERMISSION, ROLE_ASSIGNMENT_WRITE } from './permissions.js';
import { builtInRole, ROLE, roleGuidOf } from '../azure/builtin-roles.js';
import type {
  ClusterFacts,
  DenyAssignment,
  Fact,
  Finding,
  ImageRef,
  RbacFacts,
  ReadFailure,
  RegistryFacts,
  RoleAssignment,
  RoleDefinition,
  Status,
} from '../model.js';
import { describeRules, parseRepositoryCondition, PULL_DATA_ACTIONS, repositoryAllowed, type RepositoryCondition } from './abac-condition.js';
import { roleGrants, type OperationKind } from './actions.js';
import { describeFailure } from './describe.js';
import { sameScope, scopeApplies } from './scope.js';
import { defineCheck, type Remedied } from './check.js';
import type { GrantOutcome, PlannedAssignment } from '../azure/remediate.js';

export interface PullPermissionInput {
  /** cluster.kubelet.objectId may be missing (service-principal cluster, Graph unreadable, no input) */
  cluster: ClusterFacts;
  registry: RegistryFacts;
  /** undefined when the kubelet object ID is unknown */
  rbac?: RbacFacts;
  /** the `images` input references whose host is this registry's login server */
  images: ImageRef[];
  now: Date;
}

const LEGACY_PULL = 'Microsoft.ContainerRegistry/registries/pull/read';
const EVERYONE = '00000000-0000-0000-0000-000000000000';
/** AKS maintainers: a kubelet may need up to 60 minutes to see a new AcrPull assignment. */
export const PROPAGATION_MS = 60 * 60_000;
const NOT_HONOURED_IN_ABAC = new Set<string>([ROLE.acrPull, ROLE.acrPush, ROLE.acrDelete]);
/** Roles that grant pull only as a side effect of granting (nearly) everything: not "pull roles". */
const BROAD_ROLES = new Set<string>([ROLE.owner, ROLE.contributor, ROLE.reader]);

interface Mode {
  name: 'LegacyRegistryPermissions' | 'AbacRepositoryPermissions';
  ops: string[];
  kind: OperationKind;
  /** the built-in role the fix assigns, as an `az --role` argument */
  roleArg: string;
  /** that role's name and GUID, for `remediate` */
  role: string;
  roleGuid: string;
}

interface Grant {
  assignment: RoleAssignment;
  role: string;
  via: 'direct' | 'group';
  /** which of the mode's pull operations the role grants */
  ops: string[];
  limit: RepositoryCondition;
  /** older than the propagation delay (or of unknown age) */
  settled: boolean;
}

interface Ignored {
  assignmentId: string;
  role: string;
  scope: string;
  reason: string;
}

interface DenyMatch {
  deny: DenyAssignment;
  /** `may-apply`: it depends on group membership or a condition these facts cannot settle */
  effect: 'applies' | 'may-apply';
  reason: string;
}

/** How far the grants cover pulling the images' repositories (or any repository, without images). */
type Access =
  | { kind: 'granted' }
  | { kind: 'limited' }
  | { kind: 'blocked'; repositories: string[]; conditions: Grant[] }
  | { kind: 'indeterminate'; conditions: Grant[] }
  | { kind: 'none' };

function modeOf(registry: RegistryFacts): Mode | undefined {
  const name = registry.roleAssignmentMode || 'LegacyRegistryPermissions';
  if (name === 'LegacyRegistryPermissions') return { name, ops: [LEGACY_PULL], kind: 'action', roleArg: 'AcrPull', role: 'AcrPull', roleGuid: ROLE.acrPull };
  if (name === 'AbacRepositoryPermissions') {
    const role = 'Container Registry Repository Reader';
    return { name, ops: [...PULL_DATA_ACTIONS], kind: 'dataAction', roleArg: `"${role}"`, role, roleGuid: ROLE.repositoryReader };
  }
  return undefined;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function definitionOf(rbac: RbacFacts, roleDefinitionId: string): Fact<RoleDefinition> {
  const guid = roleGuidOf(roleDefinitionId);
  const fact = rbac.roleDefinitions[guid];
  if (fact) return fact;
  const builtIn = builtInRole(guid);
  return builtIn ? { ok: true, value: builtIn } : { ok: false, error: { what: `reading role definition ${roleDefinitionId}`, message: 'it was not read' } };
}

function limitOf(a: RoleAssignment, mode: Mode): RepositoryCondition {
  if (!a.condition) return { kind: 'unrestricted' };
  // Repository conditions only mean something in ABAC mode; elsewhere a condition is not understood.
  return mode.name === 'AbacRepositoryPermissions' ? parseRepositoryCondition(a.condition) : { kind: 'unparsed', text: a.condition };
}

function analyse(assignments: RoleAssignment[], rbac: RbacFacts, registry: RegistryFacts, mode: Mode, now: Date) {
  const grants: Grant[] = [];
  const ignored: Ignored[] = [];
  const unreadable: ReadFailure[] = [];
  for (const a of assignments) {
    const guid = roleGuidOf(a.roleDefinitionId);
    const def = definitionOf(rbac, a.roleDefinitionId);
    const role = def.ok ? def.value.roleName : guid;
    const ignore = (reason: string) => ignored.push({ assignmentId: a.id, role, scope: a.scope, reason });
    if (!scopeApplies(a.scope, registry.id)) {
      ignore('its scope is neither the registry nor one of its ancestors');
      continue;
    }
    if (!def.ok) {
      unreadable.push({ ...def.error, missingPermission: def.error.missingPermission ?? RBAC_READ_PERMISSION.roleDefinitions });
      ignore('its role definition could not be read');
      continue;
    }
    if (mode.name === 'AbacRepositoryPermissions' && NOT_HONOURED_IN_ABAC.has(guid)) {
      ignore('not honoured in ABAC mode (roleAssignmentMode AbacRepositoryPermissions)');
      continue;
    }
    const ops = mode.ops.filter((op) => roleGrants(def.value, op, mode.kind));
    const limit = limitOf(a, mode);
    if (ops.length === 0) ignore(`does not grant ${mode.ops.join(' or ')}`);
    else if (limit.kind === 'repositories' && limit.rules.length === 0) ignore('its condition allows no repository to be pulled');
    else {
      const created = a.createdOn ? Date.parse(a.createdOn) : NaN;
      const settled = Number.isNaN(created) || now.getTime() - created >= PROPAGATION_MS;
      grants.push({ assignment: a, role, via: sameId(a.principalId, rbac.principalId) ? 'direct' : 'group', ops, limit, settled });
    }
  }
  return { grants, ignored, unreadable };
}

/** 0: not allowed, 1: depends on a condition not understood, 2: some repositories only, 3: allowed. */
function level(limit: RepositoryCondition, repository: string | undefined): number {
  if (limit.kind === 'unrestricted') return 3;
  if (limit.kind === 'unparsed') return 1;
  if (repository === undefined) return 2;
  return repositoryAllowed(limit.rules, repository) ? 3 : 0;
}

function access(grants: Grant[], ops: string[], repositories: string[]): Access {
  const byOp = ops.map((op) => grants.filter((g) => g.ops.includes(op)));
  if (byOp.some((gs) => gs.length === 0)) return { kind: 'none' };
  const targets = repositories.length > 0 ? repositories : [undefined];
  const levels = targets.map((repo) => Math.min(...byOp.map((gs) => Math.max(...gs.map((g) => level(g.limit, repo))))));
  const withLimit = (kind: RepositoryCondition['kind']) => grants.filter((g) => g.limit.kind === kind);
  const blocked = repositories.filter((_, i) => levels[i] === 0);
  if (blocked.length > 0) return { kind: 'blocked', repositories: blocked, conditions: withLimit('repositories') };
  if (levels.includes(1)) return { kind: 'indeterminate', conditions: withLimit('unparsed') };
  if (levels.includes(2)) return { kind: 'limited' };
  return { kind: 'granted' };
}

function denyMatch(d: DenyAssignment, registryId: string, principalId: string, mode: Mode): DenyMatch | undefined {
  if (!scopeApplies(d.scope, registryId) || (d.doNotApplyToChildScopes && !sameScope(d.scope, registryId))) return undefined;
  if (!mode.ops.some((op) => roleGrants(d, op, mode.kind))) return undefined;
  const isKubelet = (p: { id: string }) => sameId(p.id, principalId);
  const isGroup = (p: { type?: string }) => p.type?.toLowerCase() === 'group';
  if (d.excludePrincipals.some(isKubelet)) return undefined;
  const named = d.principals.find((p) => isKubelet(p) || p.id === EVERYONE);
  const group = d.principals.find(isGroup);
  const excludedGroup = d.excludePrincipals.find(isGroup);
  const whom = named && (isKubelet(named) ? 'names the kubelet identity' : 'applies to Everyone');
  if (!whom) {
    return group && { deny: d, effect: 'may-apply', reason: `denies group ${group.id}, which may contain the kubelet identity (group membership cannot be verified from these facts)` };
  }
  if (excludedGroup) return { deny: d, effect: 'may-apply', reason: `${whom} but excludes group ${excludedGroup.id}, which may contain the kubelet identity` };
  if (d.condition) return { deny: d, effect: 'may-apply', reason: `${whom} with a condition that was not evaluated: ${d.condition}` };
  return { deny: d, effect: 'applies', reason: whom };
}

function describeGrant(g: Grant): string {
  const via = g.via === 'group' ? ` through group ${g.assignment.principalId}` : '';
  const limit = g.limit.kind === 'repositories' ? ` limited to ${describeRules(g.limit.rules)}` : '';
  return `${g.role} at ${g.assignment.scope}${via}${limit}`;
}

const describeCondition = (g: Grant) => `${g.role} at ${g.assignment.scope}: ${g.assignment.condition}`;
const describeDeny = (m: DenyMatch) => `deny assignment ${m.deny.denyAssignmentName ?? m.deny.name} at ${m.deny.scope} ${m.reason}`;

/** The ABAC condition that lets these repositories be pulled, for the fix. */
function repositoryCondition(repositories: string[]): string {
  const actions = PULL_DATA_ACTIONS.map((a) => `!(ActionMatches{'${a}'})`).join(' AND ');
  const names = repositories.map((r) => `(@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase '${r}')`);
  return `((${actions}) OR ${names.join(' OR ')})`;
}

/** The classic mistakes: a pull role held by the control-plane identity, or by the kubelet's client ID. */
function misassignments(rbac: RbacFacts, cluster: ClusterFacts, registry: RegistryFacts): string[] {
  const pullRoles = (m: { principalId: string; assignments: Fact<RoleAssignment[]> } | undefined) => {
    if (!m?.assignments.ok) return [];
    return m.assignments.value.flatMap((a) => {
      const def = definitionOf(rbac, a.roleDefinitionId);
      const pulls = def.ok && (roleGrants(def.value, LEGACY_PULL, 'action') || PULL_DATA_ACTIONS.every((op) => roleGrants(def.value, op, 'dataAction')));
      const mistaken = pulls && !BROAD_ROLES.has(roleGuidOf(a.roleDefinitionId)) && sameId(a.principalId, m.principalId) && scopeApplies(a.scope, registry.id);
      return mistaken ? [`${def.value.roleName} at ${a.scope}`] : [];
    });
  };
  const { controlPlane, clientIdAsObjectId } = rbac.misassigned ?? {};
  const kubelet = `the kubelet identity (object ID ${rbac.principalId})`;
  const cp = pullRoles(controlPlane).map(
    (r) => `${r} was given to the control-plane identity of ${cluster.name} (${controlPlane!.principalId}) instead of ${kubelet}: nodes pull with the kubelet identity.`,
  );
  const cid = pullRoles(clientIdAsObjectId).map(
    (r) => `${r} is assigned to ${clientIdAsObjectId!.principalId}, the kubelet's client ID: an object ID was expected, the kubelet's client ID was used; assign it to ${rbac.principalId}.`,
  );
  return [...cp, ...cid];
}

function noObjectId(cluster: ClusterFacts): string {
  const { clientId = '<clientId>', source, objectIdError } = cluster.kubelet;
  const why = objectIdError ? ` (${describeFailure(objectIdError)})` : '';
  return (
    `The object ID of the kubelet identity of ${cluster.name} (${source}, client ID ${clientId}) is not known${why}; role assignments name object IDs, so pull permission cannot be checked. ` +
    `Find it with \`az ad sp show --id ${clientId} --query id -o tsv\` and pass it as the kubelet-object-id input, ` +
    `or let the signed-in identity read Microsoft Graph service principals (e.g. Application.Read.All).`
  );
}

function judgeRbac({ cluster, registry, rbac, images, now }: PullPermissionInput): Finding {
  const c = cluster.name;
  const r = registry.name;
  const mode = modeOf(registry);
  const evidence: Record<string, unknown> = { mode: mode?.name ?? registry.roleAssignmentMode, principalId: cluster.kubelet.objectId };
  const title = { pass: `${c} can pull from ${r}`, fail: `Kubelet identity of ${c} cannot pull from ${r}`, unknown: `Pull permission of ${c} on ${r} could not be verified` };
  const finding = (status: Status, heading: string, detail: string, more: Partial<Finding> = {}): Finding => ({
    id: 'pull-permission',
    status,
    title: heading,
    detail,
    cluster: c,
    registry: r,
    evidence,
    ...more,
  });
  const unverified = (reasons: string[]) => finding('unknown', title.unknown, `Could not verify that ${c} can pull from ${r}: ${reasons.join(' ')}`);
  const failure = (f: ReadFailure, needs: string) => describeFailure({ ...f, missingPermission: f.missingPermission ?? needs });

  const principalId = cluster.kubelet.objectId;
  if (!principalId) return finding('unknown', title.unknown, noObjectId(cluster), { evidence: { ...evidence, clientId: cluster.kubelet.clientId } });
  if (!mode) return unverified([`the registry's roleAssignmentMode '${registry.roleAssignmentMode}' is not one this version understands.`]);
  if (!rbac) return unverified([`the role assignments of ${principalId} were not read.`]);
  if (!rbac.roleAssignments.ok) return unverified([failure(rbac.roleAssignments.error, RBAC_READ_PERMISSION.roleAssignments)]);

  const { grants, ignored, unreadable } = analyse(rbac.roleAssignments.value, rbac, registry, mode, now);
  const repositories = [...new Set(images.map((i) => i.repository))];
  const found = access(grants, mode.ops, repositories);
  const denies = rbac.denyAssignments.ok ? rbac.denyAssignments.value.flatMap((d) => denyMatch(d, registry.id, principalId, mode) ?? []) : [];
  Object.assign(evidence, {
    grants: grants.map(({ assignment: a, role, via }) => ({
      assignmentId: a.id,
      role,
      roleDefinitionId: a.roleDefinitionId,
      scope: a.scope,
      principalId: a.principalId,
      via,
      createdOn: a.createdOn,
      ...(a.condition ? { condition: a.condition } : {}),
    })),
    ignored,
    denies: denies.map((m) => ({ id: m.deny.id, name: m.deny.denyAssignmentName ?? m.deny.name, scope: m.deny.scope, effect: m.effect, reason: m.reason })),
  });
  const kubelet = `kubelet identity of ${c} (object ID ${principalId})`;
  const ops = mode.ops.join(' and ');
  const grantsText = grants.map(describeGrant).join('; ');

  const deny = denies.find((m) => m.effect === 'applies');
  if (deny) {
    evidence.cause = 'deny';
    return finding('fail', title.fail, `${describeDeny(deny)}, and it denies ${ops} on ${r}: a deny assignment overrides any role. Its owner (e.g. a managed application or deployment stack) must exclude ${principalId} or remove it.`);
  }

  if ((found.kind === 'none' || found.kind === 'blocked') && unreadable.length === 0) {
    const assign = `az role assignment create --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --role ${mode.roleArg} --scope ${registry.id}`;
    const ignoredText = ignored.length > 0 ? [`Ignored: ${ignored.map((i) => `${i.role} at ${i.scope}: ${i.reason}`).join('; ')}.`] : [];
    const condition = found.kind === 'blocked' ? repositoryCondition(found.repositories) : undefined;
    // ARM keeps one assignment per principal, role and scope: one the kubelet holds already, with a condition, is widened by its owner, never by remediate.
    const collides = found.kind === 'blocked' && found.conditions.some((g) => roleGuidOf(g.assignment.roleDefinitionId) === mode.roleGuid && sameScope(g.assignment.scope, registry.id));
    if (!collides) {
      evidence.missingAssignment = {
        scope: registry.id,
        principalId,
        roleDefinitionId: `/subscriptions/${registry.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${mode.roleGuid}`,
        role: mode.role,
        ...(condition && { condition }),
      } satisfies PlannedAssignment;
    }
    if (found.kind === 'blocked') {
      evidence.cause = 'repository-condition';
      return finding(
        'fail',
        title.fail,
        [`The role assignments of the ${kubelet} on ${r} do not allow pulling ${found.repositories.join(', ')}: ${found.conditions.map(describeCondition).join('; ')}.`, ...ignoredText].join(' '),
        { fix: `${assign} --condition-version 2.0 --condition "${condition}"` },
      );
    }
    evidence.cause = 'no-grant';
    const partial = grants.length > 0 ? [`Partial: ${grants.map((g) => `${describeGrant(g)} grants only ${g.ops.join(' and ')}`).join('; ')}.`] : [];
    // --attach-acr assigns AcrPull, which ABAC mode does not honour.
    const attach = mode.name === 'LegacyRegistryPermissions' ? [`Alternatively: az aks update -n ${c} -g ${cluster.resourceGroup} --attach-acr ${registry.id}`] : [];
    const detail = [`No role assignment at or above ${r} grants ${ops} to the ${kubelet}.`, ...partial, ...ignoredText, ...misassignments(rbac, cluster, registry), ...attach];
    return finding('fail', title.fail, detail.join(' '), { fix: assign });
  }

  const reasons = [
    ...(found.kind === 'granted' ? [] : unreadable.map((f) => failure(f, RBAC_READ_PERMISSION.roleDefinitions))),
    ...(found.kind === 'indeterminate' ? found.conditions.map((g) => `The condition on ${describeCondition(g)} could not be interpreted.`) : []),
    ...(rbac.denyAssignments.ok ? [] : [failure(rbac.denyAssignments.error, RBAC_READ_PERMISSION.denyAssignments)]),
    ...denies.map((m) => `${describeDeny(m)}.`),
  ];
  if (reasons.length > 0) return unverified(grants.length > 0 ? [...reasons, `Grants found: ${grantsText}.`] : reasons);

  if (found.kind === 'limited') {
    return finding(
      'warn',
      `${c} can pull only some repositories of ${r}`,
      `The ${kubelet} may pull only some repositories of ${r}: ${grantsText}. Images outside them fail with ImagePullBackOff; list the images in the images input to check them.`,
    );
  }
  const granted = `${grantsText} grants ${ops} to the ${kubelet}.`;
  if (access(grants.filter((g) => g.settled), mode.ops, repositories).kind !== 'granted') {
    const newest = grants.filter((g) => !g.settled).map((g) => `${g.role} at ${g.assignment.scope} was created at ${g.assignment.createdOn}`);
    return finding(
      'warn',
      `Pull permission of ${c} on ${r} is new and may not have propagated`,
      `${granted} ${newest.join('; ')}: a kubelet may need up to 60 minutes to see a new role assignment (longer through a group), so pulls may fail until then; re-run later to confirm.`,
    );
  }
  return finding('pass', title.pass, granted);
}

export function judgePullPermission(input: PullPermissionInput): Finding {
  const finding = judgeRbac(input);
  if (!input.registry.anonymousPullEnabled) return finding;
  const { fix: _rbacFix, ...rest } = finding;
  return {
    ...rest,
    status: 'pass',
    title: `${input.cluster.name} can pull from ${input.registry.name} (anonymous pull)`,
    detail: `Anonymous pull is enabled on ${input.registry.name}: pulls work without any role. What RBAC alone says (${finding.status}): ${finding.detail}`,
    evidence: { ...finding.evidence, anonymousPullEnabled: true, rbacStatus: finding.status },
  };
}

const NOT_REMEDIABLE =
  'remediate wrote nothing: no new role assignment can fix this (a deny assignment overrides any role; a condition on the kubelet identity\'s own assignment of that role on the registry is for its owner to widen).';

/** Who may create role assignments on a registry: the least roles that grant Microsoft.Authorization/roleAssignments/write there. */
const WRITE_ROLES = (role: string, scope: string) =>
  `${ROLE_ASSIGNMENT_WRITE} on ${scope}: Role Based Access Control Administrator there, with a condition that lets it assign only ${role}, or User Access Administrator`;

/** Pure: the finding after `remediate` tried the planned assignment, and exactly what it created. */
export function judgeRemedy(f: Finding, plan: PlannedAssignment, outcome: GrantOutcome): Remedied {
  const c = f.cluster ?? '';
  const r = f.registry ?? '';
  const what = `${plan.role} for the kubelet identity of ${c} (object ID ${plan.principalId}) at ${plan.scope}${plan.condition ? ` with the condition ${plan.condition}` : ''}`;
  const before = `Before: ${f.detail}`;
  if (outcome.kind === 'refused' || outcome.kind === 'failed') {
    const needs = outcome.kind === 'refused' ? ` The signed-in identity needs ${WRITE_ROLES(plan.role, plan.scope)}; or run the fix yourself.` : '';
    const failure = describeFailure({ ...outcome.failure, missingPermission: undefined });
    return {
      findings: [{ ...f, status: 'unknown', title: `Pull role for ${c} on ${r} could not be assigned`, detail: `remediate could not create ${what}: ${failure}${needs} ${before}`, evidence: { ...f.evidence, remediation: { outcome: outcome.kind, failure: outcome.failure } } }],
      changes: [],
    };
  }
  const { fix: _fix, ...rest } = f;
  const seen = outcome.visible ? `Azure RBAC lists it (after ${outcome.reads} read${outcome.reads === 1 ? '' : 's'})` : 'Azure RBAC did not list it yet when the time budget ran out';
  const pending = `a kubelet may need up to 60 minutes to see a new role assignment, so pulls may fail until then: re-run later to confirm.`;
  const id = outcome.assignment?.id;
  const evidence = { ...f.evidence, remediation: { outcome: outcome.kind, ...(id && { assignmentId: id }), visible: outcome.visible, reads: outcome.reads } };
  const other = outcome.kind === 'exists' ? outcome.assignment?.condition : undefined;
  if (other !== undefined && other !== plan.condition) {
    const detail = `remediate found ${plan.role} for the kubelet identity of ${c} already assigned at ${plan.scope} (409 RoleAssignmentExists${id ? `: ${id}` : ''}) with the condition ${other}, so it created nothing; whether that condition lets the images be pulled was not judged. ${before}`;
    return { findings: [{ ...f, status: 'unknown', title: `Pull permission of ${c} on ${r} could not be verified`, detail, evidence }], changes: [] };
  }
  if (outcome.kind === 'exists') {
    const detail = `remediate found ${what} already in place (409 RoleAssignmentExists${id ? `: ${id}` : ''}) and created nothing; it was not yet seen when the role assignments were read. ${seen}; ${pending} ${before}`;
    return { findings: [{ ...rest, status: 'warn', title: `Pull role for ${c} on ${r} already exists; propagation pending`, detail, evidence }], changes: [] };
  }
  const created = outcome.assignment;
  const detail = `remediate created role assignment ${created.id}: ${what}. ${seen}; ${pending} ${before}`;
  return {
    findings: [{ ...rest, status: 'warn', title: `Pull role assigned to the kubelet identity of ${c} on ${r}; propagation pending`, detail, evidence }],
    changes: [{ kind: 'roleAssignment', id: created.id, role: plan.role, principalId: plan.principalId, scope: plan.scope }],
  };
}

/** A `fail` that a role assignment could fix (not a deny): worth reading the classic misassignments. */
export function needsMisassignmentDiagnosis(f: Finding): boolean {
  return f.id === 'pull-permission' && f.status === 'fail' && f.evidence?.['cause'] !== 'deny';
}

export const check = defineCheck({
  meta: { id: 'pull-permission', subject: 'pair', what: 'Pull permission' },
  async gather(facts, pair): Promise<PullPermissionInput> {
    const [cluster, registry] = await facts.requirePair(pair);
    const principalId = cluster.kubelet.objectId;
    const input: PullPermissionInput = { cluster, registry, rbac: principalId ? await facts.rbac(principalId, registry) : undefined, images: facts.imagesOn(registry), now: facts.now() };
    // The classic mistakes (a pull role on the wrong principal) are read only when the verdict would be `fail`.
    if (input.rbac && needsMisassignmentDiagnosis(judgePullPermission(input))) input.rbac = await facts.misassignments(cluster, registry, input.rbac);
    return input;
  },
  judge: judgePullPermission,
  async remedy(facts, _input, finding): Promise<Remedied> {
    const plan = finding.evidence?.['missingAssignment'] as PlannedAssignment | undefined;
    if (!plan) return { findings: [{ ...finding, notes: [...(finding.notes ?? []), NOT_REMEDIABLE] }], changes: [] };
    return judgeRemedy(finding, plan, await facts.grantRole(plan));
  },
});
