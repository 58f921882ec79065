/** Tests are transpiled by SWC without type checking; `npm run typecheck` checks types once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  reporters: ["default", "<rootDir>/scripts/summary-reporter.js"],
  // Jest's runtime, with V8's code cache shared by the test files of a worker (see there).
  runtime: "<rootDir>/scripts/jest-runtime.js",
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  // One directory per run for the synthesized stacks the test files share (__tests__/support/synth.ts).
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.ts",
  // Jest's default (cores - 1) is one worker on a 2-core machine, which runs every file in band;
  // the files are CPU-bound JavaScript, and two workers take the suite from ~20 s to ~14 s there.
  maxWorkers: "100%",
};
