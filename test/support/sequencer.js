// jest's testSequencer (jest.config.js): the files that run processes go first, the longest first, so that the two
// workers end together instead of one running the slowest file alone at the end.
//
// jest's own order runs the longest files first only once its cache knows their times; in a clean checkout (CI) it
// orders by file size, and the slowest files here are small (they start a package install, a browser, the bench, the
// preview's runner). The consumer install (test/support/consumer.ts) is made by the first file below while the other
// worker runs the bench; the files that wait for it come after the ones that do not.
const Sequencer = require("@jest/test-sequencer").default;
const { relative } = require("path");

/** Slowest first, as measured on two cores (each file's time in a whole `npm test`). */
const FIRST = [
    "test/package.test.ts",
    "test/preview/programs.test.ts",
    "test/report/page.test.ts",
    "test/preview/cli.test.ts",
    "test/componentPackage.test.ts",
    "test/readmeInstall.test.ts",
    "test/policypack.test.ts",
    "test/components/accounts.test.ts",
    "test/protocol/analyzer.test.ts",
    "test/components/arguments.test.ts",
    "test/components/ownOutput.test.ts",
    "test/review16/review16.test.ts",
];

class SlowestFirst extends Sequencer {
    sort(tests) {
        const rank = (test) => {
            const i = FIRST.indexOf(relative(test.context.config.rootDir, test.path).split("\\").join("/"));
            return i === -1 ? FIRST.length : i;
        };
        const sorted = super.sort(tests);
        // Array.prototype.sort is stable: the files not listed keep jest's order, after the listed ones.
        return [...sorted].sort((a, b) => rank(a) - rank(b));
    }
}

module.exports = SlowestFirst;
