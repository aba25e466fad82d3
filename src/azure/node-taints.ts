// A node pool's taints as ARM reports them (agentPoolProfiles[].nodeTaints, "key=value:Effect"), plus
// the one AKS puts on every Spot pool itself. Pure; read by placement (where a workload can land) and by
// the in-cluster probe (what its pod must tolerate).
import type { AgentPool } from '../model.js';

export interface Taint {
  key: string;
  value: string;
  /** NoSchedule, PreferNoSchedule or NoExecute */
  effect: string;
}

const EFFECTS: Readonly<Record<string, string>> = { noschedule: 'NoSchedule', prefernoschedule: 'PreferNoSchedule', noexecute: 'NoExecute' };
export const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority';
const SPOT_TAINT: Taint = { key: SPOT_LABEL, value: 'spot', effect: 'NoSchedule' };

export const isSpot = (pool: AgentPool) => pool.scaleSetPriority?.toLowerCase() === 'spot';

/** "key=value:Effect" or "key:Effect", as nodeTaints holds them; undefined when it does not parse. */
export function parseTaint(text: string): Taint | undefined {
  const m = /^([^=:\s]+)(?:=([^:\s]*))?:([A-Za-z]+)$/.exec(text.trim());
  const effect = m?.[3] && EFFECTS[m[3].toLowerCase()];
  return m?.[1] && effect ? { key: m[1], value: m[2] ?? '', effect } : undefined;
}

/** The pool's taints (nodeTaints, and AKS's own on Spot pools), and the nodeTaints entries that do not parse. */
export function poolTaints(pool: AgentPool): { taints: Taint[]; unreadable: string[] } {
  const taints: Taint[] = [];
  const unreadable: string[] = [];
  for (const text of pool.nodeTaints ?? []) {
    const t = parseTaint(text);
    if (t) taints.push(t);
    else unreadable.push(text);
  }
  if (isSpot(pool) && !taints.some((t) => t.key === SPOT_TAINT.key && t.effect === SPOT_TAINT.effect)) taints.push(SPOT_TAINT);
  return { taints, unreadable };
}
