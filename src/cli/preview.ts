/** `alicloud-sharing preview`: runs a Pulumi program offline, judges it, and prints its report. */
import { terminalLines } from "../report/safe";
import { CliIo, processIo } from "./io";
import { OutputFlags, outputProblem, usageFailureDocument, writeFailure, writeReport } from "./report";

/** The options of `preview`, as the command line gives them. */
export interface PreviewFlags extends OutputFlags {
    readonly stack?: string;
    readonly config?: string;
    readonly policyConfig?: string;
    readonly account?: string;
    readonly timeout: number;
    readonly maxTime: number;
    readonly transpileOnly?: boolean;
}

/**
 * Runs `preview` and writes its report; the exit code (0 no mandatory verdict, 1 any, 2 the preview could not run or
 * the program failed). With --format json or sarif, a preview that has no verdict (a program error, a time-out, an
 * early exit, an unsupported runtime, a bad file) still writes a report: the error.
 */
export async function previewCommand(programDir: string, flags: PreviewFlags, io: CliIo = processIo): Promise<number> {
    const problem = outputProblem(flags);
    if (problem !== undefined) {
        await usageFailureDocument("preview", flags, problem, io);
        io.stderr(`error: ${problem}\n`);
        return 2;
    }
    let names: { project?: string; stack?: string } = {};
    try {
        // The program runs in a process of its own, served and judged by this one.
        const { prepareRun, recordRun, judgeRun, exitCodeOf } = await import("../preview/run");
        const { previewReport } = await import("../preview/report");
        const options = {
            programDir,
            stack: flags.stack,
            configFile: flags.config,
            policyConfigFile: flags.policyConfig,
            accountId: flags.account,
            timeoutSeconds: flags.timeout,
            maxTimeSeconds: flags.maxTime,
            transpileOnly: flags.transpileOnly,
            output: (text: string) => text !== "" && io.stderr(text),
        };
        const run = prepareRun(options);
        names = { project: run.project, stack: run.stack };
        const { record, ending } = await recordRun(run, options);
        const result = await judgeRun(run, record, ending);
        const written = await writeReport(previewReport(result, process.cwd()), flags, io);
        if (result.programError !== undefined) {
            io.stderr(`error: the program failed: ${terminalLines(result.programError)}\n`);
        }
        return written ? exitCodeOf(result) : 2;
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const { PreviewSetupError } = await import("../preview/program");
        const failure = { kind: e instanceof PreviewSetupError ? e.kind : "preview", message };
        // JSON's error object, SARIF's failed invocation, the page saying so: a failure is never an empty stdout.
        await writeFailure("preview", flags, failure, io, [], names);
        io.stderr(`error: ${terminalLines(message)}\n`);
        return 2;
    }
}
