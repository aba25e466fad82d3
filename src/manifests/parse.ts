// Kubernetes manifests → workloads and the images their pod specs name, with the line and column of
// every image value. YAML (multi-document, comments, anchors, aliases and `<<` merge keys, as
// Kubernetes' own YAML reader takes them) and JSON go through the same parser (`yaml`, positions kept).
// Pure: the text comes in, nothing is read here.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLMap } from 'yaml';
import { manifestError } from './error.js';
import type { ImageSource, ImageUse, NodeSelectorRequirement, PodPlacement, Toleration, Workload } from '../model.js';

/** An image as written in a pod spec, and where. */
export interface ImageFound {
  image: string;
  use: ImageUse;
}

export interface ParsedManifest {
  workloads: Workload[];
  images: ImageFound[];
}

const CONTAINER_KINDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
/** `# Source: chart/templates/deployment.yaml`, the line `helm template` writes before each document. */
const HELM_SOURCE = /^ ?Source: (\S.*)$/m;

/** Reads one document's nodes, aliases and merge keys followed. */
class Reader {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
    private readonly template: string | undefined,
  ) {}

  node(n: unknown): Node | undefined {
    const v = isAlias(n) ? n.resolve(this.doc) : n;
    if (isAlias(n) && v === undefined) {
      throw manifestError(this.file, this.lines.linePos(n.range?.[0] ?? 0), `not valid YAML: the alias *${n.source} names no anchor &${n.source} before it in its document (anchors do not reach across ---)`);
    }
    return isMap(v) || isSeq(v) || isScalar(v) ? v : undefined;
  }

  /** map[key], looking into `<<` merges when the map has no such key of its own (its own keys win, as in YAML 1.1). */
  get(map: Node | undefined, key: string): Node | undefined {
    if (!isMap(map)) return undefined;
    const own = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (own) return this.node(own.value);
    for (const merge of map.items.filter((p) => isScalar(p.key) && p.key.source === '<<')) {
      const from = this.node(merge.value);
      for (const source of isSeq(from) ? from.items.map((i) => this.node(i)) : [from]) {
        const found = this.get(source, key);
        if (found) return found;
      }
    }
    return undefined;
  }

  path(map: Node | undefined, ...keys: string[]): Node | undefined {
    return keys.reduce<Node | undefined>((n, k) => this.get(n, k), map);
  }

  text(n: Node | undefined): string | undefined {
    return isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined;
  }

  items(n: Node | undefined): Node[] {
    return isSeq(n) ? n.items.flatMap((i) => this.node(i) ?? []) : [];
  }

  source(n: Node, extra: Partial<ImageSource> = {}): ImageSource {
    const [start = 0, end = start + 1] = n.range ?? [];
    const from = this.lines.linePos(start);
    // the value's last character (a block scalar's range takes its line break too)
    const to = this.lines.linePos(Math.max(start, end - 1));
    return { file: this.file, line: from.line, endLine: to.line, column: from.col, ...extra, ...(this.template !== undefined && { template: this.template }) };
  }

  /** The Kubernetes objects of a document: the object itself, or each of a List's items (kubectl's `kind: List`, `DeploymentList`, …). */
  objects(n: Node | undefined): YAMLMap[] {
    if (!isMap(n)) return [];
    const kind = this.text(this.get(n, 'kind')) ?? '';
    const items = this.get(n, 'items');
    if (kind.endsWith('List') && isSeq(items)) return this.items(items).flatMap((i) => this.objects(i));
    return [n];
  }

  /** The pod spec of a workload: Pod's spec, CronJob's job template's, and every other object's spec.template.spec. */
  podSpec(obj: YAMLMap, kind: string): Node | undefined {
    const spec = this.get(obj, 'spec');
    if (kind === 'Pod') return spec;
    return [this.path(spec, 'template', 'spec'), this.path(spec, 'jobTemplate', 'spec', 'template', 'spec')].find(isMap);
  }

  placement(spec: Node | undefined): PodPlacement {
    const selector = this.get(spec, 'nodeSelector');
    const nodeSelector: Record<string, string> = {};
    if (isMap(selector)) {
      for (const p of selector.items) {
        const key = this.text(this.node(p.key));
        if (key !== undefined) nodeSelector[key] = this.text(this.node(p.value)) ?? '';
      }
    }
    const terms = this.path(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
    const requiredTerms = this.items(terms).map((term) =>
      this.items(this.get(term, 'matchExpressions')).map(
        (e): NodeSelectorRequirement => ({
          key: this.text(this.get(e, 'key')) ?? '',
          operator: this.text(this.get(e, 'operator')) ?? '',
          values: this.items(this.get(e, 'values')).flatMap((v) => this.text(v) ?? []),
        }),
      ),
    );
    const tolerations = this.items(this.get(spec, 'tolerations')).map((t) => {
      const toleration: Toleration = {};
      for (const field of ['key', 'operator', 'value', 'effect'] as const) {
        const v = this.text(this.get(t, field));
        if (v !== undefined) toleration[field] = v;
      }
      return toleration;
    });
    return { nodeSelector, requiredTerms, tolerations };
  }

  workload(obj: YAMLMap): ParsedManifest {
    const kind = this.text(this.get(obj, 'kind')) ?? '';
    const spec = this.podSpec(obj, kind);
    if (!isMap(spec)) return { workloads: [], images: [] };
    const metadata = this.get(obj, 'metadata');
    const name = this.text(this.get(metadata, 'name')) ?? this.text(this.get(metadata, 'generateName')) ?? '';
    const label = `${kind || 'object'}/${name}`;
    const workload: Workload = {
      kind,
      name,
      source: this.source(obj, { workload: label }),
      placement: this.placement(spec),
      imagePullSecrets: this.items(this.get(spec, 'imagePullSecrets')).flatMap((s) => this.text(this.get(s, 'name')) ?? []),
    };
    const namespace = this.text(this.get(metadata, 'namespace'));
    if (namespace !== undefined) workload.namespace = namespace;
    const serviceAccount = this.text(this.get(spec, 'serviceAccountName')) ?? this.text(this.get(spec, 'serviceAccount'));
    if (serviceAccount !== undefined) workload.serviceAccountName = serviceAccount;
    const written = (a: ImageFound, b: ImageFound) => a.use.source.line - b.use.source.line || (a.use.source.column ?? 0) - (b.use.source.column ?? 0);
    const images = CONTAINER_KINDS.flatMap((containerKind) =>
      this.items(this.get(spec, containerKind)).flatMap((c): ImageFound[] => {
        const value = this.get(c, 'image');
        if (!isScalar(value)) return [];
        const container = this.text(this.get(c, 'name')) ?? '';
        return [{ image: (this.text(value) ?? '').trim(), use: { source: this.source(value, { workload: label, container }), workload, container, containerKind } }];
      }),
    );
    return { workloads: [workload], images: images.sort(written) };
  }
}

