import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import {
  checkReferences,
  type Manifest,
  renderKustomization,
  validateManifests,
  validateObject,
} from '../../scripts/validate-manifests';

const MANIFESTS = join(__dirname, '..', '..', 'deploy', 'kubernetes');
const OVERLAY = join(MANIFESTS, 'overlays', 'example');

function baseDeployment(): Manifest {
  return parse(readFileSync(join(MANIFESTS, 'base', 'deployment.yaml'), 'utf8')) as Manifest;
}

function withKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe(validateObject.name, () => {
  it('should accept the base Deployment', async () => {
    await expect(Promise.resolve(validateObject(baseDeployment()))).resolves.toEqual([]);
  });

  it.each([
    [
      'a misspelled field',
      (d: Manifest) => Object.assign(d.spec as Manifest, { replica: 3 }),
      '.spec.replica: unknown field',
    ],
    [
      'a misspelled field deep in the pod template',
      (d: Manifest) =>
        Object.assign(((d.spec as Manifest).template as Manifest).spec as Manifest, {
          terminationGracePeriod: 45,
        }),
      '.spec.template.spec.terminationGracePeriod: unknown field',
    ],
    [
      'a wrong type',
      (d: Manifest) => Object.assign(d.spec as Manifest, { replicas: 'three' }),
      '.spec.replicas: type {"type":"integer"}',
    ],
    [
      'a missing required field',
      (d: Manifest) => delete (d.spec as Manifest).selector,
      '.spec: required {"missingProperty":"selector"}',
    ],
    [
      'an unknown kind',
      (d: Manifest) => Object.assign(d, { kind: 'Deploymnet' }),
      'unknown kind Deploymnet in apps/v1',
    ],
    [
      'an unknown apiVersion',
      (d: Manifest) => Object.assign(d, { apiVersion: 'apps/v9' }),
      'unknown apiVersion apps/v9',
    ],
    [
      'a kind from another apiVersion',
      (d: Manifest) => Object.assign(d, { apiVersion: 'batch/v1' }),
      'unknown kind Deployment in batch/v1',
    ],
  ])('should reject %s', async (_case, mutate, problem) => {
    const deployment = baseDeployment();
    mutate(deployment);
    await expect(Promise.resolve(validateObject(deployment))).resolves.toContain(problem);
  });

  it('should accept any key in a map (labels, ConfigMap data)', async () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'example.com/anything': 'yes' } },
      data: { ANY_KEY: 'value' },
    };
    await expect(Promise.resolve(validateObject(configMap))).resolves.toEqual([]);
  });
});

describe(renderKustomization.name, () => {
  const rendered = renderKustomization(OVERLAY).objects.map((object) => object.manifest);
  const find = (kind: string, name: string): Manifest => {
    const found = rendered.find((m) => m.kind === kind && (m.metadata as Manifest).name === name);
    if (!found) throw new Error(`${kind}/${name} not rendered`);
    return found;
  };

  it('should apply the overlay: namespace, image, config patch, labels outside selectors', async () => {
    const deployment = find('Deployment', 'tessera');
    const pod = (deployment.spec as Manifest).template as Manifest;
    const [container] = (pod.spec as Manifest).containers as Manifest[];
    const [jobContainer] = (
      ((find('Job', 'tessera-migrate').spec as Manifest).template as Manifest).spec as Manifest
    ).containers as Manifest[];
    await expect(
      Promise.resolve({
        namespaces: [
          ...new Set(rendered.map((m) => (m.metadata as Manifest).namespace ?? '(cluster)')),
        ],
        image: container?.image,
        jobImage: jobContainer?.image,
        config: find('ConfigMap', 'tessera').data,
        templateLabels: (pod.metadata as Manifest).labels,
        selector: (deployment.spec as Manifest).selector,
      }),
    ).resolves.toMatchObject({
      namespaces: ['(cluster)', 'tessera'],
      image: 'registry.example.com/tessera:0.1.0',
      jobImage: 'registry.example.com/tessera:0.1.0',
      config: { ISSUER: 'https://id.example.org', PORT: '3000', SHUTDOWN_DELAY_SECONDS: '5' },
      templateLabels: {
        'app.kubernetes.io/name': 'tessera',
        'app.kubernetes.io/part-of': 'tessera',
        'app.kubernetes.io/instance': 'tessera-example',
      },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'tessera' } },
    });
  });

  (withKubectl() ? it : it.skip)(
    'should render exactly what kubectl kustomize renders',
    async () => {
      for (const directory of [join(MANIFESTS, 'base'), OVERLAY]) {
        const theirs = parseAllDocuments(
          execFileSync('kubectl', ['kustomize', directory], { encoding: 'utf8' }),
        ) as Array<{ toJS(): Manifest }>;
        const ours = renderKustomization(directory).objects.map((o) => o.manifest);
        const key = (m: Manifest): string =>
          `${String(m.kind)}/${String((m.metadata as Manifest).name)}`;
        const byKey = new Map(theirs.map((d) => [key(d.toJS()), d.toJS()]));
        const differing = ours
          .filter((m) => !isDeepStrictEqual(JSON.parse(JSON.stringify(m)), byKey.get(key(m))))
          .map(key);
        await expect(Promise.resolve({ count: ours.length, differing })).resolves.toEqual({
          count: byKey.size,
          differing: [],
        });
      }
    },
  );
});

