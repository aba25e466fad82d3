// Azure RBAC reads for one principal on one registry: role assignments (assignedTo: direct and
// through groups, transitively), deny assignments at or above the registry, and the role definitions
// they name (built-in ones from the local table, each other one fetched once per run).
import type {
  AuthorizationManagementClient,
  DenyAssignment as SdkDenyAssignment,
  Permission as SdkPermission,
  RoleAssignment as SdkRoleAssignment,
} from '@azure/arm-authorization';
import { getContinuationToken } from '@azure/arm-authorization';
import type { DenyAssignment, Fact, Permission, RoleAssignment, RoleDefinition } from '../model.js';
import { collectAll, readFact, type ArmClients } from './arm.js';
import { builtInRole, roleGuidOf } from './builtin-roles.js';
import { RBAC_READ_PERMISSION } from '../checks/permissions.js';


/** The SDK puts scope paths after a '/', so pass them without their leading one. */
export const scopeArg = (scope: string) => scope.replace(/^\/+/, '');

function permission(p: SdkPermission): Permission {
  return { actions: p.actions ?? [], notActions: p.notActions ?? [], dataActions: p.dataActions ?? [], notDataActions: p.notDataActions ?? [] };
}

export function roleAssignment(a: SdkRoleAssignment): RoleAssignment {
  const out: RoleAssignment = {
    id: a.id ?? '',
    name: a.name ?? '',
    scope: a.scope ?? '',
    roleDefinitionId: a.roleDefinitionId ?? '',
    principalId: a.principalId ?? '',
  };
  if (a.principalType) out.principalType = a.principalType;
  if (a.condition) out.condition = a.condition;
  if (a.conditionVersion) out.conditionVersion = a.conditionVersion;
  if (a.createdOn) out.createdOn = new Date(a.createdOn).toISOString();
  return out;
}

function denyAssignment(d: SdkDenyAssignment): DenyAssignment {
  const out: DenyAssignment = {
    id: d.id ?? '',
    name: d.name ?? '',
    scope: d.scope ?? '',
    permissions: (d.permissions ?? []).map(permission),
    principals: (d.principals ?? []).map((p) => ({ id: p.id ?? '', type: p.type })),
    excludePrincipals: (d.excludePrincipals ?? []).map((p) => ({ id: p.id ?? '', type: p.type })),
    doNotApplyToChildScopes: d.doNotApplyToChildScopes === true,
  };
  if (d.denyAssignmentName) out.denyAssignmentName = d.denyAssignmentName;
  if (d.isSystemProtected !== undefined) out.isSystemProtected = d.isSystemProtected;
  if (d.condition) out.condition = d.condition;
  return out;
}

/** Every RBAC read of a run goes through one reader, so nothing is fetched twice. */
export class RbacReader {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly clients: ArmClients) {}

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const k = key.toLowerCase();
    if (!this.memo.has(k)) this.memo.set(k, read());
    return this.memo.get(k) as Promise<T>;
  }

  private client(scope: string): AuthorizationManagementClient {
    const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? '00000000-0000-0000-0000-000000000000';
    return this.clients.authorization(sub);
  }

  /** Assignments that apply to the principal at, above or below the scope; `filter` picks direct-only or with groups. */
  roleAssignments(scope: string, principalId: string, filter: 'assignedTo' | 'principalId' = 'assignedTo'): Promise<Fact<RoleAssignment[]>> {
    const odata = filter === 'assignedTo' ? `assignedTo('${principalId}')` : `principalId eq '${principalId}'`;
    return this.listAssignments(scope, odata, `reading role assignments of ${principalId} on ${scope}`);
  }

  /** Every principal's assignments at or above the scope (the fleet's rows when Resource Graph is not available). */
  assignmentsAtScope(scope: string): Promise<Fact<RoleAssignment[]>> {
    return this.listAssignments(scope, 'atScope()', `reading role assignments on ${scope}`);
  }

  private listAssignments(scope: string, odata: string, what: string): Promise<Fact<RoleAssignment[]>> {
    return this.once(`ra|${scope}|${odata}`, () =>
      readFact(what, RBAC_READ_PERMISSION.roleAssignments, async () =>
        (await collectAll(this.client(scope).roleAssignments.listForScope(scopeArg(scope), { filter: odata, abortSignal: this.clients.signal }), getContinuationToken)).map(roleAssignment),
      ),
    );
  }

  /** Deny assignments at or above the scope, for every principal (the judge applies principals and exclusions). */
  denyAssignments(scope: string): Promise<Fact<DenyAssignment[]>> {
    return this.once(`da|${scope}`, () =>
      readFact(`reading deny assignments on ${scope}`, RBAC_READ_PERMISSION.denyAssignments, async () =>
        (await collectAll(this.client(scope).denyAssignments.listForScope(scopeArg(scope), { filter: 'atScope()', abortSignal: this.clients.signal }), getContinuationToken)).map(denyAssignment),
      ),
    );
  }

  /** A role definition by its full ID; a built-in one is answered from the local table. */
  roleDefinition(roleDefinitionId: string): Promise<Fact<RoleDefinition>> {
    const guid = roleGuidOf(roleDefinitionId);
    const known = builtInRole(guid);
    if (known) return Promise.resolve({ ok: true, value: known });
    return this.once(`rd|${guid}`, () =>
      readFact(`reading role definition ${roleDefinitionId}`, RBAC_READ_PERMISSION.roleDefinitions, async () => {
        const d = await this.client(roleDefinitionId).roleDefinitions.getById(scopeArg(roleDefinitionId), { abortSignal: this.clients.signal });
        const def: RoleDefinition = { id: d.id ?? roleDefinitionId, name: d.name ?? guid, roleName: d.roleName ?? guid, permissions: (d.permissions ?? []).map(permission) };
        if (d.roleType) def.type = d.roleType;
        return def;
      }),
    );
  }

  /** The definitions of every distinct role the assignments name, keyed by lower-case GUID. */
  async roleDefinitions(assignments: RoleAssignment[]): Promise<Record<string, Fact<RoleDefinition>>> {
    const ids = [...new Map(assignments.map((a) => [roleGuidOf(a.roleDefinitionId), a.roleDefinitionId])).entries()];
    const defs = await Promise.all(ids.map(([, id]) => this.roleDefinition(id)));
    return Object.fromEntries(ids.map(([guid], i) => [guid, defs[i]!]));
  }
}
