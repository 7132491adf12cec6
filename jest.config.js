/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
    testTimeout: 60000,
    // The Pulumi SDK keeps its runtime state on globals; each test file loads its own copy anyway.
    testEnvironmentOptions: { globalsCleanup: "off" },
};
