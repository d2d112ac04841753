// Time limits for tests that run a model, spawn a process or talk to a local server. Generous on
// purpose: on a 2-core machine shared with other work (`npm run test:stress` runs the suites beside
// two busy processes) a model run takes many times its quiet time, and a slow machine must never
// be mistaken for a broken test. A real hang still fails, just later.
export const MODEL_RUN_TIMEOUT_MS = 180_000;
export const IO_TIMEOUT_MS = 60_000;
