// The one error root of pitchstream: a code from the catalogue, the cause, a fix sentence, details.
import { ERROR_CODES, type ErrorCode } from './codes';

export interface PitchstreamErrorOptions {
  /** Overrides the catalogue's generic fix with one specific to this failure. */
  fix?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class PitchstreamError extends Error {
  readonly code: ErrorCode;
  readonly fix: string;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: PitchstreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PitchstreamError';
    this.code = code;
    this.fix = options.fix ?? ERROR_CODES[code].fix;
    this.details = options.details ?? {};
  }

  /** Message, code and fix in one block, for command lines and notebooks. */
  describe(): string {
    return `${this.code}: ${this.message}\nfix: ${this.fix}`;
  }
}

export function isPitchstreamError(value: unknown, code?: ErrorCode): value is PitchstreamError {
  return value instanceof PitchstreamError && (code === undefined || value.code === code);
}
