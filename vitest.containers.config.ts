import { defineConfig } from 'vitest/config';

// `npm run test:containers`: the compose stack built and run for real (podman here). Separate from
// `npm test`, whose files never start containers; .ci/run runs both.
export default defineConfig({
  test: {
    include: ['test/containers/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    reporters: ['default', './test/reporters/slowest-files.ts'],
  },
});
