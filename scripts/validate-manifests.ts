/**
 * Validates the Kubernetes manifests offline (`npm run manifests:check [-- <dir>]`, default
 * `deploy/kubernetes`): every YAML document against the Kubernetes OpenAPI schemas that
 * kubernetes-models compiles into its model classes, plus a check those schemas cannot make
 * (unknown or misspelled fields, since Kubernetes' schemas allow additional properties), and every
 * kustomization rendered with kustomize's rules and validated as it would be applied.
 *
 * Unknown fields: kubernetes-models ships its schemas as ajv-compiled validators, not as data.
 * Such a validator reads every property its schema declares (`data.replicas`, present or not) and
 * every key of a map (`labels`, `data`, `resources.limits`), and nothing else. So the model's own
 * `validate()` runs on a proxy that records which keys it read, and a key the validator never read
 * is a field the schema does not know. An object whose schema declares no properties at all (free
 * form, e.g. `RawExtension`) is read not at all, and is left alone.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Manifest = Record<string, unknown>;

/** A problem that stops a file from being read or rendered, with the file it is in. */
export class ManifestFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ManifestProblem {
  /** File (relative to the checked folder) and, for a rendered object, the kustomization. */
  readonly source: string;
  /** `kind/name`, when known. */
  readonly object: string;
  readonly message: string;
}

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: Manifest): { validate(): void };
}

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

const API_VERSION = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\/)?v\d+(?:(?:alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function isRecord(value: unknown): value is Manifest {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(manifest: unknown): string {
  if (!isRecord(manifest)) return '(not an object)';
  const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
  return `${String(manifest.kind)}/${String(metadata.name)}`;
}

/** The model class kubernetes-models has for this apiVersion and kind, if any. */
function findModel(apiVersion: unknown, kind: unknown): ModelClass | string {
  if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) {
    return `unknown apiVersion ${JSON.stringify(apiVersion)}`;
  }
  if (typeof kind !== 'string' || !KIND.test(kind)) return `unknown kind ${JSON.stringify(kind)}`;
  let group: Record<string, unknown>;
  try {
    // The package's exports map has one entry point per group/version (`kubernetes-models/apps/v1`);
    // a dynamic require, as the group comes from the manifest.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    group = require(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
  } catch {
    return `unknown apiVersion ${apiVersion}`;
  }
  const model = group[kind];
  // Sub-types (DeploymentSpec) are exported too but carry no apiVersion/kind of their own.
  if (!isModelClass(model) || model.kind !== kind || model.apiVersion !== apiVersion) {
    return `unknown kind ${kind} in ${apiVersion}`;
  }
  return model;
}

function isModelClass(value: unknown): value is ModelClass {
  return typeof value === 'function' && 'kind' in value && 'apiVersion' in value;
}

/** Wraps `root` so that every property read through it, at any depth, is recorded. */
function trackReads(root: object): { proxy: object; reads: WeakMap<object, Set<string>> } {
  const reads = new WeakMap<object, Set<string>>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = proxies.get(value);
    if (known) return known;
    const seen = new Set<string>();
    reads.set(value, seen);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') seen.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(root) as object, reads };
}

function findUnread(
  value: unknown,
  reads: WeakMap<object, Set<string>>,
  path: string,
  found: string[],
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => findUnread(item, reads, `${path}[${index}]`, found));
    return;
  }
  if (!isRecord(value)) return;
  const seen = reads.get(value);
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    if (seen && seen.size > 0 && !seen.has(key)) found.push(childPath);
    else findUnread(child, reads, childPath, found);
  }
}

function formatAjvError(error: AjvError): string {
  const at = error.instancePath ? error.instancePath.replaceAll('/', '.') : '(root)';
  const params = error.params ? ` ${JSON.stringify(error.params)}` : '';
  return `${at}: ${error.keyword}${params}`;
}

/**
 * Problems of one Kubernetes object: unknown apiVersion or kind, schema violations (types,
 * required fields, enums, formats) and unknown fields.
 */
