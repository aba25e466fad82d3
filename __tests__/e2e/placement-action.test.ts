// Placement end to end as the runner runs the action: dist/index.js as a child process with the
// `manifests` input, the fake ARM serving a cluster whose pools carry nodeLabels, nodeTaints, Spot and
// Windows in ARM's shape, and the registry lab holding the images. The findings sit on the lines of
// __tests__/fixtures/placement/apps.yaml.
import { fileURLToPath } from 'node:url';
import { IDS, agentPoolProfile, managedCluster, standardWorld } from '../fake-azure/fixtures.js';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { oidcRun } from '../harness/scenarios.js';
import { fake, lab, useLab } from '../harness/lab-suite.js';

const WORKSPACE = fileURLToPath(new URL('../fixtures/placement', import.meta.url));
type Check = { id: string; status: string; title: string; detail: string; image?: string; cluster?: string; source?: { file: string; line: number; workload?: string } };

useLab();
beforeEach(() => {
  const world = standardWorld();
  const [aks1] = world.clusters;
  aks1!.properties.agentPoolProfiles = managedCluster({
    subscriptionId: IDS.subscription,
    resourceGroup: IDS.clusterResourceGroup,
    name: IDS.cluster,
    agentPools: [agentPoolProfile('system'), agentPoolProfile('arm64'), agentPoolProfile('spot'), agentPoolProfile('windows')],
  }).properties.agentPoolProfiles;
  fake.reset(world);
});

async function run(): Promise<ActionRun> {
  const base = oidcRun(fake.url, lab);
  return runAction({ inputs: { ...base.inputs, 'fail-on': 'never', manifests: 'apps.yaml' }, env: { ...base.env, GITHUB_WORKSPACE: WORKSPACE } });
}

test("each image is judged on the pools its workloads can land on, and a workload no pool can run fails on its own line", async () => {
  const r = await run();
  expect(r.status).toBe(0);
  const images = (r.report.checks as Check[]).filter((c) => c.id === 'image');
  const row = (c: Check) => [c.status, c.title, c.source?.line];
  expect(images.filter((c) => c.image === 'myacr.azurecr.io/team/legacy:2.3').map(row)).toEqual([
    // web stays on amd64; batch selects the arm64 pool by its nodeLabels: the fail sits on batch's line
    ['fail', 'myacr.azurecr.io/team/legacy:2.3 has no manifest for aks1/armpool', 34],
  ]);
  // api tolerates Spot and selects Linux: system, armpool and spot, all of which the multi-arch image runs on
  expect(images.filter((c) => c.image === 'myacr.azurecr.io/team/app:1.0').map(row)).toEqual([['pass', 'myacr.azurecr.io/team/app:1.0 runs on every node pool its workloads can land on', 56]]);
  expect(images.filter((c) => c.image === 'nginx:1.27').map(row)).toEqual([
    ['skip', 'nginx:1.27: no node pool to match', 69],
    ['fail', 'Deployment/trainer can run on no node pool of aks1', 58],
  ]);
  const legacy = images.find((c) => c.image === 'myacr.azurecr.io/team/legacy:2.3');
  expect(legacy?.detail).toContain('Job/batch can land there');
  expect(legacy?.detail).toContain('Not judged, as no workload of it can land there: aks1/spot, aks1/win22');
  const trainer = images.find((c) => c.title.startsWith('Deployment/trainer'));
  expect(trainer?.detail).toContain('win22: nodeSelector agentpool: gpu: the pool\'s nodes have agentpool=win22; taint os=windows:NoSchedule is not tolerated');
  // annotated on those lines, so the pull request's diff shows them there
  const annotations = r.commands.filter((c) => c.command === 'error').map((c) => [c.properties.file, c.properties.line, c.message.split('\n')[0]]);
  expect(annotations).toEqual(
    expect.arrayContaining([
      ['apps.yaml', '34', 'myacr.azurecr.io/team/legacy:2.3 has no manifest for aks1/armpool'],
      ['apps.yaml', '58', 'Deployment/trainer can run on no node pool of aks1'],
    ]),
  );
  expect(fake.requests.filter((q) => q.route === 'arm.managedClusters.get').map((q) => q.status)).toEqual([200]);
});
