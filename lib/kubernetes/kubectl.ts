// The jobs on a real cluster through kubectl: apply, status, logs, delete. Before each, the three
// things that can be missing are checked in order (kubectl, a cluster that answers, the Spark
// Operator's CRD), each with its own error and fix.
import { execa } from 'execa';
import { PitchstreamError } from '../errors';
import { DEFAULT_NAMESPACE, manifestsYaml, type Manifest } from './manifests';

export const SPARK_APPLICATION_CRD = 'sparkapplications.sparkoperator.k8s.io';

export interface KubectlOptions {
  /** kubectl's path (default: kubectl on PATH). */
  kubectl?: string;
  /** Environment for kubectl (KUBECONFIG …); the process's own by default. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

interface KubectlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function kubectl(args: readonly string[], options: KubectlOptions, input?: string): Promise<KubectlResult> {
  const command = options.kubectl ?? 'kubectl';
  const result = await execa(command, args, {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    ...(options.env ? { env: options.env, extendEnv: false } : {}),
  });
  if ((result as { code?: string }).code === 'ENOENT')
    throw new PitchstreamError('KUBECTL_MISSING', `${command} was not found on PATH: it is what applies, follows and deletes the jobs on a cluster`, {
      details: { kubectl: command },
    });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/** kubectl's last lines, without klog's diagnostics (E1206 12:00:00 … memcache.go) when it said more. */
function lastLines(text: string, count = 5): string {
  const lines = text.trim().split('\n');
  const said = lines.filter((line) => !/^[EWI]\d{4} \d\d:\d\d:\d\d/.test(line));
  return (said.length > 0 ? said : lines).slice(-count).join('\n');
}

/** kubectl is there, a cluster answers it, and the cluster has the SparkApplication CRD. */
export async function requireSparkOperator(options: KubectlOptions = {}): Promise<void> {
  const info = await kubectl(['cluster-info', '--request-timeout=10s'], options);
  if (info.exitCode !== 0)
    throw new PitchstreamError('KUBERNETES_UNREACHABLE', `kubectl reaches no Kubernetes cluster:\n${lastLines(info.stderr || info.stdout)}`, {
      details: { stderr: info.stderr },
    });
  const crd = await kubectl(['get', 'crd', SPARK_APPLICATION_CRD, '-o', 'name', '--request-timeout=10s'], options);
  if (crd.exitCode !== 0)
    throw new PitchstreamError('SPARK_OPERATOR_MISSING', `the cluster has no ${SPARK_APPLICATION_CRD} resource (the Spark Operator is not installed):\n${lastLines(crd.stderr)}`, {
      details: { stderr: crd.stderr },
    });
}

function failed(action: string, result: KubectlResult): PitchstreamError {
  return new PitchstreamError('KUBERNETES_UNREACHABLE', `kubectl ${action} failed (exit ${result.exitCode}):\n${lastLines(result.stderr || result.stdout, 10)}`, {
    fix: 'Read kubectl\'s message above: a missing namespace, RBAC that forbids it, or a cluster that stopped answering.',
    details: { action, stderr: result.stderr },
  });
}

/** Applies the manifests (kubectl apply -f -); returns kubectl's lines (created / configured / unchanged). */
export async function applyManifests(manifests: readonly Manifest[], options: KubectlOptions = {}): Promise<string[]> {
  await requireSparkOperator(options);
  const result = await kubectl(['apply', '-f', '-'], options, manifestsYaml(manifests));
  if (result.exitCode !== 0) throw failed('apply', result);
  return result.stdout.trim().split('\n').filter(Boolean);
}

export interface ApplicationStatus {
  name: string;
  state: string;
  executors: Record<string, string>;
  driverPod: string | undefined;
  error: string | undefined;
}

/** The operator's view of one SparkApplication; undefined when there is none of that name. */
export async function applicationStatus(name: string, namespace: string = DEFAULT_NAMESPACE, options: KubectlOptions = {}): Promise<ApplicationStatus | undefined> {
  await requireSparkOperator(options);
  const result = await kubectl(['get', 'sparkapplication', name, '-n', namespace, '-o', 'json'], options);
  if (result.exitCode !== 0) {
    if (/NotFound|not found/.test(result.stderr)) return undefined;
    throw failed('get', result);
  }
  const status = (JSON.parse(result.stdout) as { status?: { applicationState?: { state?: string; errorMessage?: string }; executorState?: Record<string, string>; driverInfo?: { podName?: string } } }).status ?? {};
  return {
    name,
    state: status.applicationState?.state || 'SUBMITTING',
    executors: status.executorState ?? {},
    driverPod: status.driverInfo?.podName,
    error: status.applicationState?.errorMessage || undefined,
  };
}

/** The last lines of the application's driver pod. */
export async function driverLogs(name: string, namespace: string = DEFAULT_NAMESPACE, lines = 100, options: KubectlOptions = {}): Promise<string> {
  const status = await applicationStatus(name, namespace, options);
  if (!status) throw new PitchstreamError('CONFIG_INVALID', `there is no SparkApplication ${name} in namespace ${namespace}`, { fix: 'Start it with `npm run k8s -- apply <job>`, or pass the namespace it runs in with --namespace.' });
  const pod = status.driverPod ?? `${name}-driver`;
  const result = await kubectl(['logs', pod, '-n', namespace, `--tail=${lines}`], options);
  if (result.exitCode !== 0) throw failed(`logs ${pod}`, result);
  return result.stdout;
}

/** Deletes the SparkApplication (the operator removes its pods); the shared resources and volumes stay. */
export async function deleteApplication(name: string, namespace: string = DEFAULT_NAMESPACE, options: KubectlOptions = {}): Promise<boolean> {
  await requireSparkOperator(options);
  const result = await kubectl(['delete', 'sparkapplication', name, '-n', namespace, '--ignore-not-found', '-o', 'name'], options);
  if (result.exitCode !== 0) throw failed('delete', result);
  return result.stdout.trim() !== '';
}
