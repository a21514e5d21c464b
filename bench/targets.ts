/** What each `npm run bench` figure aims at (printed beside it and written to bench/results.json). */
export const TARGETS = {
  agentStepMs: 5,
  chipMs: 100,
  activationMs: 20,
  restoreMs: 100,
  hostKiB: 400,
  webviewKiB: 250,
  vsixKiB: 1024,
  catalogueMs: 30,
  lagMs: 50,
  stopMs: 100,
  heapGrowthPct: 10,
};
