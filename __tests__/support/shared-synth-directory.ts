/**
 * The environment variable naming the directory where a jest run's test files share the
 * stacks they synthesize (support/synth.ts): made by support/global-setup.ts for one run,
 * removed by support/global-teardown.ts. A module of its own, so the set-up loads nothing else.
 */
export const SHARED_SYNTH_DIRECTORY = "JEST_PLATFORM_SYNTH_CACHE";
