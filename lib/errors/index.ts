export { ERROR_CODES, type ErrorCode } from './codes';
export { errorsTable } from './errors-table';
export { PitchstreamError, isPitchstreamError, type PitchstreamErrorOptions } from './pitchstream-error';
