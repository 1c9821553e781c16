// The gpu-mode gate: an NVIDIA GPU and the RAPIDS jar must both be there before anything starts.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { PitchstreamError } from '../errors';
import type { Versions } from '../config';

const NVIDIA_SMI_TIMEOUT_MS = 15_000;

/** Where the RAPIDS Accelerator jar of versions.json is expected under the home folder. */
export function rapidsJarPath(home: string, pinned: Pick<Versions, 'rapids' | 'scala'>): string {
  return path.join(home, 'jars', `rapids-${pinned.rapids}`, `rapids-4-spark_${pinned.scala}-${pinned.rapids}.jar`);
}

export interface GpuCheckOptions {
  rapidsJar: string;
  /** Environment whose PATH is searched for nvidia-smi; process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

/** Fails with GPU_UNAVAILABLE or RAPIDS_MISSING, so that gpu mode never silently runs on the CPU. */
export async function requireGpuReady(options: GpuCheckOptions): Promise<void> {
  const result = await execa('nvidia-smi', ['--query-gpu=index,name', '--format=csv,noheader'], {
    env: options.env ?? process.env,
    extendEnv: false,
    reject: false,
    timeout: NVIDIA_SMI_TIMEOUT_MS,
  });
  const notFound = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  if (notFound)
    throw new PitchstreamError('GPU_UNAVAILABLE', 'PITCHSTREAM_MODE=gpu, but nvidia-smi is not on PATH: no NVIDIA driver here', {
      details: { check: 'nvidia-smi' },
    });
  if (result.failed)
    throw new PitchstreamError('GPU_UNAVAILABLE', `PITCHSTREAM_MODE=gpu, but nvidia-smi failed: ${result.stderr || result.shortMessage}`, {
      details: { check: 'nvidia-smi', exitCode: result.exitCode },
    });
  if (String(result.stdout).trim() === '')
    throw new PitchstreamError('GPU_UNAVAILABLE', 'PITCHSTREAM_MODE=gpu, but nvidia-smi lists no GPU', {
      details: { check: 'nvidia-smi' },
    });
  if (!fs.existsSync(options.rapidsJar))
    throw new PitchstreamError('RAPIDS_MISSING', `PITCHSTREAM_MODE=gpu, but the RAPIDS jar ${options.rapidsJar} is missing`, {
      fix: `Download ${path.basename(options.rapidsJar)} (Maven: com.nvidia:rapids-4-spark_<scala>:<rapids> of versions.json) to ${options.rapidsJar}, or set PITCHSTREAM_MODE=cpu.`,
      details: { file: options.rapidsJar },
    });
}
