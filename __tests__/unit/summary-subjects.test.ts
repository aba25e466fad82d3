// The summary when more than one pair is checked: a row per subject (pair, image) with a column per check
// holding its status icon and a link to its detail, failing rows first; for a fleet, a cluster × registry
// matrix first and the passing rows folded. Within GitHub's 1 MiB for fleets of 100 × 3 and 300 × 10.
import { verdictOf } from '../../src/checks/verdict.js';
import type { Finding, Report, Status } from '../../src/model.js';
import { SUMMARY_BUDGET_BYTES } from '../../src/report/limits.js';
import { renderSummary } from '../../src/report/summary.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const DETAIL = 'AcrPull at /subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/acr grants Microsoft.ContainerRegistry/registries/pull/read to the kubelet identity (object ID 44444444-4444-4444-8444-444444444444).';
const EVIDENCE = { roleAssignments: [{ id: '/subscriptions/22222222-2222-4222-8222-222222222222/providers/Microsoft.Authorization/roleAssignments/77777777-7777-4777-8777-777777777777', roleDefinitionId: 'AcrPull', scope: '/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg-acr' }] };

/** A run over clusters × registries as the engine reports it: a cluster check per cluster, four per registry, two per pair; `failing` pairs lack pull permission. */
function fleet(clusterNames: string[], registryNames: string[], failing: (c: number, r: number) => boolean, images: string[] = []): Report {
  const f = (id: Finding['id'], status: Status, names: Partial<Finding>, title: string): Finding => ({
    id,
    status,
    title,
    detail: DETAIL,
    ...names,
    ...(status === 'fail' && { fix: `az role assignment create --assignee-object-id 44444444-4444-4444-8444-444444444444 --role AcrPull --scope /subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${names.registry}`, evidence: EVIDENCE }),
    ...(id.startsWith('registry-') && id !== 'registry-network' && { path: 'runner' as const }),
  });
  const checks: Finding[] = [
    ...clusterNames.map((cluster) => f('cluster', 'pass', { cluster }, `Cluster ${cluster} found`)),
    ...registryNames.flatMap((registry) => (['registry', 'registry-dns', 'registry-endpoint'] as const).map((id) => f(id, 'pass', { registry }, `${id} of ${registry} is fine`))),
    ...clusterNames.flatMap((cluster, c) =>
      registryNames.flatMap((registry, r) => [
        f('pull-permission', failing(c, r) ? 'fail' : 'pass', { cluster, registry }, failing(c, r) ? `Kubelet identity of ${cluster} cannot pull from ${registry}` : `${cluster} can pull from ${registry}`),
        f('registry-network', 'pass', { cluster, registry, path: 'cluster' }, `Network path from ${cluster} to ${registry} is open`),
      ]),
    ),
    ...images.map((image) => f('image', 'pass', { image, registry: registryNames[0] }, `${image} runs on every node pool`)),
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'aks-acr-preflight', version: '0.0.0' },
    result: verdictOf(checks),
    durationMs: 1,
    clusters: clusterNames.map((name) => ({ id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`, name, location: 'westeurope', kubeletIdentity: { source: 'managedIdentity', objectId: '44444444-4444-4444-8444-444444444444' } })),
    registries: registryNames.map((name) => ({ id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${name}`, name, loginServer: `${name}.azurecr.io` })),
    checks,
  };
}
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** The rows of the first checks table with a row per subject: [subject, cells…]. */
function subjectTable(html: string, after = ''): string[][] {
  const start = html.indexOf('<th>Subject</th>', html.indexOf(after));
  const body = /<tbody>(.*?)<\/tbody>/.exec(html.slice(start))?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!));
}
const hrefs = (html: string) => [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
const ids = (html: string) => new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!));

describe('one cluster, twelve registries', () => {
  const r = fleet(['aks1'], names('acr', 12), () => true);
  const html = renderSummary(r);
  const today = renderSummary({ ...r, clusters: [] });

  test('one row per pair, one column per check, each holding a linked icon; the failures first', () => {
    const rows = subjectTable(html);
    expect(rows).toHaveLength(12);
    expect(rows.map((row) => row[0])).toEqual(names('acr', 12).map((n) => `aks1 → ${n}`));
    expect(html).toContain('<th>Subject</th><th>cluster</th><th>registry</th><th>registry-dns</th><th>registry-endpoint</th><th>pull-permission</th><th>registry-network</th>');
    for (const row of rows) {
      expect(row.slice(1).map((cell) => cell.replace(/<a href="#check-\d+">(.*?)<\/a>/, '$1'))).toEqual(['✅', '✅', '✅', '✅', '❌', '✅']);
    }
    // every link lands on an element of the summary
    expect(hrefs(html).filter((h) => !ids(html).has(h))).toEqual([]);
    expect(hrefs(html).length).toBe(12 * 6);
  });

  test('12 rows where the flat table had 61', () => {
    expect(/<tbody>(.*?)<\/tbody>/.exec(today)?.[1]?.match(/<tr>/g)).toHaveLength(61);
    console.log(`1 cluster × 12 registries: the flat table ${bytes(today)} bytes, 61 rows; per subject ${bytes(html)} bytes, ${subjectTable(html).length} rows`);
    expect(subjectTable(html)).toHaveLength(12);
  });

  test('failing rows come first, whichever registry fails', () => {
    const one = fleet(['aks1'], names('acr', 12), (_c, i) => i === 7 || i === 10);
    expect(subjectTable(renderSummary(one)).map((row) => row[0]).slice(0, 3)).toEqual(['aks1 → acr8', 'aks1 → acr11', 'aks1 → acr1']);
  });
});