/** The `# Source:` name helm template writes before a document, if any. */
function helmTemplate(doc: Document): string | undefined {
  const comments = [doc.commentBefore, isMap(doc.contents) || isSeq(doc.contents) || isScalar(doc.contents) ? doc.contents.commentBefore : undefined];
  for (const c of comments) {
    const m = c ? HELM_SOURCE.exec(c) : null;
    if (m?.[1]) return m[1].trim();
  }
  return undefined;
}

/**
 * Every workload of one manifest file and every image its pod specs name, in the order they are
 * written. A document that is not a workload (ConfigMap, Service, a CRD, …) gives nothing. Throws an
 * InputError naming file:line:column when the text is not YAML (or JSON).
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, merge: true, prettyErrors: false });
  const all = Array.isArray(docs) ? docs : [];
  const broken = all.flatMap((d) => d.errors)[0];
  if (broken) {
    const at = lines.linePos(broken.pos[0]);
    throw manifestError(file, at, `not valid YAML (or JSON): ${broken.message}`);
  }
  const parsed = all.flatMap((doc) => {
    const reader = new Reader(doc, lines, file, helmTemplate(doc));
    return reader.objects(reader.node(doc.contents)).map((obj) => reader.workload(obj));
  });
  return { workloads: parsed.flatMap((p) => p.workloads), images: parsed.flatMap((p) => p.images) };
}
