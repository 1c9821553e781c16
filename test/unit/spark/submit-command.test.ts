import { describe, expect, it } from 'vitest';
import { buildSubmitCommand, isLoopbackMaster, type SubmitCommandInput } from '../../../lib/spark/submit-command';

const input: SubmitCommandInput = {
  sparkSubmit: '/p/.pitchstream/venv/bin/spark-submit',
  sparkHome: '/p/.pitchstream/venv/lib/python3.11/site-packages/pyspark',
  python: '/p/.pitchstream/venv/bin/python',
  master: 'local[*]',
  appName: 'smoke_kafka_to_arrow',
  propertiesFile: '/run/conf/spark-defaults.conf',
  confDir: '/run/conf',
  jars: ['/j/a.jar', '/j/b.jar'],
  pyFiles: ['/cache/pitchstream_jobs-abc.zip'],
  entry: '/p/jobs/smoke_kafka_to_arrow.py',
  jobArgs: ['--topic', 't'],
  stopFile: '/run/stop',
  errorFile: '/run/error.json',
};

describe('buildSubmitCommand', () => {
  it('puts spark-submit options first, then the entry script, its arguments and the runtime options', () => {
    const { command, args } = buildSubmitCommand(input);
    expect(command).toBe(input.sparkSubmit);
    expect(args).toEqual([
      '--master', 'local[*]',
      '--name', 'smoke_kafka_to_arrow',
      '--properties-file', '/run/conf/spark-defaults.conf',
      '--jars', '/j/a.jar,/j/b.jar',
      '--py-files', '/cache/pitchstream_jobs-abc.zip',
      '/p/jobs/smoke_kafka_to_arrow.py',
      '--topic', 't',
      '--stop-file', '/run/stop',
      '--error-file', '/run/error.json',
    ]);
  });

  it('runs the driver and the workers on the venv python with the generated conf folder', () => {
    const { env } = buildSubmitCommand(input);
    expect(env).toEqual({
      SPARK_HOME: input.sparkHome,
      SPARK_CONF_DIR: '/run/conf',
      PYSPARK_PYTHON: input.python,
      PYSPARK_DRIVER_PYTHON: input.python,
      PYTHONUNBUFFERED: '1',
      SPARK_LOCAL_IP: '127.0.0.1',
    });
  });

  it('names the owner process to the job when one is given (the job stops when it is gone)', () => {
    expect(buildSubmitCommand({ ...input, ownerPid: 4242 }).env.PITCHSTREAM_OWNER_PID).toBe('4242');
  });

  it('leaves the bind address to Spark for a remote cluster', () => {
    expect(buildSubmitCommand({ ...input, master: 'spark://spark.example.org:7077' }).env.SPARK_LOCAL_IP).toBeUndefined();
  });

  it('omits --jars and --py-files when there are none', () => {
    const { args } = buildSubmitCommand({ ...input, jars: [], pyFiles: [] });
    expect(args).not.toContain('--jars');
    expect(args).not.toContain('--py-files');
  });

  it('refuses job arguments that would shadow the runtime options', () => {
    expect(() => buildSubmitCommand({ ...input, jobArgs: ['--stop-file=/x'] })).toThrow(/--stop-file/);
  });
});

describe('isLoopbackMaster', () => {
  it('treats local masters and spark:// on loopback as this machine', () => {
    expect(isLoopbackMaster('local[2]')).toBe(true);
    expect(isLoopbackMaster('spark://127.0.0.1:7077')).toBe(true);
    expect(isLoopbackMaster('spark://localhost:7077')).toBe(true);
    expect(isLoopbackMaster('spark://10.0.0.5:7077')).toBe(false);
  });
});
