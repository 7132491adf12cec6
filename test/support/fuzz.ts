/**
 * Every fast-check property of the suite runs from one seed: fixed in `npm test` (so CI is deterministic and a
 * failure reproduces), drawn anew by `npm run fuzz` (FUZZ_RUNS set; FUZZ_SEED to replay a run), which also runs each
 * property FUZZ_RUNS times. fast-check prints the seed and the counterexample of any failure.
 */
import * as fc from "fast-check";

/** The seed of `npm test`. */
export const CI_SEED = 20261125;

/** Whether this is a fuzz run (`npm run fuzz`). */
export const fuzzing = process.env.FUZZ_RUNS !== undefined && process.env.FUZZ_RUNS !== "";

/** The runs of a property: FUZZ_RUNS in a fuzz run, else the given number. */
export const runsOf = (ci: number): number => (fuzzing ? Number(process.env.FUZZ_RUNS) : ci);

/** The seed of every property. */
export const SEED = fuzzing ? Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) : CI_SEED;

fc.configureGlobal({ seed: SEED, ...(fuzzing ? { numRuns: Number(process.env.FUZZ_RUNS) } : {}) });