test('one cluster and one registry keep the flat table', () => {
  const html = renderSummary(fleet(['aks1'], ['myacr'], () => true));
  expect(html).toContain('<th>Status</th><th>Check</th><th>About</th><th>Result</th>');
  expect(html).not.toContain('<th>Subject</th>');
});

test('images have a row of their own', () => {
  const html = renderSummary(fleet(['aks1'], ['acr1', 'acr2'], () => false, ['acr1.azurecr.io/team/app:1.0']));
  const rows = subjectTable(html);
  expect(rows.map((row) => row[0])).toEqual(['aks1 → acr1', 'aks1 → acr2', 'acr1 (acr1.azurecr.io/team/app:1.0)']);
  expect(rows[2]!.slice(1).filter(Boolean)).toHaveLength(1);
});

describe('a fleet', () => {
  const r = fleet(names('aks', 3), names('acr', 2), (c, i) => c === 1 && i === 0);
  const html = renderSummary(r);

  test('a cluster × registry matrix, one cell per pair linking to its row', () => {
    const matrix = /<h3>Clusters × registries<\/h3><table>(.*?)<\/table>/.exec(html)?.[1] ?? '';
    expect(matrix).toContain('<th>Cluster</th><th>acr1</th><th>acr2</th>');
    const cells = [...matrix.matchAll(/<td><a href="#(subject-\d+)">(.*?)<\/a><\/td>/g)].map((m) => m[2]);
    expect(cells).toEqual(['✅', '✅', '❌', '✅', '✅', '✅']);
    expect(hrefs(html).filter((h) => !ids(html).has(h))).toEqual([]);
  });

  test('the failing pairs first, the passing ones folded', () => {
    expect(subjectTable(html, 'Needing attention').map((row) => row[0])).toEqual(['aks2 → acr1']);
    const folded = /<details><summary>✅ 5 subjects with every check passing or skipped<\/summary>(.*?)<\/details>/.exec(html)?.[1] ?? '';
    expect([...folded.matchAll(/<tr id="subject-\d+"><td>(.*?)<\/td>/g)].map((m) => m[1])).toEqual(['aks1 → acr1', 'aks1 → acr2', 'aks2 → acr2', 'aks3 → acr1', 'aks3 → acr2']);
  });

  test('every string is escaped, in the matrix and the rows', () => {
    const evil = fleet(['<img src=x>', 'aks|2'], ['acr*1', '<b>acr2'], () => true);
    const out = renderSummary(evil);
    expect(out).not.toMatch(/<img|<b>acr2|aks\|2|acr\*1/);
    expect(out).toContain('&lt;img src=x&gt; → acr&#42;1');
    expect(out).toContain('<th>&lt;b&gt;acr2</th>');
  });
});

test('a fleet too large for its rows and fixes keeps the verdict and the matrix', () => {
  const r = fleet(names('aks', 300), names('acr', 10), () => true);
  const html = renderSummary(r);
  expect(bytes(html)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
  expect(html.split('\n')[0]).toContain('AKS ACR preflight: FAIL');
  expect(html).toContain('the 6330 checks and their fixes exceed');
  expect(/<h3>Clusters × registries<\/h3><table>(.*?)<\/table>/.exec(html)?.[1]?.match(/<td>❌<\/td>/g)).toHaveLength(3000);
});

test.each<[number, number, (c: number, r: number) => boolean]>([
  [100, 3, (c) => c % 10 === 0],
  [100, 3, () => true],
  [300, 10, (c, r) => (c + r) % 7 === 0],
])('a fleet of %i × %i stays within the budget and keeps the matrix', (nc, nr, failing) => {
  const r = fleet(names('aks', nc), names('acr', nr), failing);
  const html = renderSummary(r);
  expect(bytes(html)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
  const matrix = /<h3>Clusters × registries<\/h3><table>(.*?)<\/table>/.exec(html)?.[1] ?? '';
  expect(matrix.match(/<td><a href="#subject-\d+">/g)).toHaveLength(nc * nr);
  // every failing pair keeps its row
  const failingRows = subjectTable(html, 'Needing attention').map((row) => row[0]);
  expect(failingRows).toHaveLength(r.checks.filter((f) => f.status === 'fail').length);
  console.log(`${nc} × ${nr} (${failingRows.length} failing): ${bytes(html)} bytes${/Left out/.test(html) ? ', with cuts' : ''}`);
});
