// The one write the tool can make (`remediate: true`): the missing pull role assignment for the kubelet
// identity, at the registry scope, through @azure/arm-authorization's roleAssignments.create with a new
// GUID name. Idempotent: 409 RoleAssignmentExists is success and creates nothing. Then the assignment
// is re-read until Azure RBAC lists it, within the run's time budget. Nothing else is ever written.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { getContinuationToken } from '@azure/arm-authorization';
import type { ReadFailure, RoleAssignment } from '../model.js';
import { collectAll, toReadFailure, type ArmClients } from './arm.js';
import { roleGuidOf } from './builtin-roles.js';
import { roleAssignment, scopeArg } from './rbac.js';
import { ROLE_ASSIGNMENT_WRITE } from '../checks/permissions.js';

/** The assignment a failing pull-permission finding calls for (what its `fix` command creates). */
export interface PlannedAssignment {
  scope: string;
  principalId: string;
  /** the role's full definition ID, e.g. /subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/7f951dda-… */
  roleDefinitionId: string;
  /** the role's name, e.g. AcrPull */
  role: string;
  /** an ABAC condition (version 2.0) limiting it to some repositories */
  condition?: string;
}

export type GrantOutcome =
  /** 201: created; `visible` once a listing showed it, after `reads` listings */
  | { kind: 'created'; assignment: RoleAssignment; visible: boolean; reads: number }
  /** 409 RoleAssignmentExists: the same principal, role and scope already have one; nothing was created */
  | { kind: 'exists'; assignment?: RoleAssignment; visible: boolean; reads: number; failure: ReadFailure }
  /** 401/403: the signed-in identity may not create role assignments there */
  | { kind: 'refused'; failure: ReadFailure }
  /** anything else (a timeout, a 400, a 5xx after retries) */
  | { kind: 'failed'; failure: ReadFailure };

/** Pauses between the re-reads: short at first, as an assignment usually lists within seconds. */
const POLL_MS = [1_000, 2_000, 3_000, 5_000];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
/** The subscription of a scope fills the client's constructor only (assignments are addressed by scope). */
const authorizationFor = (clients: ArmClients, scope: string) => clients.authorization(/^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? '00000000-0000-0000-0000-000000000000');

/** Creates the assignment unless it exists, then re-reads until it is listed or `signal` ends the wait. */
export async function grantRole(clients: ArmClients, plan: PlannedAssignment): Promise<GrantOutcome> {
  const client = authorizationFor(clients, plan.scope);
  const what = `creating the ${plan.role} role assignment for ${plan.principalId} on ${plan.scope}`;
  const name = randomUUID();
  let created: RoleAssignment | undefined;
  let exists: ReadFailure | undefined;
  try {
    const answer = await client.roleAssignments.create(
      scopeArg(plan.scope),
      name,
      {
        roleDefinitionId: plan.roleDefinitionId,
        principalId: plan.principalId,
        principalType: 'ServicePrincipal',
        ...(plan.condition && { condition: plan.condition, conditionVersion: '2.0' }),
      },
      { abortSignal: clients.signal },
    );
    created = roleAssignment(answer);
  } catch (err) {
    const failure = toReadFailure(what, err, ROLE_ASSIGNMENT_WRITE);
    if (failure.status === 409 && failure.code === 'RoleAssignmentExists') exists = failure;
    else return { kind: failure.status === 403 || failure.status === 401 ? 'refused' : 'failed', failure };
  }
  const matches = (a: RoleAssignment) =>
    created ? same(a.name, created.name) : same(a.principalId, plan.principalId) && roleGuidOf(a.roleDefinitionId) === roleGuidOf(plan.roleDefinitionId) && same(a.scope, plan.scope);
  const { found, reads } = await readUntilListed(clients, plan, matches);
  if (created) return { kind: 'created', assignment: found ?? created, visible: found !== undefined, reads };
  return { kind: 'exists', ...(found && { assignment: found }), visible: found !== undefined, reads, failure: exists! };
}

/** Lists the principal's direct assignments on the scope until one matches, or the run's time is up. */
async function readUntilListed(clients: ArmClients, plan: PlannedAssignment, matches: (a: RoleAssignment) => boolean) {
  const client = authorizationFor(clients, plan.scope);
  for (let reads = 1; ; reads++) {
    try {
      const listing = client.roleAssignments.listForScope(scopeArg(plan.scope), { filter: `principalId eq '${plan.principalId}'`, abortSignal: clients.signal });
      const found = (await collectAll(listing, getContinuationToken)).map(roleAssignment).find(matches);
      if (found) return { found, reads };
      await sleep(POLL_MS[Math.min(reads - 1, POLL_MS.length - 1)], undefined, { signal: clients.signal });
    } catch {
      // The budget ran out (or the read failed): the assignment was written, it is just not seen yet.
      return { found: undefined, reads };
    }
  }
}
