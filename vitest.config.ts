import { defineConfig } from 'vitest/config';

// Integration tests share one local stack (one Kafka broker, Spark), so files run one at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    reporters: ['default'],
  },
});
