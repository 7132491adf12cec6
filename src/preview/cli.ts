#!/usr/bin/env node
/**
 * The command's entry before it had a folder of its own (src/cli/main.ts): `dist/preview/cli.js` is still run by
 * scripts written against it (the benchmarks). It is the command itself, nothing else.
 */
import { runAsCommand } from "../cli/main";

export { cli, exitAfterOutput, main } from "../cli/main";
export type { CliIo } from "../cli/main";

if (require.main === module) {
    runAsCommand();
}
