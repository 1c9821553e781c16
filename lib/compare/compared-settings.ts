// The settings `npm run bench` compares: the original's configuration (the baseline), and
// pitchstream's cpu and gpu profiles. One definition, used by the runner, the report and the docs.
import type { Mode } from '../config';

export type SettingId = 'baseline' | 'cpu' | 'gpu';

export interface ComparedSetting {
  id: SettingId;
  /** Short label for tables and charts. */
  label: string;
  /** The conf profile of spark-conf/ the jobs run with. */
  mode: Mode;
  /** Spark settings layered over the profile for this setting only. */
  conf: Readonly<Record<string, string>>;
  /** Processing-time trigger of the streaming query; 0 = Spark's default (next batch as soon as one ends). */
  triggerMs: number;
  /** What the setting is, in one sentence, for the report. */
  description: string;
}

/**
 * The original's spark-defaults.conf sizing (../shared/seeds, 000 and 001): one executor of 4 cores
 * and 8 GB, a 6 GB driver, and Spark's own shuffle default (it never set spark.sql.shuffle.partitions).
 * spark.default.parallelism is left to the base conf (4): Spark's default on their 4-core executor was 4 too.
 * In local mode the executor lives inside the driver JVM, so only the driver heap and the partition
 * count change anything here; the executor keys are kept so the setting reads like theirs.
 */
export const ORIGINAL_SPARK_CONF: Readonly<Record<string, string>> = {
  'spark.driver.memory': '6g',
  'spark.executor.memory': '8g',
  'spark.executor.cores': '4',
  'spark.executor.instances': '1',
  'spark.cores.max': '4',
  'spark.sql.shuffle.partitions': '200',
};

export const COMPARED_SETTINGS: readonly ComparedSetting[] = [
  {
    id: 'baseline',
    label: "baseline (original's settings, CPU)",
    mode: 'cpu',
    conf: ORIGINAL_SPARK_CONF,
    triggerMs: 0,
    description:
      "The original's Spark sizing (1 executor × 4 cores, executor 8g, driver 6g, Spark's default 200 shuffle partitions) and its default trigger, on the CPU.",
  },
  {
    id: 'cpu',
    label: 'cpu (pitchstream profile)',
    mode: 'cpu',
    conf: {},
    triggerMs: 0,
    description: 'spark-conf/spark-defaults.conf + cpu.conf as they are (sized for this machine), default trigger.',
  },
  {
    id: 'gpu',
    label: 'gpu (pitchstream profile, RAPIDS)',
    mode: 'gpu',
    conf: {},
    triggerMs: 0,
    description: 'spark-conf/spark-defaults.conf + gpu.conf (RAPIDS Accelerator), default trigger; needs an NVIDIA GPU and the RAPIDS jar.',
  },
];