describe(checkReferences.name, () => {
  it('should accept the rendered overlay', async () => {
    const objects = renderKustomization(OVERLAY).objects.map((o) => o.manifest);
    await expect(Promise.resolve(checkReferences(objects))).resolves.toEqual([]);
  });

  it('should reject a probe on an undeclared port and a selector that selects nothing', async () => {
    const objects = renderKustomization(OVERLAY).objects.map((o) => o.manifest);
    const deployment = objects.find((m) => m.kind === 'Deployment') as Manifest;
    const pod = ((deployment.spec as Manifest).template as Manifest).spec as Manifest;
    const [container] = pod.containers as Manifest[];
    ((container?.livenessProbe as Manifest).httpGet as Manifest).port = 'htttp';
    const service = objects.find((m) => m.kind === 'Service') as Manifest;
    (service.spec as Manifest).selector = { 'app.kubernetes.io/name': 'tesera' };
    await expect(Promise.resolve(checkReferences(objects))).resolves.toEqual([
      { object: 'Deployment/tessera', message: 'livenessProbe: no container port named htttp' },
      { object: 'Service/tessera', message: 'its selector selects no pod template' },
    ]);
  });
});

describe(validateManifests.name, () => {
  let copy: string;

  beforeEach(() => {
    copy = mkdtempSync(join(tmpdir(), 'tessera-manifests-'));
    cpSync(MANIFESTS, copy, { recursive: true });
  });

  afterEach(() => rmSync(copy, { recursive: true, force: true }));

  it('should accept the real manifests, rendering the base and the example overlay', async () => {
    const report = validateManifests(MANIFESTS);
    await expect(Promise.resolve(report)).resolves.toMatchObject({
      problems: [],
      kustomizations: ['base', 'overlays/example'],
    });
    expect(report.checked).toBeGreaterThan(15);
  });

  it('should reject a misspelled field that only a patch brings in', async () => {
    const patch = join(copy, 'overlays', 'example', 'deployment-patch.yaml');
    writeFileSync(
      patch,
      readFileSync(patch, 'utf8').replace(
        '- name: tessera',
        '- name: tessera\n          imagePullPolcy: Always',
      ),
    );
    await expect(Promise.resolve(validateManifests(copy).problems)).resolves.toEqual([
      {
        source: 'base/deployment.yaml (rendered by overlays/example/kustomization.yaml)',
        object: 'Deployment/tessera',
        message: '.spec.template.spec.containers[0].imagePullPolcy: unknown field',
      },
    ]);
  });

  it('should reject an unknown kustomization field and a duplicate key', async () => {
    const kustomization = join(copy, 'overlays', 'example', 'kustomization.yaml');
    writeFileSync(
      kustomization,
      readFileSync(kustomization, 'utf8').replace('namespace: tessera', 'namespaces: tessera'),
    );
    const service = join(copy, 'base', 'service.yaml');
    writeFileSync(service, `${readFileSync(service, 'utf8')}kind: Service\n`);
    const messages = validateManifests(copy).problems.map((p) => `${p.source}: ${p.message}`);
    await expect(Promise.resolve(messages)).resolves.toEqual([
      expect.stringMatching(
        /^base\/service.yaml \(rendered by base\/kustomization.yaml\): Map keys must be unique/,
      ),
      'overlays/example/kustomization.yaml: unknown or unsupported field namespaces',
      expect.stringMatching(/^base\/service.yaml: Map keys must be unique/),
    ]);
  });
});
