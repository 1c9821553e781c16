import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config';
import { CONTAINER_HOME, CONTAINER_ROOT } from '../../../lib/containers/build-context';
import { lwpStreamArguments } from '../../../lib/inference/lwp-stream-job';
import {
  applyManifests,
  clusterResources,
  KUBERNETES_JOB_NAMES,
  KUBERNETES_JOBS,
  KUBERNETES_MASTER,
  kubernetesSparkSettings,
  manifestsYaml,
  renderManifests,
  requireSparkOperator,
  type Manifest,
} from '../../../lib/kubernetes';
import { configSparkSettings, kafkaConnectorJars, submitJobSparkConf } from '../../../lib/spark';
import { matchStatsArguments } from '../../../lib/streaming/match-stats-job';

const config = loadConfig();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-k8s-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

type Spec = Record<string, any>;
const application = (manifests: Manifest[]) => manifests.find((m) => m.kind === 'SparkApplication')! as Manifest & { spec: Spec };
const render = (job: (typeof KUBERNETES_JOB_NAMES)[number], mode: 'cpu' | 'gpu', executors: number) =>
  renderManifests(job, { root: config.root, home: config.home, mode, executors, bootstrap: 'kafka.streaming.svc:9092', run: 'run-1' });

/** A local path of the set-up, as the image has it. */
const inImage = (value: string) => value.split(config.home).join(CONTAINER_HOME).split(config.root).join(CONTAINER_ROOT);

