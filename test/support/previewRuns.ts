/**
 * The command line run in the test's own process (`main` of src/cli/main.ts, the code the bin runs), so that one
 * process serves and judges many programs: each program still runs in a process of its own, with its own language
 * runner, against the monitor this process serves. Several run at once, a few at a time across the file.
 */
import { main } from "../../src/cli/main";
import type { CliIo } from "../../src/cli/io";
import { previewReport } from "../../src/preview/report";
import { PreviewResult, exitCodeOf, judgeRun, prepareRun, recordRun } from "../../src/preview/run";
import type { ReportModel } from "../../src/report/model";
import { MapKind, ReportFormat, renderReport } from "../../src/report/render";
import { terminalLines } from "../../src/report/safe";

/** What a command printed, and its exit code. */
export interface CommandRun {
    readonly code: number;
    readonly out: string;
    readonly err: string;
}

/** Runs `alicloud-sharing <args>` in this process (with the given environment, when given). */
export async function command(...args: string[]): Promise<CommandRun> {
    return commandWith({}, ...args);
}

/** Runs `alicloud-sharing <args>` in this process with more of its io (an environment, a terminal on stderr). */
export async function commandWith(io: Pick<CliIo, "env" | "stderrIsTTY">, ...args: string[]): Promise<CommandRun> {
    let out = "";
    let err = "";
    const code = await main(args, { ...io, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
    return { code, out, err };
}

/** At most this many programs of a test file run at once (each in a process of its own). */
const CONCURRENCY = 4;
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when a slot is free. */
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= CONCURRENCY) {
        await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    try {
        return await work();
    } finally {
        running--;
        waiting.shift()?.();
    }
}

/** A run's promise that is no unhandled rejection while its test has not awaited it yet. */
function started<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
}

/** Runs commands a few at a time; each run's promise, by key. Start them all at once, await each where it is asserted. */
export function commands<K extends string>(runs: Record<K, string[]>): Record<K, Promise<CommandRun>> {
    const runsByKey = {} as Record<K, Promise<CommandRun>>;
    for (const [key, args] of Object.entries(runs) as [K, string[]][]) {
        runsByKey[key] = started(inSlot(() => command(...args)));
    }
    return runsByKey;
}

/** How one judging of a program reports: the policy config it is judged under, and the report's format. */
export interface Judging {
    readonly policyConfigFile?: string;
    readonly format?: ReportFormat;
    readonly map?: MapKind;
    readonly verbose?: boolean;
}

/** A judged run, as the command prints it (exit code, stdout, and stderr: the program's output, then the program's error), with its result and report model. */
export interface JudgedRun extends CommandRun {
    readonly result: PreviewResult;
    readonly model: ReportModel;
}

/**
 * One run of a program, judged under several policy configs, each reported as `alicloud-sharing preview <dir>
 * --policy-config <file> --format <format>` reports it (the command's own steps: prepareRun, judgeRun, the report,
 * exitCodeOf). A policy config changes the verdict, never what the program registers: the program runs once.
 */
export function judgedUnder<K extends string>(
    programDir: string,
    options: { readonly stack?: string; readonly transpileOnly?: boolean; readonly timeoutSeconds?: number },
    judgings: Record<K, Judging>,
): Record<K, Promise<JudgedRun>> {
    const keys = Object.keys(judgings) as K[];
    // Each judging's files read and checked as the command reads them, before the program runs.
    const prepared = keys.map((key) => prepareRun({ programDir, ...options, policyConfigFile: judgings[key].policyConfigFile }));
    let output = "";
    const recorded = started(inSlot(() => recordRun(prepared[0], { programDir, ...options, output: (t) => void (output += t) })));
    const judged = {} as Record<K, Promise<JudgedRun>>;
    keys.forEach((key, i) => {
        judged[key] = started(
            recorded.then(async ({ record, ending }) => {
                const result = await judgeRun(prepared[i], record, ending);
                const { format = "text", map, verbose } = judgings[key];
                const model = previewReport(result, process.cwd());
                const out = await renderReport(model, { format, map, verbose, version: VERSION });
                const err = `${output}${result.programError === undefined ? "" : `error: the program failed: ${terminalLines(result.programError)}\n`}`;
                return { code: exitCodeOf(result), out, err, result, model };
            }),
        );
    });
    return judged;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require("../../package.json").version;
