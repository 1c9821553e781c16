// What one compared setting measured, and the report that holds them all. Plain data: the JSON file
// (reports/compare.json) is exactly a ComparisonReport.
import type { GpuPlacementRow } from '../metrics';
import type { ComparedSetting, SettingId } from './compared-settings';

/** The streaming job (stream_match_stats) reading the recorded topic from its first offset. */
export interface StreamFigures {
  events: number;
  batches: number;
  /** Mean of Spark's inputRowsPerSecond over the batches that read events, weighted by their rows. */
  inputRateEventsPerS: number;
  /** Events ÷ Σ batch durations: how fast the job works through the recorded stream. */
  processRateEventsPerS: number;
  batchDurationP50Ms: number;
  batchDurationP95Ms: number;
  /** Σ Spark job durations (REST API). */
  jobTimeS: number;
  /** First batch start → last batch end. */
  drainS: number;
  shuffleReadBytes: number;
  shuffleWriteBytes: number;
  gcTimeS: number;
  taskTimeS: number;
  memorySpilledBytes: number;
  diskSpilledBytes: number;
  metricsDir: string;
}

/** The training job (train_lwp) on the same prepared events. */
export interface TrainingFigures {
  /** load + features + fit + evaluate, as the job timed them (JVM start and writing excluded). */
  trainingS: number;
  loadS: number;
  featuresS: number;
  fitS: number;
  evaluateS: number;
  /** spark-submit → exit. */
  jobWallS: number;
  gcTimeS: number | null;
  rps: number;
}

export type SettingResult =
  | {
      setting: ComparedSetting;
      available: true;
      stream: StreamFigures;
      training: TrainingFigures | null;
      /** gpu runs: which operators ran on the GPU, from the RAPIDS explain output. */
      gpuPlacement?: GpuPlacementRow[];
    }
  | { setting: ComparedSetting; available: false; reason: string };

/** The columns of the original's table, in its order. */
export type FigureKey = 'input_rate_eps' | 'process_rate_eps' | 'batch_duration_ms' | 'job_time_s' | 'shuffle_read_mb' | 'gc_time_s' | 'training_time_s';

export interface ComparisonRow {
  id: SettingId;
  label: string;
  mode: string;
  description: string;
  conf: Readonly<Record<string, string>>;
  trigger: string;
  available: boolean;
  /** Why the setting was not measured ("not available on this machine: …"); absent when measured. */
  reason?: string;
  /** The original's figures; null when not measured (never a made-up number). */
  figures: Record<FigureKey, number | null>;
  /** figure ÷ the baseline's figure. */
  ratio_vs_baseline: Record<FigureKey, number | null>;
  /**
   * How many times faster than the cpu row: for rates the ratio, for durations cpu ÷ this
   * (so > 1 means faster either way); null for the cpu row itself and unmeasured rows.
   */
  speedup_vs_cpu: { stream: number | null; training: number | null };
  stream: StreamFigures | null;
  training: TrainingFigures | null;
  gpu_placement?: GpuPlacementRow[];
}

export interface ComparisonReport {
  created_at: string;
  machine: {
    cores: number;
    memory_gib: number;
    cpu: string;
    platform: string;
    /** 1-minute load average when the bench started and when it ended: other work on the machine skews every figure. */
    load_average: { start: number; end: number };
  };
  versions: { spark: string; rapids: string; kafka: string };
  method: string;
  input: {
    /** synthetic (pitchstream's generator) or statsbomb. */
    source: string;
    description: string;
    matches: number;
    events: number;
    topic_partitions: number;
    max_events_per_batch: number;
  };
  training_data: { description: string; matches: number; events: number; synthetic: boolean };
  figures: Record<FigureKey, { title: string; unit: string; better: 'higher' | 'lower' }>;
  rows: ComparisonRow[];
}
