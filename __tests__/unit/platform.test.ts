import { architectureOfVmSize, platformsFor, poolPlatform } from '../../src/checks/platform.js';
import type { AgentPool, Platform } from '../../src/model.js';

describe('architectureOfVmSize', () => {
  test.each<[string, 'arm64' | 'amd64' | undefined]>([
    // Ampere Altra (v5) and Azure Cobalt 100 (v6): `p` among the additive features.
    ['Standard_D4ps_v5', 'arm64'],
    ['Standard_D2pds_v5', 'arm64'],
    ['Standard_D2pls_v5', 'arm64'],
    ['Standard_D2plds_v5', 'arm64'],
    ['Standard_E8pds_v5', 'arm64'],
    ['Standard_E2ps_v5', 'arm64'],
    ['Standard_B2pls_v2', 'arm64'],
    ['Standard_B2pts_v2', 'arm64'],
    ['Standard_D4pls_v6', 'arm64'],
    ['Standard_D2ps_v6', 'arm64'],
    ['Standard_E16pds_v6', 'arm64'],
    ['standard_d4ps_v5', 'arm64'],
    // Grace (Arm) superchips, named by the accelerator, not by `p`.
    ['Standard_ND128isr_NDR_GB200_v6', 'arm64'],
    ['Standard_ND128isr_GB300_v6', 'arm64'],
    // x86-64
    ['Standard_DS2_v2', 'amd64'],
    ['Standard_D4s_v3', 'amd64'],
    ['Standard_D8ads_v5', 'amd64'],
    ['Standard_NC24ads_A100_v4', 'amd64'],
    ['Standard_F8s_v2', 'amd64'],
    ['Standard_B2ms', 'amd64'],
    ['Standard_A1_v2', 'amd64'],
    ['Standard_M8-2ms_v2', 'amd64'],
    ['Standard_E96-24ads_v5', 'amd64'],
    ['Standard_NC4as_T4_v3', 'amd64'],
    ['Standard_ND96isr_MI300X_v5', 'amd64'],
    ['Standard_DC2as_cc_v5', 'amd64'],
    ['Standard_D2_v2_Promo', 'amd64'],
    ['Basic_A1', 'amd64'],
    // Upper-case P in the family (NP: Xilinx FPGA on Intel) is not the Arm feature.
    ['Standard_NP10s', 'amd64'],
    ['Standard_NP20s', 'amd64'],
    // Not a VM size name.
    ['', undefined],
    ['D4ps_v5', undefined],
    ['Standard_', undefined],
    ['Standard_Dps_v5', undefined],
    ['Standard_D4ps v5', undefined],
  ])('%s → %s', (size, expected) => {
    expect(architectureOfVmSize(size)).toBe(expected);
  });
});

