// Which image platforms a node pool can run: its OS, its CPU architecture (read from the VM size name)
// and, for Windows, its OS build. Pure.
//
// Azure VM size names (learn.microsoft.com "Azure VM sizes naming conventions"):
//   [Family][Sub-family][# vCPUs][-constrained vCPUs][additive features][_accelerator][_v<version>]
// e.g. Standard_D4ps_v5, Standard_M8-2ms_v2, Standard_NC24ads_A100_v4. The additive features are the
// lower-case letters after the vCPU count; `p` is an Arm CPU (Ampere Altra, Azure Cobalt). The family
// letters come before the vCPU count, so an upper-case P there (Standard_NP10s, Xilinx FPGAs on Intel)
// is not a feature. The Grace Blackwell sizes (Standard_ND128isr_NDR_GB200_v6, Standard_ND128isr_GB300_v6)
// are Arm without a `p`: their accelerator (a Grace superchip) says so.
import type { AgentPool, Platform } from '../model.js';

export type Architecture = 'amd64' | 'arm64';

export interface PoolPlatform {
  os: 'linux' | 'windows';
  /** undefined when the VM size does not tell */
  architecture: Architecture | undefined;
  /** Windows build major.minor.build, when the OS SKU tells */
  osVersion?: string;
}

const VM_SIZE = /^(?:standard|basic)_([a-z]+)(\d+)(?:-(\d+))?([a-z]*)((?:_[a-z0-9]+)*)$/i;
/** accelerators that are NVIDIA Grace superchips: Arm CPUs */
const GRACE_ACCELERATOR = /^g[bh]\d+$/i;

/** The CPU architecture of an Azure VM size, or undefined when the name does not follow the convention. */
export function architectureOfVmSize(vmSize: string): Architecture | undefined {
  const m = VM_SIZE.exec(vmSize.trim());
  if (!m) return undefined;
  const [, , , , features = '', rest = ''] = m;
  // After the features: an accelerator (A100, NDR_GB200), a suffix (cc), the version (v5), Promo.
  const segments = rest.split('_').filter(Boolean);
  if (features.toLowerCase().includes('p')) return 'arm64';
  if (segments.some((s) => GRACE_ACCELERATOR.test(s))) return 'arm64';
  return 'amd64';
}

/** Windows Server builds of the AKS Windows OS SKUs (process isolation needs the image's build to match). */
export const WINDOWS_BUILDS: Readonly<Record<string, string>> = {
  windows2019: '10.0.17763',
  windows2022: '10.0.20348',
  windows2025: '10.0.26100',
};

/**
 * Older builds a Windows OS SKU also runs, as the AKS API describes its OS SKUs: "Windows2025 supports
 * Windows2022 and Windows 2025 containers; it cannot run Windows2019 containers".
 */
const WINDOWS_ALSO_RUNS: Readonly<Record<string, readonly string[]>> = { windows2025: ['10.0.20348'] };

export function poolPlatform(pool: AgentPool): PoolPlatform {
  if (pool.osType?.toLowerCase() === 'windows') {
    const osVersion = pool.osSku ? WINDOWS_BUILDS[pool.osSku.toLowerCase()] : undefined;
    // AKS Windows node pools are x64 only.
    return { os: 'windows', architecture: 'amd64', ...(osVersion ? { osVersion } : {}) };
  }
  return { os: 'linux', architecture: pool.vmSize ? architectureOfVmSize(pool.vmSize) : undefined };
}

const ARCH_ALIASES: Readonly<Record<string, string>> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64' };

/** amd64 for x86_64, arm64 for aarch64, otherwise the architecture lower-cased. */
export function normaliseArchitecture(architecture: string): string {
  const a = architecture.toLowerCase();
  return ARCH_ALIASES[a] ?? a;
}

/** An attestation or other non-image entry of an index (platform unknown/unknown). */
export function isAttestation(p: Platform): boolean {
  // registries' JSON may omit either field: never throw on it
  return String(p.os ?? '').toLowerCase() === 'unknown' && String(p.architecture ?? '').toLowerCase() === 'unknown';
}

/** os/architecture[/variant][ (os.version)] */
export function describePlatform(p: Platform): string {
  const variant = p.variant ? `/${p.variant}` : '';
  const version = p['os.version'] ? ` (${p['os.version']})` : '';
  return `${p.os}/${p.architecture}${variant}${version}`;
}

export function describePoolPlatform(p: PoolPlatform): string {
  const build = p.osVersion ? ` (build ${p.osVersion})` : '';
  return `${p.os}/${p.architecture ?? 'unknown architecture'}${build}`;
}

/** major.minor.build of a Windows version such as 10.0.20348.2527 */
function windowsBuild(version: string): string {
  return version.split('.').slice(0, 3).join('.');
}

function variantFits(architecture: string, variant: string | undefined): boolean {
  if (!variant) return true;
  // Azure's Arm CPUs (Neoverse N1, N2, V2) run ARMv8 code: arm64 images are v8 unless they say otherwise.
  if (architecture === 'arm64') return /^v8(\.\d+)?$/i.test(variant);
  return true;
}

/** The image platforms this pool can run (none when its architecture is unknown). */
export function platformsFor(pool: AgentPool, platforms: Platform[]): Platform[] {
  const target = poolPlatform(pool);
  if (!target.architecture) return [];
  return platforms.filter((p) => {
    if (isAttestation(p)) return false;
    if (p.os.toLowerCase() !== target.os) return false;
    const architecture = normaliseArchitecture(p.architecture);
    if (architecture !== target.architecture || !variantFits(architecture, p.variant)) return false;
    const imageVersion = p['os.version'];
    if (target.os === 'windows' && target.osVersion && imageVersion) {
      const builds = [target.osVersion, ...(WINDOWS_ALSO_RUNS[pool.osSku?.toLowerCase() ?? ''] ?? [])];
      return builds.includes(windowsBuild(imageVersion));
    }
    return true;
  });
}
