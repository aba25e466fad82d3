// ARM resource IDs: the pieces the readers need, and ancestry.

export interface ParsedResourceId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** Subscription, resource group and last name of /subscriptions/{s}/resourceGroups/{rg}/providers/…/{name}. */
export function parseResourceId(id: string): ParsedResourceId {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)\/?$/i.exec(id);
  if (!m) throw new Error(`not an ARM resource ID: ${id}`);
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! };
}
