// Azure RBAC permission patterns: `*` wildcards anywhere, case-insensitive, whole-string match.
import type { Permission, RoleDefinition } from '../model.js';

export type OperationKind = 'action' | 'dataAction';

export const escapeRegExp = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

export function matchesPattern(pattern: string, operation: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(operation);
}

/** Granted when some actions (dataActions) pattern matches and no notActions (notDataActions) pattern of the same block does. */
export function permissionGrants(perm: Permission, op: string, kind: OperationKind): boolean {
  const [allowed, excluded] = kind === 'action' ? [perm.actions, perm.notActions] : [perm.dataActions, perm.notDataActions];
  return allowed.some((p) => matchesPattern(p, op)) && !excluded.some((p) => matchesPattern(p, op));
}

export function roleGrants(def: Pick<RoleDefinition, 'permissions'>, op: string, kind: OperationKind): boolean {
  return def.permissions.some((p) => permissionGrants(p, op, kind));
}
