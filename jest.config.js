/** @type {import('jest').Config} */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
    testTimeout: 60000,
    // The dynamic providers load the SDK by package name; in this repository that is the source.
    moduleNameMapper: { "^alicloud-sharing/sdk$": "<rootDir>/src/sdk" },
    globalSetup: "<rootDir>/test/support/globalSetup.js",
};