export function validateObject(manifest: unknown): string[] {
  if (!isRecord(manifest)) return ['a manifest must be a mapping'];
  const model = findModel(manifest.apiVersion, manifest.kind);
  if (typeof model === 'string') return [model];
  const instance = new model(manifest);
  const { proxy, reads } = trackReads(instance);
  const problems: string[] = [];
  try {
    // The model's own validate(), run with the recording proxy as `this`.
    instance.validate.call(proxy);
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!errors) throw error;
    problems.push(...errors.map(formatAjvError));
  }
  const unread: string[] = [];
  findUnread(instance, reads, '', unread);
  problems.push(...unread.map((path) => `${path}: unknown field`));
  return problems;
}

// ---- kustomize: the builtin transformers this project's kustomizations use, in kustomize's order

const KUSTOMIZATION_FIELDS: Record<string, (value: unknown) => boolean> = {
  apiVersion: (v) => v === 'kustomize.config.k8s.io/v1beta1',
  kind: (v) => v === 'Kustomization',
  resources: (v) => Array.isArray(v) && v.every((item) => typeof item === 'string'),
  namespace: (v) => typeof v === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v),
  labels: (v) =>
    Array.isArray(v) &&
    v.every(
      (item) =>
        isRecord(item) &&
        Object.keys(item).every((key) =>
          ['pairs', 'includeSelectors', 'includeTemplates'].includes(key),
        ) &&
        isStringMap(item.pairs) &&
        ['undefined', 'boolean'].includes(typeof item.includeSelectors) &&
        ['undefined', 'boolean'].includes(typeof item.includeTemplates),
    ),
  commonLabels: (v) => isStringMap(v),
  images: (v) =>
    Array.isArray(v) &&
    v.every(
      (item) =>
        isRecord(item) &&
        typeof item.name === 'string' &&
        Object.entries(item).every(
          ([key, value]) =>
            ['name', 'newName', 'newTag', 'digest'].includes(key) && typeof value === 'string',
        ),
    ),
  replicas: (v) =>
    Array.isArray(v) &&
    v.every(
      (item) =>
        isRecord(item) &&
        Object.keys(item).every((key) => ['name', 'count'].includes(key)) &&
        typeof item.name === 'string' &&
        Number.isInteger(item.count),
    ),
  patches: (v) =>
    Array.isArray(v) &&
    v.every(
      (item) =>
        isRecord(item) &&
        Object.keys(item).every((key) => ['path', 'patch'].includes(key)) &&
        (typeof item.path === 'string') !== (typeof item.patch === 'string'),
    ),
};

function isStringMap(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((item) => typeof item === 'string');
}

/** Kinds the namespace transformer leaves without a namespace (those this project could meet). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'IngressClass',
]);

/** kustomize's field specs: where a kind keeps its pod template and its selector. */
const TEMPLATE_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'template']],
  ReplicaSet: [['spec', 'template']],
  DaemonSet: [['spec', 'template']],
  StatefulSet: [['spec', 'template']],
  Job: [['spec', 'template']],
  CronJob: [
    ['spec', 'jobTemplate'],
    ['spec', 'jobTemplate', 'spec', 'template'],
  ],
};
const SELECTOR_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'selector', 'matchLabels']],
  ReplicaSet: [['spec', 'selector', 'matchLabels']],
  DaemonSet: [['spec', 'selector', 'matchLabels']],
  StatefulSet: [['spec', 'selector', 'matchLabels']],
  Service: [['spec', 'selector']],
  PodDisruptionBudget: [['spec', 'selector', 'matchLabels']],
  NetworkPolicy: [['spec', 'podSelector', 'matchLabels']],
};
const REPLICATED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** The mapping at `path`, created (as kustomize's `create: true` field specs do) when missing. */
function mapAt(root: Manifest, path: string[], create: boolean): Manifest | undefined {
  let node: Manifest = root;
  for (const key of path) {
    const next = node[key];
    if (isRecord(next)) node = next;
    else if (next === undefined && create) node = node[key] = {};
    else return undefined;
  }
  return node;
}

function addLabels(
  resource: Manifest,
  pairs: Record<string, string>,
  templates: boolean,
  selectors: boolean,
): void {
  Object.assign(mapAt(resource, ['metadata', 'labels'], true) ?? {}, pairs);
  const kind = String(resource.kind);
  if (templates || selectors) {
    for (const path of TEMPLATE_PATHS[kind] ?? []) {
      if (mapAt(resource, path, false)) {
        Object.assign(mapAt(resource, [...path, 'metadata', 'labels'], true) ?? {}, pairs);
      }
    }
  }
  if (selectors) {
    for (const path of SELECTOR_PATHS[kind] ?? []) {
      const selector = mapAt(resource, path, kind !== 'Service');
      if (selector) Object.assign(selector, pairs);
    }
  }
}

/** Splits `name[:tag][@digest]` the way kustomize's image transformer does. */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@', 2) as [string, string | undefined];
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon > rest.lastIndexOf('/')) {
    return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  }
  return { name: rest, digest };
}

