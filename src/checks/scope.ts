// Whether an assignment at one ARM scope reaches a resource: the scope is the resource itself or one
// of its ancestors. Compared on path segments, case-insensitively, ignoring trailing slashes.

const MANAGEMENT_GROUP = ['providers', 'microsoft.management', 'managementgroups'];

function segments(scope: string): string[] {
  return scope.toLowerCase().split('/').filter(Boolean);
}

export function sameScope(a: string, b: string): boolean {
  return segments(a).join('/') === segments(b).join('/');
}

export function scopeApplies(assignmentScope: string, registryId: string): boolean {
  if (!assignmentScope.startsWith('/')) return false;
  const scope = segments(assignmentScope);
  const target = segments(registryId);
  // ARM only returns the management groups that contain the scope it was asked about.
  const managementGroup = scope.length === 4 && MANAGEMENT_GROUP.every((s, i) => scope[i] === s);
  return managementGroup || (scope.length <= target.length && scope.every((s, i) => s === target[i]));
}
