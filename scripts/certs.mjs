// @ts-check
// Test TLS material: a private CA and a certificate for 127.0.0.1/localhost signed by it, made with
// the openssl binary and reused while still valid. Clients trust the CA through NODE_EXTRA_CA_CERTS
// (which Node reads at start-up only).
//
//   node scripts/certs.mjs <dir>   → prints {"caCert": …, "cert": …, "key": …} (absolute paths)
//   node scripts/certs.mjs <dir> --registry   → the registry lab's set (see ensureRegistryCerts)
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
    // the CA key stays next to the CA, so that ensureRegistryCerts can sign more certificates with it
    renameSync(join(work, 'ca-key.pem'), join(abs, 'ca-key.pem'));
    renameSync(fresh.caCert, paths.caCert);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------------
// The registry lab (__tests__/registry-lab): certificates for the registry host names, signed by the test CA
// above; the same names from a CA nobody trusts; and the key that signs registry tokens.

/** Every name the registry lab may serve; a wildcard covers one label only. */
export const REGISTRY_SANS = Object.freeze([
  'DNS:*.azurecr.io',
  'DNS:*.westeurope.data.azurecr.io',
  'DNS:*.northeurope.data.azurecr.io',
  'DNS:*.eastus.data.azurecr.io',
  'DNS:*.privatelink.azurecr.io',
  'DNS:*.azurecr.cn',
  'DNS:*.azurecr.us',
  'DNS:registry-1.docker.io',
  'DNS:auth.docker.io',
  'DNS:ghcr.io',
  'DNS:registry.example.com',
  'DNS:localhost',
  'IP:127.0.0.1',
  'IP:0:0:0:0:0:0:0:1', // ::1, spelled as Node prints it (the comparison below is textual)
]);

/**
 * @typedef {object} RegistryCertPaths
 * @property {string} caCert the test CA (the one ensureCerts makes, trusted through NODE_EXTRA_CA_CERTS)
 * @property {string} cert registry server certificate for REGISTRY_SANS, signed by the test CA
 * @property {string} key its private key
 * @property {string} untrustedCaCert a CA nobody trusts
 * @property {string} untrustedCert a certificate for the same names signed by that CA
 * @property {string} untrustedKey its private key
 * @property {string} tokenCert self-signed certificate of the registry-token signing key (the registry's rootcertbundle)
 * @property {string} tokenKey the RSA key that signs registry tokens
 */

/** @param {string} dir @returns {RegistryCertPaths} */
function registryPathsIn(dir) {
  return {
    caCert: join(dir, 'ca.pem'),
    cert: join(dir, 'registry.pem'),
    key: join(dir, 'registry-key.pem'),
    untrustedCaCert: join(dir, 'untrusted-ca.pem'),
    untrustedCert: join(dir, 'untrusted.pem'),
    untrustedKey: join(dir, 'untrusted-key.pem'),
    tokenCert: join(dir, 'token-signer.pem'),
    tokenKey: join(dir, 'token-signer-key.pem'),
  };
}

/** OpenSSL's SAN syntax ('IP:') as Node prints it ('IP Address:'), sorted. @param {readonly string[]} sans */
function sanKey(sans) {
  return [...sans].map((s) => s.replace(/^IP:/, 'IP Address:')).sort().join(', ');
}

/** @param {X509Certificate} cert */
function hasRegistrySans(cert) {
  const actual = (cert.subjectAltName ?? '').split(/,\s*/).filter(Boolean);
  return sanKey(actual) === sanKey(REGISTRY_SANS);
}

/** @param {string} certFile @param {string} keyFile @param {X509Certificate} issuer */
function usableLeaf(certFile, keyFile, issuer) {
  if (!existsSync(certFile) || !existsSync(keyFile)) return false;
  try {
    const leaf = new X509Certificate(readFileSync(certFile));
    return notExpiring(leaf) && leaf.verify(issuer.publicKey) && leaf.checkPrivateKey(createPrivateKey(readFileSync(keyFile))) && hasRegistrySans(leaf);
  } catch {
    return false;
  }
}