function setImages(node: unknown, images: Array<Record<string, string>>): void {
  if (Array.isArray(node)) {
    node.forEach((item) => setImages(item, images));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (
      ['containers', 'initContainers', 'ephemeralContainers'].includes(key) &&
      Array.isArray(value)
    ) {
      for (const container of value) {
        if (!isRecord(container) || typeof container.image !== 'string') continue;
        const current = splitImage(container.image);
        const rule = images.find((image) => image.name === current.name);
        if (!rule) continue;
        const name = rule.newName ?? current.name;
        if (rule.digest) container.image = `${name}@${rule.digest}`;
        else if (rule.newTag) container.image = `${name}:${rule.newTag}`;
        else {
          const tag = current.tag ? `:${current.tag}` : '';
          container.image = `${name}${tag}${current.digest ? `@${current.digest}` : ''}`;
        }
      }
    }
    setImages(value, images);
  }
}

/**
 * Merge keys of the strategic merge patch lists this project patches (from the Kubernetes API's
 * `x-kubernetes-patch-merge-key`); any other list is replaced whole, as an atomic list is.
 */
function mergeKeyOf(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      // Container ports merge on containerPort, Service ports on port.
      return items.some((item) => isRecord(item) && 'containerPort' in item)
        ? 'containerPort'
        : 'port';
    default:
      return undefined;
  }
}

/** Strategic merge: mappings merge key by key (null deletes), keyed lists merge by key. */
export function strategicMerge(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch)) {
    const key = mergeKeyOf(field, [...(Array.isArray(target) ? target : []), ...patch]);
    if (!key || !Array.isArray(target)) return structuredClone(patch);
    const keyOf = (item: unknown): unknown => (isRecord(item) ? item[key] : undefined);
    const patched = new Set(patch.map(keyOf));
    // kustomize's order: the patch's items first (merged into their match), then the rest.
    return [
      ...patch.map((item) =>
        strategicMerge(
          target.find((existing) => keyOf(existing) === keyOf(item)),
          item,
          field,
        ),
      ),
      ...target.filter((existing) => !patched.has(keyOf(existing))),
    ];
  }
  if (!isRecord(patch)) return patch;
  const result: Manifest = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`patch directive ${key} is not supported here`);
    if (value === null) delete result[key];
    else result[key] = strategicMerge(result[key], value, key);
  }
  return result;
}

function sameObject(a: Manifest, b: Manifest): boolean {
  const name = (m: Manifest): unknown => (isRecord(m.metadata) ? m.metadata.name : undefined);
  return a.apiVersion === b.apiVersion && a.kind === b.kind && name(a) === name(b);
}

export interface RenderedObject {
  readonly manifest: Manifest;
  /** The file the object came from, relative to the checked folder. */
  readonly file: string;
}

export interface Rendering {
  readonly objects: RenderedObject[];
  /** Every file the kustomization read, relative to the checked folder. */
  readonly files: Set<string>;
  readonly patches: Set<string>;
}

