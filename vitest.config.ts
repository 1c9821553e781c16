import { defineConfig } from 'vitest/config';

// Integration tests share one local stack (one Kafka broker, Spark), so files run one at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The container test has its own command (npm run test:containers, vitest.containers.config.ts).
    exclude: ['test/containers/**', '**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    reporters: ['default', './test/reporters/slowest-files.ts'],
  },
});
