// @ts-check
// Real, tiny container images for the lab's registries: per platform a gzip tar layer and an image
// config, an image manifest (OCI or Docker v2), and optionally an index (OCI image index or Docker
// manifest list) with a buildx-style attestation manifest. Pushed through the registry HTTP API
// (blob upload POST + PUT ?digest=, manifest PUT) with any `send` function.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const MEDIA_TYPES = Object.freeze({
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
});

/** Every manifest media type, for an Accept header. */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerList, MEDIA_TYPES.dockerManifest].join(', ');

/** @typedef {{ os: string, architecture: string, variant?: string, 'os.version'?: string }} Platform */

/**
 * @typedef {object} ImageSpec
 * @property {Platform[]} platforms
 * @property {boolean} [index] push an index/manifest list (default: when more than one platform)
 * @property {'oci' | 'docker'} [format] default 'oci'
 * @property {boolean} [attestation] add an attestation manifest (platform unknown/unknown) to the index, as buildx does (OCI only)
 */

/** @typedef {{ digest: string, mediaType: string, manifests: { platform: Platform, digest: string }[] }} PushedImage */

/**
 * Sends one request to the registry; `path` is absolute (/v2/…), may carry a query.
 * @typedef {(method: string, path: string, headers: Record<string, string>, body?: Buffer) => Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: Buffer }>} Send
 */

/** @param {Buffer} bytes */
export function sha256Digest(bytes) {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** @param {unknown} value */
function json(value) {
  return Buffer.from(JSON.stringify(value));
}

/**
 * A ustar archive holding one small file.
 * @param {string} name @param {string} content
 */
export function tarWithFile(name, content) {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 8, 'ascii'); // mode
  header.write('0000000\0', 108, 8, 'ascii'); // uid
  header.write('0000000\0', 116, 8, 'ascii'); // gid
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii'); // size
  header.write('00000000000\0', 136, 12, 'ascii'); // mtime (the epoch: reproducible)
  header.write('        ', 148, 8, 'ascii'); // checksum placeholder
  header.write('0', 156, 1, 'ascii'); // regular file
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

/** @param {Platform} p */
export function platformString(p) {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/') + (p['os.version'] ? `:${p['os.version']}` : '');
}

/**
 * The blobs and the manifest of one platform's image.
 * @param {Platform} platform @param {'oci' | 'docker'} format @param {string} tag
 */
function platformImage(platform, format, tag) {
  const tar = tarWithFile('hello.txt', `registry lab image ${tag} for ${platformString(platform)}\n`);
  const layer = gzipSync(tar);
  /** @type {Record<string, unknown>} */
  const config = { architecture: platform.architecture, os: platform.os };
  if (platform.variant) config.variant = platform.variant;
  if (platform['os.version']) config['os.version'] = platform['os.version'];
  config.rootfs = { type: 'layers', diff_ids: [sha256Digest(tar)] };
  config.config = {};
  const configBytes = json(config);
  const oci = format === 'oci';
  const manifest = json({
    schemaVersion: 2,
    mediaType: oci ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest,
    config: { mediaType: oci ? MEDIA_TYPES.ociConfig : MEDIA_TYPES.dockerConfig, digest: sha256Digest(configBytes), size: configBytes.length },
    layers: [{ mediaType: oci ? MEDIA_TYPES.ociLayer : MEDIA_TYPES.dockerLayer, digest: sha256Digest(layer), size: layer.length }],
  });
  return { blobs: [layer, configBytes], manifest, mediaType: oci ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest };
}

/** A buildx-style attestation manifest about `subject` (an in-toto statement layer). @param {string} subject */
function attestationImage(subject) {
  const statement = json({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://spdx.dev/Document', subject: [{ name: 'registry-lab', digest: { sha256: subject.slice(7) } }], predicate: {} });
  const configBytes = json({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [sha256Digest(statement)] } });
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256Digest(configBytes), size: configBytes.length },
    layers: [{ mediaType: MEDIA_TYPES.inToto, digest: sha256Digest(statement), size: statement.length, annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' } }],
  });
  return { blobs: [statement, configBytes], manifest };
}

/** @param {Send} send @param {string} repository @param {Buffer} blob */
async function pushBlob(send, repository, blob) {
  const digest = sha256Digest(blob);
  const head = await send('HEAD', `/v2/${repository}/blobs/${digest}`, {});
  if (head.status === 200) return;
  const start = await send('POST', `/v2/${repository}/blobs/uploads/`, { 'Content-Length': '0' });
  const location = start.headers.location;
  if (start.status !== 202 || !location) throw new Error(`blob upload to ${repository} did not start: ${start.status} ${start.body.toString('utf8')}`);
  const url = new URL(location, 'https://registry.invalid');
  url.searchParams.set('digest', digest);
  const put = await send('PUT', `${url.pathname}${url.search}`, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.length) }, blob);
  if (put.status !== 201) throw new Error(`blob ${digest} upload to ${repository} failed: ${put.status} ${put.body.toString('utf8')}`);
}

