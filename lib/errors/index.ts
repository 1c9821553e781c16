export { ERROR_CODES, type ErrorCode } from './codes';
export { PitchstreamError, isPitchstreamError, type PitchstreamErrorOptions } from './pitchstream-error';
