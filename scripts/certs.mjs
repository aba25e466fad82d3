// @ts-check
// Test TLS material: a private CA and a certificate for 127.0.0.1/localhost signed by it, made with
// the openssl binary and reused while still valid. Clients trust the CA through NODE_EXTRA_CA_CERTS
// (which Node reads at start-up only).
//
//   node scripts/certs.mjs <dir>   → prints {"caCert": …, "cert": …, "key": …} (absolute paths)
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CA_SUBJECT = '/CN=aks-acr-preflight test CA';
const LEAF_SUBJECT = '/CN=localhost';
const DAYS = '825';
/** Regenerate when a certificate has less than this left. */
const MIN_REMAINING_MS = 24 * 3600 * 1000;

/**
 * @typedef {{ caCert: string, cert: string, key: string }} CertPaths
 */

/** @param {string} dir @returns {CertPaths} */
function pathsIn(dir) {
  return { caCert: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server-key.pem') };
}

/** @param {string[]} args */
function openssl(args) {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** @param {X509Certificate} cert */
function notExpiring(cert) {
  return Date.parse(cert.validTo) - Date.now() > MIN_REMAINING_MS && Date.parse(cert.validFrom) <= Date.now();
}

/**
 * True when the three files exist, the leaf is signed by the CA, matches the key, names 127.0.0.1
 * and localhost, and neither certificate is about to expire.
 * @param {CertPaths} paths
 */
function usable(paths) {
  if (![paths.caCert, paths.cert, paths.key].every((p) => existsSync(p))) return false;
  try {
    const ca = new X509Certificate(readFileSync(paths.caCert));
    const leaf = new X509Certificate(readFileSync(paths.cert));
    const key = createPrivateKey(readFileSync(paths.key));
    return (
      ca.ca &&
      notExpiring(ca) &&
      notExpiring(leaf) &&
      leaf.verify(ca.publicKey) &&
      leaf.checkPrivateKey(key) &&
      leaf.checkIP('127.0.0.1') !== undefined &&
      leaf.checkHost('localhost') !== undefined
    );
  } catch {
    return false;
  }
}

/** @param {string} work a scratch directory; returns the paths of the new files in it */
function generate(work) {
  const caKey = join(work, 'ca-key.pem');
  const csr = join(work, 'server.csr');
  const ext = join(work, 'server.ext');
  const out = pathsIn(work);
  openssl([
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', DAYS,
    '-subj', CA_SUBJECT, '-keyout', caKey, '-out', out.caCert,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-subj', LEAF_SUBJECT, '-keyout', out.key, '-out', csr]);
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n') + '\n',
  );
  openssl([
    'x509', '-req', '-sha256', '-days', DAYS, '-in', csr, '-CA', out.caCert, '-CAkey', caKey,
    '-set_serial', `0x${Date.now().toString(16)}`, '-extfile', ext, '-out', out.cert,
  ]);
  return out;
}

/**
 * Makes sure `dir` holds a usable CA and server certificate, creating them when needed.
 * @param {string} dir
 * @returns {Promise<CertPaths>} absolute paths
 */
export async function ensureCerts(dir) {
  const abs = resolve(dir);
  const paths = pathsIn(abs);
  if (usable(paths)) return paths;
  mkdirSync(abs, { recursive: true });
  // generate aside, then move into place: a concurrent reader never sees a half-written set
  const work = mkdtempSync(join(abs, '.gen-'));
  try {
    const fresh = generate(work);
    renameSync(fresh.key, paths.key);
    renameSync(fresh.cert, paths.cert);
    renameSync(fresh.caCert, paths.caCert);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/certs.mjs <dir>');
    process.exit(2);
  }
  console.log(JSON.stringify(await ensureCerts(dir)));
}
