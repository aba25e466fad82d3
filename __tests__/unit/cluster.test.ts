import { readFileSync } from 'node:fs';
import type { ManagedCluster } from '@azure/arm-containerservice';
import { clusterFacts, withoutCredentials } from '../../src/azure/cluster.js';
import { agentPoolProfile, managedCluster } from '../fake-azure/fixtures.js';

const example = JSON.parse(readFileSync(new URL('../fake-azure/arm-examples/containerservice/2026-02-01/ManagedClustersCreate_HTTPProxy.json', import.meta.url), 'utf8'));
const body = example.responses['200'].body;
const cluster = (httpProxyConfig: unknown): ManagedCluster => ({ ...body, ...body.properties, httpProxyConfig }) as ManagedCluster;

describe('withoutCredentials', () => {
  test.each<[string, string]>([
    ['http://myproxy.server.com:8080', 'http://myproxy.server.com:8080'],
    ['https://ops:s3cr3t@myproxy.server.com:8443/', 'https://myproxy.server.com:8443/'],
    ['http://user@proxy:3128', 'http://proxy:3128'],
    ['http://us%40er:p@ss:w0rd@proxy:3128/path?x=a@b', 'http://proxy:3128/path?x=a@b'],
    ['user:pass@proxy:3128', 'proxy:3128'],
    ['proxy:3128', 'proxy:3128'],
  ])('%s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });
});

describe('clusterFacts: httpProxyConfig (official example ManagedClustersCreate_HTTPProxy)', () => {
  test('the proxies and noProxy, without the trusted CA', () => {
    const facts = clusterFacts(cluster(body.properties.httpProxyConfig));
    expect(facts.httpProxy).toEqual({ httpProxy: 'http://myproxy.server.com:8080', httpsProxy: 'https://myproxy.server.com:8080', noProxy: ['localhost', '127.0.0.1'] });
    expect(JSON.stringify(facts)).not.toContain(body.properties.httpProxyConfig.trustedCa);
  });

  test.each<[string, unknown]>([
    ['no httpProxyConfig', undefined],
    ['disabled', { ...body.properties.httpProxyConfig, enabled: false }],
    ['no proxy URL', { noProxy: ['localhost'] }],
  ])('none when %s', (_name, config) => {
    expect(clusterFacts(cluster(config)).httpProxy).toBeUndefined();
  });

  test('credentials in the URLs never reach the facts', () => {
    const facts = clusterFacts(cluster({ httpProxy: 'http://ops:pw1@p:3128', httpsProxy: 'http://ops:pw1@p:3128', noProxy: [] }));
    expect(JSON.stringify(facts)).not.toMatch(/pw1|ops/);
    expect(facts.httpProxy?.httpsProxy).toBe('http://p:3128');
  });
});

describe('clusterFacts: the agent pools where a workload can land', () => {
  test("nodeTaints, nodeLabels, scaleSetPriority, osType and osSKU, in ARM's shape", () => {
    const body = managedCluster({ subscriptionId: 's1', resourceGroup: 'rg', name: 'aks1', agentPools: [agentPoolProfile('system'), agentPoolProfile('spot'), agentPoolProfile('windows')] });
    const pools = clusterFacts({ ...body, ...body.properties } as ManagedCluster).agentPools;
    expect(pools.map((p) => [p.name, p.osType, p.osSku, p.vmSize, p.mode, p.scaleSetPriority, p.nodeTaints, p.nodeLabels])).toEqual([
      ['system', 'Linux', 'Ubuntu', 'Standard_D4s_v5', 'System', undefined, undefined, undefined],
      ['spot', 'Linux', 'Ubuntu', 'Standard_D4ps_v5', 'User', 'Spot', ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'], { 'kubernetes.azure.com/scalesetpriority': 'spot' }],
      ['win22', 'Windows', 'Windows2022', 'Standard_D4s_v5', 'User', undefined, ['os=windows:NoSchedule'], undefined],
    ]);
  });
});

describe('clusterFacts: nodes the agent pools do not describe', () => {
  const body = managedCluster({ subscriptionId: 's1', resourceGroup: 'rg', name: 'aks1' });
  const facts = (more: Record<string, unknown>) => clusterFacts({ ...body, ...body.properties, ...more } as ManagedCluster);
  test.each<[string, Record<string, unknown>, string[] | undefined]>([
    ['none', {}, undefined],
    ['node provisioning Manual', { nodeProvisioningProfile: { mode: 'Manual' } }, undefined],
    ['node auto-provisioning', { nodeProvisioningProfile: { mode: 'Auto' } }, ['node auto-provisioning (its Karpenter NodePools live in the cluster)']],
    ['the ACI virtual node', { addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node' } } } }, ['the virtual node (ACI connector)']],
    ['the ACI addon disabled', { addonProfiles: { aciConnectorLinux: { enabled: false } } }, undefined],
  ])('%s', (_name, more, expected) => {
    expect(facts(more).otherNodes).toEqual(expected);
  });
});
