// The Kubernetes manifests as `npm run k8s -- render` prints them, validated offline: each
// SparkApplication against the Spark Operator's CRD schema (test/fixtures/kubernetes, strictly:
// an undeclared field is an error), every other object with kubernetes-validate. No cluster here,
// so apply/status/logs/delete are checked for what they say without kubectl.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { installPaths, loadConfig, versions } from '../../lib/config';
import { KUBERNETES_JOB_NAMES } from '../../lib/kubernetes';

const config = loadConfig();
const root = config.root;
const python = installPaths(config.home, versions()).python;
const cli = path.join(root, 'dist', 'bin', 'pitchstream.js');
const crd = path.join(root, 'test', 'fixtures', 'kubernetes', 'sparkoperator.k8s.io_sparkapplications.yaml.gz');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pitchstream-k8s-manifests-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Validation {
  checked: Array<[string, string, string]>;
  errors: Array<[string, string, string, string]>;
}

async function validate(files: string[]): Promise<Validation> {
  const run = await execa(python, [path.join(root, 'test', 'python', 'validate_manifests.py'), crd, ...files], { reject: false });
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Validation;
}

const k8s = (args: string[], env: Record<string, string> = {}) => execa(process.execPath, [cli, 'k8s', ...args], { cwd: root, reject: false, env });

describe('npm run k8s -- render', () => {
  it('prints, for every job in cpu and gpu mode with 1 and 5 executors, manifests valid against the CRD and Kubernetes schemas', async () => {
    const files: string[] = [];
    for (const job of KUBERNETES_JOB_NAMES)
      for (const mode of ['cpu', 'gpu'])
        for (const executors of ['1', '5']) {
          const rendered = await k8s(['render', job, '--mode', mode, '--executors', executors, '--bootstrap', 'kafka.streaming.svc:9092', '--run', `${job}-test`]);
          expect(rendered.exitCode, rendered.stderr).toBe(0);
          const file = path.join(scratch, `${job}-${mode}-${executors}.yaml`);
          fs.writeFileSync(file, rendered.stdout);
          files.push(file);
        }
    const result = await validate(files);
    expect(result.errors).toEqual([]);
    // 7 shared objects + the SparkApplication, in each of the 12 files.
    expect(result.checked).toHaveLength(12 * 8);
    expect(new Set(result.checked.map(([, kind]) => kind))).toEqual(new Set(['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'PersistentVolumeClaim', 'SparkApplication']));
  }, 120_000);

  it('would catch a misspelt field, in the SparkApplication and in a core object', async () => {
    const rendered = await k8s(['render', 'stats', '--bootstrap', 'kafka:9092', '--run', 'typo']);
    const file = path.join(scratch, 'typo.yaml');
    // The first claim (pitchstream-data) and the executor spec, one typo each.
    fs.writeFileSync(file, rendered.stdout.replace('    instances: 2', '    instanses: 2').replace('  accessModes:', '  accesModes:'));
    const { errors } = await validate([file]);
    expect(errors.map(([, kind, name, message]) => `${kind}/${name}: ${message}`)).toEqual([
      expect.stringMatching(/^PersistentVolumeClaim\/pitchstream-data: .*accesModes/),
      expect.stringMatching(/^SparkApplication\/pitchstream-stats: spec\/executor: .*instanses/),
    ]);
  }, 60_000);

  it('names the problem and the fix for a bad job, option or missing bootstrap', async () => {
    const unknown = await k8s(['render', 'nope']);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown job "nope" \(jobs: train, stats, lwp\)/);
    const executors = await k8s(['render', 'train', '--executors', 'two']);
    expect(executors.stderr).toMatch(/--executors must be a whole number/);
    const bootstrap = await k8s(['render', 'lwp']);
    expect(bootstrap.stderr).toMatch(/the lwp job reads Kafka[\s\S]*--bootstrap host:port/);
  }, 60_000);
});

describe('npm run k8s -- apply|status|logs|delete without a cluster', () => {
  it('says that kubectl is missing and how to get it, for each action', async () => {
    // A PATH with node and nothing else.
    const bin = path.join(scratch, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    for (const action of [['apply', 'train'], ['status', 'train'], ['logs', 'stats'], ['delete', 'lwp']]) {
      const result = await k8s(action, { PATH: bin });
      expect(result.exitCode, action.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(/KUBECTL_MISSING: kubectl was not found on PATH/);
      expect(result.stderr).toMatch(/fix: Install kubectl/);
    }
  }, 60_000);

  it("says, with kubectl's own last words, that no cluster answers (the real kubectl where installed, else a stand-in)", async () => {
    const hasKubectl = (await execa('kubectl', ['version', '--client'], { reject: false })).exitCode === 0;
    const env: Record<string, string> = { KUBECONFIG: path.join(scratch, 'no-cluster.kubeconfig') };
    if (!hasKubectl) {
      const bin = path.join(scratch, 'stand-in');
      fs.mkdirSync(bin, { recursive: true });
      fs.writeFileSync(path.join(bin, 'kubectl'), '#!/bin/sh\necho "The connection to the server localhost:8080 was refused - did you specify the right host or port?" >&2\nexit 1\n', { mode: 0o755 });
      env.PATH = `${bin}:${process.env.PATH}`;
    }
    const result = await k8s(['status', 'train'], env);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/KUBERNETES_UNREACHABLE: kubectl reaches no Kubernetes cluster:\n.*refused/);
    // klog's repeated lines are left out: kubectl's own sentence is what is shown.
    expect(result.stderr).not.toMatch(/memcache\.go/);
    expect(result.stderr).toMatch(/fix: Configure a cluster for kubectl \(KUBECONFIG/);
  }, 60_000);
});