/** True when every registry file exists, chains as it should, names REGISTRY_SANS and is not expiring. @param {RegistryCertPaths} p */
function registryUsable(p) {
  try {
    const ca = new X509Certificate(readFileSync(p.caCert));
    const untrustedCa = new X509Certificate(readFileSync(p.untrustedCaCert));
    const token = new X509Certificate(readFileSync(p.tokenCert));
    return (
      notExpiring(untrustedCa) &&
      usableLeaf(p.cert, p.key, ca) &&
      usableLeaf(p.untrustedCert, p.untrustedKey, untrustedCa) &&
      notExpiring(token) &&
      token.checkPrivateKey(createPrivateKey(readFileSync(p.tokenKey)))
    );
  } catch {
    return false;
  }
}

/** True when ca-key.pem exists and is the key of ca.pem. @param {string} dir */
function caKeyMatches(dir) {
  try {
    return new X509Certificate(readFileSync(join(dir, 'ca.pem'))).checkPrivateKey(createPrivateKey(readFileSync(join(dir, 'ca-key.pem'))));
  } catch {
    return false;
  }
}

/** A key and a certificate for REGISTRY_SANS signed by caCert/caKey, written to `work` under `name`. @param {string} work @param {string} name @param {string} caCert @param {string} caKey */
function signRegistryLeaf(work, name, caCert, caKey) {
  const key = join(work, `${name}-key.pem`);
  const cert = join(work, `${name}.pem`);
  const csr = join(work, `${name}.csr`);
  const ext = join(work, `${name}.ext`);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-subj', '/CN=registry lab', '-keyout', key, '-out', csr]);
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${REGISTRY_SANS.join(',')}`,
    ].join('\n') + '\n',
  );
  openssl([
    'x509', '-req', '-sha256', '-days', DAYS, '-in', csr, '-CA', caCert, '-CAkey', caKey,
    '-set_serial', `0x${Date.now().toString(16)}${name.length}`, '-extfile', ext, '-out', cert,
  ]);
  return { cert, key };
}

/**
 * Makes sure `dir` holds the registry lab's certificates (see RegistryCertPaths), next to the test CA of
 * ensureCerts(dir), creating what is missing, expiring or names other hosts than REGISTRY_SANS.
 * The registry certificate is signed by the test CA; a CA set made before the CA key was kept is
 * replaced once (so call this before anything reads the CA, as scripts/test.mjs does).
 * @param {string} dir
 * @returns {Promise<RegistryCertPaths>} absolute paths
 */
export async function ensureRegistryCerts(dir) {
  const abs = resolve(dir);
  await ensureCerts(abs);
  if (!caKeyMatches(abs)) {
    // made before the CA key was kept: the CA cannot sign any more, so make a new set
    rmSync(join(abs, 'server.pem'), { force: true });
    await ensureCerts(abs);
    if (!caKeyMatches(abs)) throw new Error(`ensureRegistryCerts: ${abs}/ca-key.pem does not match ${abs}/ca.pem`);
  }
  const paths = registryPathsIn(abs);
  if (registryUsable(paths)) return paths;
  const work = mkdtempSync(join(abs, '.gen-registry-'));
  try {
    const trusted = signRegistryLeaf(work, 'registry', paths.caCert, join(abs, 'ca-key.pem'));
    const untrustedCa = join(work, 'untrusted-ca.pem');
    const untrustedCaKey = join(work, 'untrusted-ca-key.pem');
    openssl([
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', DAYS,
      '-subj', '/CN=registry lab untrusted CA', '-keyout', untrustedCaKey, '-out', untrustedCa,
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const untrusted = signRegistryLeaf(work, 'untrusted', untrustedCa, untrustedCaKey);
    const tokenCert = join(work, 'token-signer.pem');
    const tokenKey = join(work, 'token-signer-key.pem');
    openssl([
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', DAYS,
      '-subj', '/CN=registry lab token signer', '-keyout', tokenKey, '-out', tokenCert,
    ]);
    // keys before certificates, as ensureCerts does
    renameSync(trusted.key, paths.key);
    renameSync(trusted.cert, paths.cert);
    renameSync(untrusted.key, paths.untrustedKey);
    renameSync(untrusted.cert, paths.untrustedCert);
    renameSync(untrustedCa, paths.untrustedCaCert);
    renameSync(tokenKey, paths.tokenKey);
    renameSync(tokenCert, paths.tokenCert);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/certs.mjs <dir> [--registry]');
    process.exit(2);
  }
  console.log(JSON.stringify(process.argv[3] === '--registry' ? await ensureRegistryCerts(dir) : await ensureCerts(dir)));
}
