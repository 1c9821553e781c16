// A free loopback port for tests that start their own listeners (lib's definition).
export { anyFreePort as freePort } from '../../lib/stack/ports';
