// The CPU/GPU comparison report (`npm run bench`): compared settings, the runner, the tables and chart.
export { COMPARED_SETTINGS, ORIGINAL_SPARK_CONF, type ComparedSetting, type SettingId } from './compared-settings';
export { compareChartHtml, compareMarkdown, comparePageHtml, comparisonRows, FIGURES } from './comparison-report';
export type { ComparisonReport, ComparisonRow, FigureKey, SettingResult, StreamFigures, TrainingFigures } from './comparison-types';
export { runComparison, streamFigures, unavailableReason, writeComparison, type ComparisonFiles, type RunComparisonOptions } from './run-comparison';
