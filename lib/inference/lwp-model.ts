// The saved LWP model a stream scores with: found where trainLwp saves it, or trained first when there is none.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { defaultTrainingSource, trainLwp, type ModelMetadata, type TrainingSource, type TrainLwpOptions } from '../training';

export const DEFAULT_LWP_MODEL_DIR = path.join('models', 'lwp_model');

export interface LwpModel {
  modelDir: string;
  metadata: ModelMetadata;
  /** True when this call trained it. */
  trained: boolean;
}

/** The model at modelDir (default <root>/models/lwp_model) with its metadata.json, or undefined when there is none. */
export function findLwpModel(config: Config = loadConfig(), modelDir: string = DEFAULT_LWP_MODEL_DIR): LwpModel | undefined {
  const dir = path.resolve(config.root, modelDir);
  const file = path.join(dir, 'metadata.json');
  if (!fs.existsSync(file) || !fs.existsSync(path.join(dir, 'stages'))) return undefined;
  return { modelDir: dir, metadata: JSON.parse(fs.readFileSync(file, 'utf8')) as ModelMetadata, trained: false };
}

export interface EnsureLwpModelOptions extends Omit<TrainLwpOptions, 'modelDir' | 'config' | 'source'> {
  config?: Config;
  modelDir?: string;
  /** What to train on when there is no model: default real StatsBomb La Liga when present, else synthetic matches. */
  source?: TrainingSource;
  /** Synthetic matches when the default source falls back to synthetic data (default 120). */
  syntheticMatches?: number;
}

/**
 * The model at modelDir, or one trained there first through trainLwp (a small forest: the point is
 * the stream, notebook 02 trains the full model). The metadata says whether the data was synthetic.
 */
export async function ensureLwpModel(options: EnsureLwpModelOptions = {}): Promise<LwpModel> {
  const config = options.config ?? loadConfig();
  const { config: _c, modelDir = DEFAULT_LWP_MODEL_DIR, source, syntheticMatches, ...training } = options;
  const found = findLwpModel(config, modelDir);
  if (found) return found;
  const fallback = defaultTrainingSource(config);
  const chosen: TrainingSource =
    source ?? (fallback.kind === 'synthetic' ? { kind: 'synthetic', matches: syntheticMatches ?? 120, seed: 2024 } : { ...fallback, matchesPerSeason: 10 });
  const result = await trainLwp({ numTrees: 40, maxDepth: 8, minInstancesPerNode: 20, bootstrapSamples: 0, threeSixty: false, ...training, config, source: chosen, modelDir: path.resolve(config.root, modelDir) });
  return { modelDir: result.modelDir, metadata: result.report.metadata, trained: true };
}