function parseYaml(text: string, where: string): unknown[] {
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  return list.flatMap((document) => {
    const error = document.errors[0];
    if (error) throw new ManifestFileError(where, error.message);
    const value: unknown = document.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

function loadYaml(path: string, root: string): unknown[] {
  return parseYaml(readFileSync(path, 'utf8'), relative(root, path));
}

export function kustomizationFile(directory: string): string | undefined {
  return KUSTOMIZATION_FILES.map((name) => join(directory, name)).find((path) => existsSync(path));
}

/**
 * Renders the kustomization in `directory` as `kubectl kustomize` would, for the fields listed in
 * KUSTOMIZATION_FIELDS; any other field is an error rather than silently ignored.
 */
export function renderKustomization(directory: string, root = directory): Rendering {
  const file = kustomizationFile(directory);
  if (!file) throw new ManifestFileError(relative(root, directory) || '.', 'no kustomization.yaml');
  const [spec, ...extra] = loadYaml(file, root);
  const where = relative(root, file);
  if (!isRecord(spec) || extra.length > 0)
    throw new ManifestFileError(where, `one mapping expected`);
  for (const [key, value] of Object.entries(spec)) {
    const check = KUSTOMIZATION_FIELDS[key];
    if (!check) throw new ManifestFileError(where, `unknown or unsupported field ${key}`);
    if (!check(value)) throw new ManifestFileError(where, `invalid ${key}`);
  }
  const files = new Set([where]);
  const patchFiles = new Set<string>();
  let objects: RenderedObject[] = [];
  for (const entry of (spec.resources as string[] | undefined) ?? []) {
    const path = resolve(directory, entry);
    if (/^[a-z]+:\/\//.test(entry) || !existsSync(path)) {
      throw new ManifestFileError(where, `resource ${entry} is not a local file or folder`);
    }
    if (statSync(path).isDirectory()) {
      const nested = renderKustomization(path, root);
      nested.files.forEach((name) => files.add(name));
      nested.patches.forEach((name) => patchFiles.add(name));
      objects.push(...nested.objects);
    } else {
      files.add(relative(root, path));
      for (const manifest of loadYaml(path, root)) {
        if (!isRecord(manifest))
          throw new ManifestFileError(relative(root, path), 'a mapping expected');
        objects.push({ manifest, file: relative(root, path) });
      }
    }
  }
  for (const object of objects) {
    if (objects.filter((other) => sameObject(other.manifest, object.manifest)).length > 1) {
      throw new ManifestFileError(where, `${describe(object.manifest)} is defined more than once`);
    }
  }
  objects = objects.map((object) => ({ ...object, manifest: structuredClone(object.manifest) }));

  // kustomize's builtin order: patches, namespace, labels, replicas, images.
  for (const entry of (spec.patches as Array<Record<string, string>> | undefined) ?? []) {
    const patchPath = entry.path ? resolve(directory, entry.path) : undefined;
    if (patchPath) {
      patchFiles.add(relative(root, patchPath));
      files.add(relative(root, patchPath));
    }
    const patches = patchPath ? loadYaml(patchPath, root) : parseYaml(entry.patch ?? '', where);
    for (const patch of patches) {
      if (!isRecord(patch)) throw new ManifestFileError(where, `a patch must be a mapping`);
      const targets = objects.filter((object) => sameObject(object.manifest, patch));
      if (targets.length !== 1) {
        throw new ManifestFileError(where, `no unique target for the patch of ${describe(patch)}`);
      }
      const [target] = targets as [RenderedObject];
      let manifest: Manifest;
      try {
        manifest = strategicMerge(target.manifest, patch) as Manifest;
      } catch (error) {
        const file = patchPath ? relative(root, patchPath) : where;
        throw new ManifestFileError(file, (error as Error).message);
      }
      objects[objects.indexOf(target)] = { ...target, manifest };
    }
  }
  if (typeof spec.namespace === 'string') {
    for (const { manifest } of objects) {
      if (CLUSTER_SCOPED.has(String(manifest.kind))) continue;
      (mapAt(manifest, ['metadata'], true) ?? {}).namespace = spec.namespace;
    }
  }
  if (spec.commonLabels) {
    for (const { manifest } of objects) {
      addLabels(manifest, spec.commonLabels as Record<string, string>, true, true);
    }
  }
  for (const label of (spec.labels as Manifest[] | undefined) ?? []) {
    for (const { manifest } of objects) {
      addLabels(
        manifest,
        label.pairs as Record<string, string>,
        label.includeTemplates === true,
        label.includeSelectors === true,
      );
    }
  }
  for (const { name, count } of (spec.replicas as Array<{ name: string; count: number }>) ?? []) {
    for (const { manifest } of objects) {
      if (REPLICATED.has(String(manifest.kind)) && describe(manifest).endsWith(`/${name}`)) {
        (mapAt(manifest, ['spec'], true) ?? {}).replicas = count;
      }
    }
  }
  const images = (spec.images as Array<Record<string, string>> | undefined) ?? [];
  if (images.length > 0) objects.forEach(({ manifest }) => setImages(manifest, images));
  return { objects, files, patches: patchFiles };
}

// ---- references between the objects of one rendering, which no schema sees

interface PodTemplate {
  readonly owner: string;
  readonly labels: Record<string, string>;
  readonly containers: Manifest[];
}

function podTemplates(objects: Manifest[]): PodTemplate[] {
  return objects.flatMap((manifest) => {
    const paths = TEMPLATE_PATHS[String(manifest.kind)] ?? [];
    return paths.flatMap((path) => {
      const template = mapAt(manifest, path, false);
      const spec = template && isRecord(template.spec) ? template.spec : undefined;
      if (!template || !spec || !Array.isArray(spec.containers)) return [];
      const metadata = isRecord(template.metadata) ? template.metadata : {};
      return [
        {
          owner: describe(manifest),
          labels: isStringMap(metadata.labels) ? metadata.labels : {},
          containers: spec.containers.filter(isRecord),
        },
      ];
    });
  });
}

function selects(selector: unknown, labels: Record<string, string>): boolean {
  return isStringMap(selector) && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function portNames(containers: Manifest[]): Set<string> {
  return new Set(
    containers.flatMap((container) =>
      (Array.isArray(container.ports) ? container.ports : []).flatMap((port) =>
        isRecord(port) && typeof port.name === 'string' ? [port.name] : [],
      ),
    ),
  );
}

/**
 * Problems between objects of one rendering: a selector that selects no pod template, a named port
 * no selected container declares, a ConfigMap or autoscaling target that is not rendered. Secrets
 * are left out: they are created apart from the manifests.
 */
export function checkReferences(objects: Manifest[]): Array<{ object: string; message: string }> {
  const problems: Array<{ object: string; message: string }> = [];
  const templates = podTemplates(objects);
  const exists = (kind: string, name: unknown): boolean =>
    objects.some((m) => m.kind === kind && isRecord(m.metadata) && m.metadata.name === name);
  for (const template of templates) {
    const names = portNames(template.containers);
    for (const container of template.containers) {
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const handler = isRecord(container[probe]) ? container[probe] : {};
        for (const action of ['httpGet', 'tcpSocket', 'grpc']) {
          const port = isRecord(handler[action]) ? handler[action].port : undefined;
          if (typeof port === 'string' && !names.has(port)) {
            problems.push({
              object: template.owner,
              message: `${probe}: no container port named ${port}`,
            });
          }
        }
      }
      const refs = [
        ...(Array.isArray(container.envFrom) ? container.envFrom : []).map((from) =>
          isRecord(from) ? from.configMapRef : undefined,
        ),
        ...(Array.isArray(container.env) ? container.env : []).map((env) =>
          isRecord(env) && isRecord(env.valueFrom) ? env.valueFrom.configMapKeyRef : undefined,
        ),
      ];
      for (const ref of refs) {
        if (isRecord(ref) && ref.optional !== true && !exists('ConfigMap', ref.name)) {
          problems.push({ object: template.owner, message: `no ConfigMap ${String(ref.name)}` });
        }
      }
    }
  }
  for (const manifest of objects) {
    const spec = isRecord(manifest.spec) ? manifest.spec : {};
    const selector = (() => {
      switch (manifest.kind) {
        case 'Service':
          return spec.selector;
        case 'PodDisruptionBudget':
        case 'Deployment':
          return isRecord(spec.selector) ? spec.selector.matchLabels : undefined;
        case 'NetworkPolicy':
          return isRecord(spec.podSelector) ? spec.podSelector.matchLabels : undefined;
        default:
          return undefined;
      }
    })();
    if (selector !== undefined) {
      const selected = templates.filter((template) => selects(selector, template.labels));
      if (selected.length === 0) {
        problems.push({
          object: describe(manifest),
          message: 'its selector selects no pod template',
        });
      }
      if (manifest.kind === 'Deployment' && !selected.some((t) => t.owner === describe(manifest))) {
        problems.push({
          object: describe(manifest),
          message: 'its selector does not select its own template',
        });
      }
      if (manifest.kind === 'Service' && Array.isArray(spec.ports) && selected.length > 0) {
        const names = portNames(selected.flatMap((template) => template.containers));
        for (const port of spec.ports) {
          if (
            isRecord(port) &&
            typeof port.targetPort === 'string' &&
            !names.has(port.targetPort)
          ) {
            problems.push({
              object: describe(manifest),
              message: `no container port named ${port.targetPort}`,
            });
          }
        }
      }
    }
    if (manifest.kind === 'HorizontalPodAutoscaler' && isRecord(spec.scaleTargetRef)) {
      const target = spec.scaleTargetRef;
      if (!exists(String(target.kind), target.name)) {
        problems.push({
          object: describe(manifest),
          message: `no ${String(target.kind)} ${String(target.name)} to scale`,
        });
      }
    }
  }
  return problems;
}

function yamlFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry.name) || entry.name === 'Kustomization' ? [path] : [];
    })
    .sort();
}

