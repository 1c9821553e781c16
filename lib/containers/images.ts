// pitchstream's images: the build targets of containers/Dockerfile, their names, and the build
// arguments, every version taken from versions.json (the Dockerfile names none).
import fs from 'node:fs';
import path from 'node:path';
import type { Versions } from '../config';

/** Build targets of containers/Dockerfile that `cluster up` needs; spark-rapids only for the gpu profile. */
export const STACK_IMAGES = ['kafka', 'spark', 'jupyter-lab', 'prometheus'] as const;
export const GPU_IMAGE = 'spark-rapids';
export type ImageTarget = (typeof STACK_IMAGES)[number] | typeof GPU_IMAGE;

/** Images are local, never pushed: this prefix keeps an engine from looking for them on a registry. */
export const IMAGE_PREFIX = 'localhost/pitchstream-';

export function imageName(target: ImageTarget, tag: string): string {
  return `${IMAGE_PREFIX}${target}:${tag}`;
}

export function dockerfilePath(root: string): string {
  return path.join(root, 'containers', 'Dockerfile');
}

/** The Dockerfile's default base image (its `ARG BASE_IMAGE=…` line): the public one users pull. */
export function defaultBaseImage(dockerfileText: string): string {
  const match = /^ARG BASE_IMAGE=(\S+)\s*$/m.exec(dockerfileText);
  if (!match) throw new Error('containers/Dockerfile: no `ARG BASE_IMAGE=<image>` line');
  return match[1]!;
}

/**
 * Every build argument of the Dockerfile, from versions.json; mavenRepository: a mirror in place of
 * the pinned repository (PITCHSTREAM_MAVEN_REPOSITORY, as for the set-up's jars).
 */
export function buildArgs(pinned: Versions, baseImage: string, mavenRepository?: string): Record<string, string> {
  const python = (name: string): string => {
    const version = pinned.python[name];
    if (!version) throw new Error(`versions.json: python.${name} is not pinned`);
    return version;
  };
  return {
    BASE_IMAGE: baseImage,
    KAFKA_VERSION: pinned.kafka,
    SPARK_VERSION: pinned.spark,
    SCALA_VERSION: pinned.scala,
    RAPIDS_VERSION: pinned.rapids,
    MAVEN_REPOSITORY: mavenRepository || pinned.mavenRepository,
    NPM_VERSION: pinned.npm,
    PYSPARK_VERSION: python('pyspark'),
    PYARROW_VERSION: python('pyarrow'),
    PANDAS_VERSION: python('pandas'),
    NUMPY_VERSION: python('numpy'),
    JUPYTERLAB_VERSION: python('jupyterlab'),
    NBCONVERT_VERSION: python('nbconvert'),
    NBCLIENT_VERSION: python('nbclient'),
    IPYKERNEL_VERSION: python('ipykernel'),
  };
}

/** The `ARG` names a Dockerfile declares (for the test that every one is given). */
export function declaredBuildArgs(dockerfileText: string): string[] {
  return [...new Set([...dockerfileText.matchAll(/^ARG (\w+)/gm)].map((m) => m[1]!))];
}

export function readDockerfile(root: string): string {
  return fs.readFileSync(dockerfilePath(root), 'utf8');
}
