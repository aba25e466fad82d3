// @ts-check
/* global beforeAll, afterAll, beforeEach -- Jest's, in the test file that calls useLab() */
// One fake Azure and one registry lab for a test file: started before its first test, stopped after its
// last, the lab reset before each (a test file resets the fake's world itself, to the world it needs).
// `fake` and `lab` are live bindings: import them beside useLab() and use them inside the tests.
import { startFakeAzure } from '../fake-azure/server.js';
import { resetLab, startLab } from './scenarios.js';

/** The test certificates `npm test` makes (scripts/test.mjs); a test run another way fails here, saying so. */
export function testCerts() {
  const certs = JSON.parse(process.env.PREFLIGHT_TEST_CERTS ?? 'null');
  const registryCerts = JSON.parse(process.env.PREFLIGHT_REGISTRY_CERTS ?? 'null');
  if (!certs || !registryCerts || !process.env.NODE_EXTRA_CA_CERTS) throw new Error('run the tests with `npm test` (it makes the certificates and sets NODE_EXTRA_CA_CERTS)');
  return { certs: /** @type {{ cert: string, key: string }} */ (certs), registryCerts };
}

/** @type {import('../fake-azure/server.js').FakeAzure} */
export let fake;
/** @type {import('../registry-lab/index.js').RegistryLab} */
export let lab;

export function useLab() {
  const { certs, registryCerts } = testCerts();
  beforeAll(async () => {
    fake = await startFakeAzure({ cert: certs.cert, key: certs.key });
    lab = await startLab(fake, registryCerts);
  });
  afterAll(async () => {
    await lab?.stop();
    await fake?.stop();
  });
  beforeEach(() => resetLab(lab));
}
