// Retries an async operation with exponential backoff and jitter, a bounded number of times.

export interface RetryOptions {
  /** Attempts after the first (default 4). */
  retries?: number;
  /** Delay before the first retry, before jitter (default 500 ms). */
  initialDelayMs?: number;
  /** Upper bound of any delay (default 8000 ms). */
  maxDelayMs?: number;
  /** Whether a failure is worth another attempt; others are thrown at once. */
  isRetriable: (error: unknown) => boolean;
  /** Told before each retry, e.g. to log it. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** The delay before retry number `attempt` (1-based): half fixed, half random ("equal jitter"). */
export function backoffDelayMs(attempt: number, initialDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { retries = 4, initialDelayMs = 500, maxDelayMs = 8000 } = options;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= retries || !options.isRetriable(error)) throw error;
      const delayMs = backoffDelayMs(attempt + 1, initialDelayMs, maxDelayMs);
      options.onRetry?.(error, attempt + 1, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