/** @param {Send} send @param {string} repository @param {string} reference @param {Buffer} manifest @param {string} mediaType */
async function pushManifest(send, repository, reference, manifest, mediaType) {
  const put = await send('PUT', `/v2/${repository}/manifests/${reference}`, { 'Content-Type': mediaType, 'Content-Length': String(manifest.length) }, manifest);
  if (put.status !== 201) throw new Error(`manifest ${repository}:${reference} was refused: ${put.status} ${put.body.toString('utf8')}`);
  return sha256Digest(manifest);
}

/**
 * Builds and pushes an image to `repository:tag`.
 * @param {Send} send @param {string} repository @param {string} tag @param {ImageSpec} spec
 * @returns {Promise<PushedImage>}
 */
export async function pushImage(send, repository, tag, spec) {
  if (!spec.platforms.length) throw new Error('push: an image needs at least one platform');
  const format = spec.format ?? 'oci';
  const asIndex = spec.index ?? spec.platforms.length > 1;
  if (!asIndex && spec.platforms.length > 1) throw new Error('push: several platforms need an index');
  if (spec.attestation && (!asIndex || format !== 'oci')) throw new Error('push: attestation manifests need an OCI index (as buildx makes)');
  /** @type {{ platform: Platform, digest: string, size: number, mediaType: string }[]} */
  const children = [];
  for (const platform of spec.platforms) {
    const image = platformImage(platform, format, tag);
    for (const blob of image.blobs) await pushBlob(send, repository, blob);
    const digest = sha256Digest(image.manifest);
    if (asIndex) await pushManifest(send, repository, digest, image.manifest, image.mediaType);
    else await pushManifest(send, repository, tag, image.manifest, image.mediaType);
    children.push({ platform, digest, size: image.manifest.length, mediaType: image.mediaType });
  }
  const manifests = children.map((c) => ({ platform: c.platform, digest: c.digest }));
  const first = /** @type {(typeof children)[number]} */ (children[0]);
  if (!asIndex) return { digest: first.digest, mediaType: first.mediaType, manifests };

  /** @type {Record<string, unknown>[]} */
  const descriptors = children.map((c) => ({ mediaType: c.mediaType, digest: c.digest, size: c.size, platform: c.platform }));
  if (spec.attestation) {
    for (const c of children) {
      const att = attestationImage(c.digest);
      for (const blob of att.blobs) await pushBlob(send, repository, blob);
      const digest = await pushManifest(send, repository, sha256Digest(att.manifest), att.manifest, MEDIA_TYPES.ociManifest);
      descriptors.push({
        mediaType: MEDIA_TYPES.ociManifest,
        digest,
        size: att.manifest.length,
        annotations: { 'vnd.docker.reference.digest': c.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
        platform: { architecture: 'unknown', os: 'unknown' },
      });
    }
  }
  const mediaType = format === 'oci' ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.dockerList;
  const index = json({ schemaVersion: 2, mediaType, manifests: descriptors });
  const digest = await pushManifest(send, repository, tag, index, mediaType);
  return { digest, mediaType, manifests };
}
