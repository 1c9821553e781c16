export { runSmokePipeline, type SmokeOptions, type SmokeResult } from './run-smoke-pipeline';
