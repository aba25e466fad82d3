// @ts-check
// The demo proper (started by scripts/demo.mjs with the simulated Azure's CA trusted): for each
// scenario, the real bundled action runs against the fake Azure, and this prints what a user sees.
import { startFakeAzure } from '../__tests__/fake-azure/server.js';
import { nodeVersion, runAction } from '../__tests__/harness/run-action.js';
import { SCENARIOS, oidcRun, resetLab, startLab } from '../__tests__/harness/scenarios.js';
import { prGate } from './demo-pr-gate.mjs';

const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
/** @param {string} code @param {string} s */
const paint = (code, s) => (tty ? `\u001b[${code}m${s}\u001b[0m` : s);

/** The job summary as a terminal shows it: the HTML's text, a line per heading, row and paragraph. @param {string} html */
function summaryText(html) {
  const entities = /** @type {Record<string, string>} */ ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#124': '|', '#96': '`', '#42': '*', '#95': '_', '#91': '[', '#93': ']', '#92': '\\', '#10': '\n' });
  return html
    .replace(/<details>.*?<\/details>/gs, '    (evidence folded away)\n')
    .replace(/<\/(h2|h3|p|tr|pre)>/g, '\n')
    .replace(/<h2>/g, '\n')
    .replace(/<h3>/g, '\n  ')
    .replace(/<pre[^>]*><code>/g, '    $ ')
    .replace(/<\/t[dh]><t[dh]>/g, ' | ')
    .replace(/<tr>/g, '    ')
    .replace(/<[^>]+>/g, '')
    .replace(/&([#\w]+);/g, (m, e) => entities[e] ?? m)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? '{}');
const fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
const lab = await startLab(fake, JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? '{}'));
let mismatches = 0;
try {
  console.log(paint('1', `aks-acr-preflight demo: the bundled action (dist/index.js, on Node ${nodeVersion()}) against a simulated Azure and real local registries`));
  console.log('Each run signs in with GitHub OIDC (auth: oidc), reads the cluster, the registry, RBAC and the network through the real Azure SDK clients,');
  console.log(`and probes the registries (DNS through the lab's server ${lab.dnsServer}, HTTPS to Debian's docker-registry behind an ACR-like token service).\n`);
  for (const s of SCENARIOS) {
    resetLab(lab);
    s.setup?.(fake, lab);
    const base = oidcRun(fake.url, lab);
    const r = await runAction({ inputs: { ...base.inputs, ...s.inputs }, env: base.env });
    const ok = r.outputs.result === s.expect.result;
    if (!ok) mismatches++;
    console.log(paint('1;36', `━━ ${s.name}: ${s.title}`));
    console.log(`exit ${r.status} · ${Math.round(r.durationMs)} ms · ${fake.requests.filter((q) => q.path.startsWith('/subscriptions')).length} ARM requests${ok ? '' : paint('31', `  (expected ${s.expect.result}!)`)}`);
    const runCommand = fake.requests.filter((q) => /^arm\.managedClusters\.(runCommand|getCommandResult)$/.test(q.route)).length;
    if (runCommand) console.log(`AKS Run Command: ${runCommand} ARM calls (the POST and its polls)`);
    console.log(paint('1', 'Annotations:'));
    const notes = r.commands.filter((c) => ['error', 'warning', 'notice'].includes(c.command) && c.properties.title);
    if (!notes.length) console.log('  (none)');
    for (const a of notes) console.log(`  ${paint(a.command === 'error' ? '31' : a.command === 'warning' ? '33' : '36', `${a.command}`)} [${a.properties.title}] ${a.message.split('\n')[0]}`);
    console.log(paint('1', 'Outputs:'), Object.entries(r.outputs).map(([k, v]) => `${k}=${k === 'report' ? '…/aks-acr-preflight.json' : v}`).join('  '));
    console.log(paint('1', 'Job summary:'));
    console.log(summaryText(r.summary).split('\n').map((l) => `  ${l}`).join('\n'));
    console.log('');
  }
  if (!(await prGate({ fake, lab, certs, paint, summaryText }))) mismatches++;
} finally {
  await lab.stop();
  await fake.stop();
}
if (mismatches) {
  console.error(`${mismatches} scenario(s) did not give the expected verdict`);
  process.exit(1);
}
console.log('Every scenario gave the verdict it should. The same scenarios are asserted by npm test (__tests__/e2e/action.test.ts).');