/** The patch files a kustomization names, read even when it cannot be rendered. */
function declaredPatches(file: string, root: string): string[] {
  try {
    const [spec] = loadYaml(file, root);
    const patches = isRecord(spec) && Array.isArray(spec.patches) ? spec.patches : [];
    return patches.flatMap((entry) =>
      isRecord(entry) && typeof entry.path === 'string'
        ? [relative(root, resolve(dirname(file), entry.path))]
        : [],
    );
  } catch {
    return [];
  }
}

export interface ValidationReport {
  readonly problems: ManifestProblem[];
  /** Objects validated, as files plus the objects of each rendered kustomization. */
  readonly checked: number;
  readonly files: number;
  readonly kustomizations: string[];
}

/**
 * Checks every YAML file under `directory`: each kustomization is rendered and what it renders is
 * validated; each other file's documents are validated as they stand, except patches, which are
 * partial objects and are validated as part of what they patch.
 */
export function validateManifests(directory: string): ValidationReport {
  const problems: ManifestProblem[] = [];
  const files = yamlFiles(directory);
  const isKustomization = (path: string): boolean =>
    KUSTOMIZATION_FILES.some((name) => path.endsWith(`/${name}`));
  const patches = new Set<string>();
  const kustomizations: string[] = [];
  let checked = 0;
  for (const file of files.filter(isKustomization)) {
    const where = relative(directory, file);
    kustomizations.push(dirname(where));
    try {
      const rendering = renderKustomization(dirname(file), directory);
      rendering.patches.forEach((patch) => patches.add(patch));
      for (const { object, message } of checkReferences(rendering.objects.map((o) => o.manifest))) {
        problems.push({ source: where, object, message });
      }
      for (const { manifest, file: origin } of rendering.objects) {
        checked += 1;
        for (const message of validateObject(manifest)) {
          problems.push({
            source: `${origin} (rendered by ${where})`,
            object: describe(manifest),
            message,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof ManifestFileError)) throw error;
      declaredPatches(file, directory).forEach((patch) => patches.add(patch));
      const source = error.file === where ? where : `${error.file} (rendered by ${where})`;
      problems.push({ source, object: '-', message: error.message });
    }
  }
  for (const file of files.filter((path) => !isKustomization(path))) {
    const where = relative(directory, file);
    if (patches.has(where)) continue;
    let documents: unknown[];
    try {
      documents = loadYaml(file, directory);
    } catch (error) {
      if (!(error instanceof ManifestFileError)) throw error;
      problems.push({ source: where, object: '-', message: error.message });
      continue;
    }
    for (const manifest of documents) {
      checked += 1;
      for (const message of validateObject(manifest)) {
        problems.push({ source: where, object: describe(manifest), message });
      }
    }
  }
  return { problems, checked, files: files.length, kustomizations };
}

function main(): void {
  const directory = resolve(process.argv[2] ?? join(__dirname, '..', 'deploy', 'kubernetes'));
  const report = validateManifests(directory);
  for (const problem of report.problems) {
    console.error(`${problem.source}: ${problem.object}: ${problem.message}`);
  }
  const summary =
    `${report.files} files, ${report.checked} objects (kustomizations rendered: ` +
    `${report.kustomizations.join(', ') || 'none'})`;
  if (report.problems.length > 0) {
    console.error(`manifests: ${report.problems.length} problems in ${summary}`);
    process.exitCode = 1;
  } else {
    console.log(`manifests: valid: ${summary}`);
  }
}

if (require.main === module) main();
