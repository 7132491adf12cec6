/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
    testTimeout: 60000,
    // One worker per core (jest's default leaves one core to its own process, which idles): the slow files wait on
    // child processes and npm, so two files at a time on two cores finish sooner.
    maxWorkers: "100%",
    // The dynamic providers load the SDK by package name; in this repository that is the source.
    moduleNameMapper: { "^alicloud-sharing/sdk$": "<rootDir>/src/sdk" },
    // Builds dist/ and makes the run's folder, where the packed tarball and the consumer install are shared by every
    // test file (test/support/consumer.ts); the teardown removes the folder.
    globalSetup: "<rootDir>/test/support/globalSetup.js",
    // One fast-check seed for every property: fixed in npm test, drawn anew by npm run fuzz (test/support/fuzz.ts).
    // The files that run processes first, slowest first (a clean checkout has no timings for jest to order by).
    testSequencer: "<rootDir>/test/support/sequencer.js",
    setupFiles: ["<rootDir>/test/support/fuzz.ts"],
    // Pulumi's own bookkeeping stack traces left unmapped by source-map-support (the largest cost of a mock resource).
    setupFilesAfterEnv: ["<rootDir>/test/support/stacks.js"],
    globalTeardown: "<rootDir>/test/support/consumer.ts",
};
