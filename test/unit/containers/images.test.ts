import { describe, expect, it } from 'vitest';
import { projectRoot, versions } from '../../../lib/config';
import { buildArgs, declaredBuildArgs, defaultBaseImage, imageName, parseSize, readDockerfile } from '../../../lib/containers';

describe('containers/Dockerfile and its build arguments', () => {
  const dockerfile = readDockerfile(projectRoot());

  it('gets every ARG it declares from lib, and lib passes none it does not declare', () => {
    const args = buildArgs(versions(), 'example/base:1');
    expect(Object.keys(args).sort()).toEqual(declaredBuildArgs(dockerfile).sort());
  });

  it('types no version: each comes from versions.json through a build argument', () => {
    const withoutComments = dockerfile.replace(/^#.*$/gm, '').replace(/\b\d+\.\d+\.\d+\.\d+\b/g, 'IP');
    const base = defaultBaseImage(dockerfile);
    expect(withoutComments.replace(base, '')).not.toMatch(/\d+\.\d+\.\d+/);
    const args = buildArgs(versions(), base);
    expect(args.SPARK_VERSION).toBe(versions().spark);
    expect(args.PYSPARK_VERSION).toBe(versions().python.pyspark);
    expect(args.KAFKA_VERSION).toBe(versions().kafka);
    expect(args.RAPIDS_VERSION).toBe(versions().rapids);
  });

  it('fetches the RAPIDS jar from the pinned Maven repository, or from the mirror the set-up uses', () => {
    expect(buildArgs(versions(), 'b').MAVEN_REPOSITORY).toBe(versions().mavenRepository);
    expect(buildArgs(versions(), 'b', 'https://mirror.example/maven2').MAVEN_REPOSITORY).toBe('https://mirror.example/maven2');
  });

  it('defaults to a public Debian trixie base image that users can pull', () => {
    expect(defaultBaseImage(dockerfile)).toMatch(/^docker\.io\/library\/debian:trixie/);
    expect(() => defaultBaseImage('FROM scratch')).toThrow(/ARG BASE_IMAGE/);
  });

  it('has one build target per image, the GPU variant built on the Spark image', () => {
    for (const target of ['kafka', 'spark', 'spark-rapids', 'jupyter-lab', 'prometheus']) expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${target}$`, 'm'));
    expect(dockerfile).toMatch(/^FROM spark AS spark-rapids$/m);
    expect(dockerfile).toMatch(/^FROM spark AS jupyter-lab$/m);
  });

  it('names images locally, so that no engine looks for them on a registry', () => {
    expect(imageName('spark', 'abc')).toBe('localhost/pitchstream-spark:abc');
  });
});

describe('parseSize', () => {
  it('reads the sizes engines print', () => {
    expect(parseSize('0 B')).toBe(0);
    expect(parseSize('4.1 kB')).toBe(4100);
    expect(parseSize('813 MB')).toBe(813e6);
    expect(parseSize('2.69 GB')).toBeCloseTo(2.69e9);
    expect(() => parseSize('lots')).toThrow(/unreadable size/);
  });
});
