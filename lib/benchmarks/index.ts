// Benchmark methods shared by the `bench:*` commands (bin/ parses and prints; the measuring is here).
export {
  afterWarmUp,
  climbRates,
  LADDER_TRIGGER_MS,
  percentile,
  preloadSynthetic,
  steadyFigures,
  SYNTHETIC_SOURCE,
  SYNTHETIC_WATERMARK,
  type LadderOptions,
  type LadderResult,
  type LadderStep,
} from './stream-throughput';