describe('renderManifests', () => {
  for (const job of KUBERNETES_JOB_NAMES)
    for (const mode of ['cpu', 'gpu'] as const)
      for (const executors of [1, 5])
        it(`${job}, ${mode}, ${executors} executor(s): the Spark settings are submitJob's, for the image's paths`, () => {
          const manifests = render(job, mode, executors);
          const app = application(manifests);
          // What submitJob passes for this job (same profile, the job's own conf on a non-local master),
          // less the settings the config derives for this machine (UI port, driver address).
          const local = submitJobSparkConf({ ...config, mode }, KUBERNETES_JOBS[job].conf(KUBERNETES_MASTER));
          const machineOnly = Object.keys(configSparkSettings(config));
          const expected: Record<string, string> = { ...kubernetesSparkSettings(mode) };
          for (const [key, value] of Object.entries(local)) if (!machineOnly.includes(key)) expected[key] = inImage(value);
          expect(app.spec.sparkConf).toEqual(expected);
          expect(Object.values(app.spec.sparkConf).join('\n')).not.toMatch(/\{\{|\/work\/|\.pitchstream\/venv/);

          expect(app.spec.executor.instances).toBe(executors);
          expect(app.spec.executor.memory).toBe(local['spark.executor.memory']);
          expect(app.spec.driver.memory).toBe(local['spark.driver.memory']);
          expect(app.spec.mainApplicationFile).toBe(`local://${CONTAINER_ROOT}/jobs/${KUBERNETES_JOBS[job].job}.py`);
          if (mode === 'gpu') {
            expect(app.spec.image).toMatch(/pitchstream-spark-rapids:/);
            expect(app.spec.sparkConf['spark.plugins']).toBe('com.nvidia.spark.SQLPlugin');
            expect(app.spec.sparkConf['spark.executor.resource.gpu.discoveryScript']).toBe(`${CONTAINER_ROOT}/spark-rapids/getGpusResources.sh`);
            expect(app.spec.executor.gpu).toEqual({ name: 'nvidia.com/gpu', quantity: 1 });
            expect(app.spec.executor.cores).toBe(Number(local['spark.executor.cores']));
          } else {
            expect(app.spec.image).toMatch(/pitchstream-spark:/);
            expect(app.spec.sparkConf['spark.plugins']).toBeUndefined();
            expect(app.spec.executor.gpu).toBeUndefined();
          }
          // The jars the set-up installed, at the image's path.
          expect(app.spec.deps.jars.map((jar: string) => path.basename(jar))).toEqual(kafkaConnectorJars(config.home).map((jar) => path.basename(jar)));
          // Each volume the pods mount is claimed by the manifests, and the driver's account is bound to the Role.
          const claims = manifests.filter((m) => m.kind === 'PersistentVolumeClaim').map((m) => m.metadata.name);
          for (const volume of app.spec.volumes) expect(claims).toContain(volume.persistentVolumeClaim.claimName);
          const binding = manifests.find((m) => m.kind === 'RoleBinding') as Spec;
          expect(binding.subjects[0].name).toBe(app.spec.driver.serviceAccount);
        });

  it("gives each job the arguments its local starter builds, with the pods' folders", () => {
    const options = { bootstrap: 'kafka.streaming.svc:9092', topic: 'statsbomb-360-events' };
    expect(application(render('stats', 'cpu', 2)).spec.arguments).toEqual(matchStatsArguments(options, '/outputs/run-1'));
    expect(application(render('lwp', 'cpu', 2)).spec.arguments).toEqual(lwpStreamArguments({ ...options, modelDir: '/models/lwp_model' }, '/outputs/run-1'));
    const train = application(render('train', 'cpu', 2)).spec;
    expect(train.arguments.slice(0, 8)).toEqual(['--events', '/data/training/events', '--matches', '/data/training/matches.ndjson', '--model-dir', '/models/lwp_model', '--output-dir', '/outputs/run-1/training']);
    expect(train.restartPolicy).toEqual({ type: 'Never' });
    expect(application(render('stats', 'cpu', 2)).spec.restartPolicy.type).toBe('OnFailure');
  });

  it('prints YAML that reads back as the same objects, without anchors', () => {
    const manifests = render('lwp', 'gpu', 3);
    const text = manifestsYaml(manifests, 'header');
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parseAllDocuments(text).map((doc) => doc.toJS())).toEqual(JSON.parse(JSON.stringify(manifests)));
  });

  it('refuses bad options with CONFIG_INVALID, naming the option and the fix', () => {
    const base = { root: config.root, home: config.home, mode: 'cpu' as const, executors: 2, bootstrap: 'k:9092' };
    expect(() => renderManifests('train', { ...base, executors: 0 })).toThrow(/executors must be a whole number/);
    expect(() => renderManifests('stats', { ...base, bootstrap: undefined })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', fix: expect.stringMatching(/--bootstrap/) }));
    expect(() => renderManifests('train', { ...base, namespace: 'Not_A_Name' })).toThrow(/not a Kubernetes name/);
    expect(() => renderManifests('train', { ...base, run: '../up' })).toThrow(/not a folder name/);
  });

  it('shares the namespace, account, RBAC and claims between jobs', () => {
    expect(clusterResources('analytics').map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/analytics',
      'ServiceAccount/pitchstream-spark',
      'Role/pitchstream-spark',
      'RoleBinding/pitchstream-spark',
      'PersistentVolumeClaim/pitchstream-data',
      'PersistentVolumeClaim/pitchstream-models',
      'PersistentVolumeClaim/pitchstream-outputs',
    ]);
  });
});

describe('kubectl', () => {
  /** A stand-in kubectl: answers cluster-info and `get crd` as told, records what apply reads. */
  function fakeKubectl(name: string, behaviour: { clusterInfo: number; crd: number }): string {
    const file = path.join(scratch, name);
    fs.writeFileSync(
      file,
      `#!/bin/sh
case "$1" in
  cluster-info) [ ${behaviour.clusterInfo} = 0 ] || echo "The connection to the server localhost:8080 was refused" >&2; exit ${behaviour.clusterInfo} ;;
  get) [ ${behaviour.crd} = 0 ] || echo 'Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io "sparkapplications.sparkoperator.k8s.io" not found' >&2; exit ${behaviour.crd} ;;
  apply) cat > "${file}.applied"; echo "sparkapplication.sparkoperator.k8s.io/pitchstream-train created" ;;
esac
`,
      { mode: 0o755 },
    );
    return file;
  }

  it('says KUBECTL_MISSING when there is no kubectl', async () => {
    await expect(requireSparkOperator({ kubectl: path.join(scratch, 'no-such-kubectl') })).rejects.toMatchObject({ code: 'KUBECTL_MISSING', fix: expect.stringMatching(/Install kubectl/) });
  });

  it('says KUBERNETES_UNREACHABLE when no cluster answers, with kubectl\'s own words', async () => {
    await expect(requireSparkOperator({ kubectl: fakeKubectl('down', { clusterInfo: 1, crd: 0 }) })).rejects.toMatchObject({
      code: 'KUBERNETES_UNREACHABLE',
      message: expect.stringMatching(/connection to the server localhost:8080 was refused/),
      fix: expect.stringMatching(/KUBECONFIG/),
    });
  });

  it('says SPARK_OPERATOR_MISSING when the cluster lacks the SparkApplication CRD, and applies nothing', async () => {
    const kubectl = fakeKubectl('no-operator', { clusterInfo: 0, crd: 1 });
    await expect(applyManifests(render('train', 'cpu', 1), { kubectl })).rejects.toMatchObject({ code: 'SPARK_OPERATOR_MISSING', fix: expect.stringMatching(/helm install spark-operator/) });
    expect(fs.existsSync(`${kubectl}.applied`)).toBe(false);
  });

  it('applies the rendered manifests through kubectl apply -f -', async () => {
    const kubectl = fakeKubectl('ready', { clusterInfo: 0, crd: 0 });
    const manifests = render('train', 'cpu', 1);
    expect(await applyManifests(manifests, { kubectl })).toEqual(['sparkapplication.sparkoperator.k8s.io/pitchstream-train created']);
    expect(parseAllDocuments(fs.readFileSync(`${kubectl}.applied`, 'utf8')).map((doc) => doc.toJS())).toEqual(JSON.parse(JSON.stringify(manifests)));
  });
});
