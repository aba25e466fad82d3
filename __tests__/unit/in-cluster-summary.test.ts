// The summary's in-cluster section: rendered from the findings alone, every string from the cluster
// escaped, and cut with the other side sections when the summary must shrink.
import { judgeInClusterPull } from '../../src/checks/in-cluster-pull.js';
import { judgePodSymptoms } from '../../src/checks/pod-symptoms.js';
import { renderInCluster } from '../../src/report/in-cluster.js';
import { renderSummary } from '../../src/report/summary.js';
import { registryFacts } from './facts.js';
import { clusterFacts, noPullRole, probe, ran, runFailed, stuck } from './in-cluster-fixtures.js';
import { finding, report } from './report-fixtures.js';

const HOSTILE = 'Failed to pull image "<img src=x onerror=alert(1)>": 401 Unauthorized | `rm -rf` *boom*';

function inClusterReport() {
  const run = ran({ probes: [probe({ outcome: 'failed', message: HOSTILE, pullMs: undefined }), probe({ pool: 'win1', os: 'windows' })], stuckPods: [stuck({ messages: [HOSTILE] })] });
  const pools = judgeInClusterPull({ cluster: clusterFacts(), registry: registryFacts(), run, related: { 'myacr.azurecr.io/app:1': [noPullRole] } });
  const scan = judgePodSymptoms({ cluster: clusterFacts(), run, config: {}, related: { 'myacr.azurecr.io/app:1': [noPullRole] } });
  return report([...pools, scan]);
}

test('a row per pool, the symptoms with cause and fix, and the cost; nothing from the cluster becomes markup', () => {
  const html = renderInCluster(inClusterReport());
  expect(html).toContain('<th>Cluster</th><th>Pool</th><th>OS/arch</th><th>Image</th><th>Pulled?</th><th>Time to pull</th><th>Kubelet message</th>');
  expect(html).toContain('<td>win1</td><td>windows/amd64</td><td>myacr.azurecr.io/app:1</td><td>✅ yes</td><td>2.3 s</td>');
  expect(html).toContain('<td>arm1</td><td>linux/arm64</td><td></td><td>⏭️ skip</td><td></td><td></td></tr>');
  expect(html).toContain('← Kubelet identity of aks1 cannot pull from myacr (pull-permission fail)');
  expect(html).toContain('<pre lang="bash"><code>az role assignment create');
  expect(html).toContain('aks1: 41 s of Run Command, 47.0 s from start to result, 6 ARM calls, 4 pods started');
  expect(html).not.toContain('<img');
  expect(html).not.toContain('`rm');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
});

test('a run that could not happen shows no section; a report without in-cluster findings neither', () => {
  const failed = judgeInClusterPull({ cluster: clusterFacts(), registry: registryFacts(), run: runFailed('RunCommandDisabled'), related: {} });
  expect(renderInCluster(report(failed))).toBe('');
  expect(renderInCluster(report([finding('pass')]))).toBe('');
});

test('the summary carries the section, and drops it with the other side sections to stay within its budget', () => {
  const r = inClusterReport();
  expect(renderSummary(r)).toContain('<h2>In the cluster</h2>');
  const budget = 4_000;
  const small = renderSummary(r, budget);
  expect(small).not.toContain('<h2>In the cluster</h2>');
  expect(small).toContain('the in-cluster, notes and network-path sections');
  expect(small).toContain('<h2>What to fix</h2>');
  expect(Buffer.byteLength(small)).toBeLessThanOrEqual(budget);
});
