// The `registry` check: the registry exists and is resolved to one ARM resource.
import { describeFailure } from './describe.js';
import type { RegistryResolution } from '../azure/registry.js';
import type { Finding } from '../model.js';
import { closestNames } from './closest.js';
import { defineCheck } from './check.js';

export function judgeRegistry(res: RegistryResolution): Finding {
  const { ref } = res;
  const base = { id: 'registry' as const, registry: ref.input };
  const evidence: Record<string, unknown> = { input: ref.input, searchedSubscriptions: res.searched };
  if (res.failures.length) evidence.failures = res.failures;
  if (!res.registry.ok) {
    return { ...base, status: 'unknown', title: `Registry ${ref.input} could not be resolved`, detail: describeFailure(res.registry.error), evidence };
  }
  const r = res.registry.value;
  if (!r) {
    const near = closestNames(ref.name, res.seen);
    const where = ref.kind === 'id' ? `resource group ${ref.resourceGroup} of subscription ${ref.subscriptionId}` : `the ${res.searched.length} subscription(s) the signed-in identity can read`;
    const hint = near.length ? ` Closest registries the signed-in identity can see: ${near.join(', ')}.` : '';
    const otherTenant = ' A registry in another tenant is not visible here, and a managed identity cannot pull across tenants: use an image pull secret.';
    return { ...base, status: 'fail', title: `Registry ${ref.input} not found`, detail: `No registry ${ref.input} in ${where}.${hint}${otherTenant}`, evidence: { ...evidence, closest: near } };
  }
  const warnings = res.failures.length ? ` (some subscriptions could not be listed: ${res.failures.map(describeFailure).join(' ')})` : '';
  return {
    ...base,
    registry: r.name,
    status: 'pass',
    title: `Registry ${r.name} found`,
    detail: `${r.loginServer} (${r.sku ?? 'unknown'} SKU, ${r.location}, role assignment mode ${r.roleAssignmentMode}).${warnings}`,
    evidence: { ...evidence, id: r.id, loginServer: r.loginServer, sku: r.sku, roleAssignmentMode: r.roleAssignmentMode, anonymousPullEnabled: r.anonymousPullEnabled },
  };
}

export const check = defineCheck({
  meta: { id: 'registry', subject: 'registry', what: 'Registry' },
  gather: (facts, ref) => facts.registry(ref),
  judge: judgeRegistry,
});