describe('poolPlatform', () => {
  test.each<[string, AgentPool, ReturnType<typeof poolPlatform>]>([
    ['Linux amd64', { name: 'nodepool1', osType: 'Linux', vmSize: 'Standard_D4s_v3' }, { os: 'linux', architecture: 'amd64' }],
    ['Linux arm64', { name: 'arm', osType: 'Linux', osSku: 'AzureLinux', vmSize: 'Standard_D4ps_v5' }, { os: 'linux', architecture: 'arm64' }],
    ['osType missing means Linux', { name: 'p', vmSize: 'Standard_D2pds_v5' }, { os: 'linux', architecture: 'arm64' }],
    ['vmSize missing', { name: 'p', osType: 'Linux' }, { os: 'linux', architecture: undefined }],
    ['unparsable vmSize', { name: 'p', osType: 'Linux', vmSize: 'Custom_Thing' }, { os: 'linux', architecture: undefined }],
    ['Windows 2019', { name: 'win19', osType: 'Windows', osSku: 'Windows2019', vmSize: 'Standard_D4s_v3' }, { os: 'windows', architecture: 'amd64', osVersion: '10.0.17763' }],
    ['Windows 2022', { name: 'win22', osType: 'Windows', osSku: 'Windows2022', vmSize: 'Standard_D4s_v3' }, { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348' }],
    ['Windows 2025', { name: 'win25', osType: 'Windows', osSku: 'Windows2025', vmSize: 'Standard_D4s_v5' }, { os: 'windows', architecture: 'amd64', osVersion: '10.0.26100' }],
    ['Windows without osSku', { name: 'win', osType: 'Windows', vmSize: 'Standard_D4s_v3' }, { os: 'windows', architecture: 'amd64' }],
  ])('%s', (_name, pool, expected) => {
    expect(poolPlatform(pool)).toEqual(expected);
  });
});

describe('platformsFor', () => {
  const linuxAmd64: Platform = { os: 'linux', architecture: 'amd64' };
  const linuxArm64v8: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
  const linuxArmV7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };
  const attestation: Platform = { os: 'unknown', architecture: 'unknown' };
  const win2019: Platform = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.6189' };
  const win2022: Platform = { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2655' };
  const winAny: Platform = { os: 'windows', architecture: 'amd64' };
  const multiArch = [linuxAmd64, linuxArm64v8, linuxArmV7, attestation, attestation];

  const amd64Pool: AgentPool = { name: 'nodepool1', osType: 'Linux', vmSize: 'Standard_D4s_v3' };
  const arm64Pool: AgentPool = { name: 'arm', osType: 'Linux', vmSize: 'Standard_D4ps_v5' };
  const win2022Pool: AgentPool = { name: 'win22', osType: 'Windows', osSku: 'Windows2022', vmSize: 'Standard_D4s_v3' };
  const winPool: AgentPool = { name: 'win', osType: 'Windows', vmSize: 'Standard_D4s_v3' };

  test.each<[string, AgentPool, Platform[], Platform[]]>([
    ['amd64 pool, multi-arch index', amd64Pool, multiArch, [linuxAmd64]],
    ['arm64 pool, multi-arch index (variant v8)', arm64Pool, multiArch, [linuxArm64v8]],
    ['arm64 pool, amd64-only image', arm64Pool, [linuxAmd64, attestation], []],
    ['aliases: x86_64 and aarch64', arm64Pool, [{ os: 'linux', architecture: 'x86_64' }, { os: 'Linux', architecture: 'aarch64' }], [{ os: 'Linux', architecture: 'aarch64' }]],
    ['x86_64 on amd64', amd64Pool, [{ os: 'linux', architecture: 'x86_64' }], [{ os: 'linux', architecture: 'x86_64' }]],
    ['arm64 without variant', arm64Pool, [{ os: 'linux', architecture: 'arm64' }], [{ os: 'linux', architecture: 'arm64' }]],
    ['arm64 v9 is not v8', arm64Pool, [{ os: 'linux', architecture: 'arm64', variant: 'v9' }], []],
    ['attestations never match', amd64Pool, [attestation], []],
    ['Linux pool, Windows image', amd64Pool, [win2022], []],
    ['Windows 2022 pool, 2022 image', win2022Pool, [win2019, win2022], [win2022]],
    ['Windows 2022 pool, 2019-only image', win2022Pool, [win2019], []],
    ['Windows 2025 pool, 2022 image: AKS runs it', { ...win2022Pool, name: 'win25', osSku: 'Windows2025' }, [win2022], [win2022]],
    ['Windows 2025 pool, 2019-only image', { ...win2022Pool, name: 'win25', osSku: 'Windows2025' }, [win2019], []],
    ['Windows 2022 pool, image without os.version', win2022Pool, [winAny], [winAny]],
    ['Windows pool of unknown build, 2019 image', winPool, [win2019], [win2019]],
    ['Windows pool, Linux image', win2022Pool, [linuxAmd64], []],
    ['unknown architecture matches nothing', { name: 'p', vmSize: 'Weird' }, multiArch, []],
  ])('%s', (_name, pool, platforms, expected) => {
    expect(platformsFor(pool, platforms)).toEqual(expected);
  });
});
