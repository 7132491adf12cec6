/**
 * The offline preview, as `pulumi preview --policy-pack` runs a program: the program's files read and checked first
 * (`Pulumi.yaml`, stack config, policy config), then the preview serves the resource monitor and engine log (monitor.ts)
 * and runs the program with its own `@pulumi/pulumi` language runner (runner.ts), with a time limit; once the
 * program's process has ended, what it registered is judged here, with the pack's policies (judge.ts). Three roles in
 * two processes: the program in its own, the engine and the pack in the preview's. No Pulumi CLI, no cloud credentials.
 */
import * as fs from "fs";
import * as path from "path";
import { redactText } from "../rules/redact";
import { ProgramRun, judgeRun, knownSecrets, policyConfigRefusal } from "./judge";
import { MonitorRecord, startMonitor } from "./monitor";
import { DEFAULT_REGION, PreviewSetupError, entryOf, previewAccountOf, readPolicyConfig, readProject, readStackConfig, stackConfigFile } from "./program";
import { RunnerEnding, runProgram } from "./runner";
import { plainText } from "./runnerReports";
import { DEFAULT_MAX_TIME_SECONDS, DEFAULT_TIMEOUT_SECONDS, PreviewResult } from "./verdicts";

export { PreviewSetupError } from "./program";
export type { PreviewErrorKind } from "./program";
export { exitCodeOf } from "./verdicts";
export type { PreviewResult } from "./verdicts";
export type { ProgramRun } from "./judge";
export { judgeRun } from "./judge";

export interface PreviewOptions {
    /** The folder holding `Pulumi.yaml`. */
    readonly programDir: string;
    /** The stack whose `Pulumi.<stack>.yaml` to use. */
    readonly stack?: string;
    /** A stack config file to use instead. */
    readonly configFile?: string;
    /** The policy config (by policy name), as `pulumi preview --policy-pack-config` takes it. Else the stack's `alicloud-sharing:policyConfig`. */
    readonly policyConfigFile?: string;
    /** The account the default provider reports. Defaults to the stack's `alicloud-sharing:previewAccountId`, else 1000000000000000. */
    readonly accountId?: string;
    /** How long the program may go without progress (registering, reading, invoking, logging), in seconds. Default 120. */
    readonly timeoutSeconds?: number;
    /** How long the program may run in all, in seconds. Default 3600. */
    readonly maxTimeSeconds?: number;
    /** Compile TypeScript without checking types (as `PULUMI_NODEJS_TRANSPILE_ONLY=true` does for `pulumi`). */
    readonly transpileOnly?: boolean;
    /**
     * Where the program's own output goes (its standard output and error, and the info and warning messages of its
     * engine log). Defaults to this process's standard error, so that a report on standard output stays whole.
     */
    readonly output?: (text: string) => void;
}

export { DEFAULT_MAX_TIME_SECONDS, DEFAULT_TIMEOUT_SECONDS } from "./verdicts";

/**
 * The policy config with each policy's relative `organizationFile` read from the program's folder (as the components
 * read theirs), wherever the preview is run from: the same verdicts from any working directory.
 */
export function anchoredToProgram(config: unknown, programDir: string): unknown {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        return config;
    }
    return Object.fromEntries(
        Object.entries(config).map(([policy, entry]) => {
            const file = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>).organizationFile : undefined;
            return typeof file === "string" && file !== "" && !path.isAbsolute(file) ? [policy, { ...(entry as Record<string, unknown>), organizationFile: path.resolve(programDir, file) }] : [policy, entry];
        }),
    );
}

/** Reads the program's files and checks them: throws PreviewSetupError when the preview cannot run. */
export function prepareRun(options: PreviewOptions): ProgramRun {
    const programDir = path.resolve(options.programDir);
    if (!fs.existsSync(programDir) || !fs.statSync(programDir).isDirectory()) {
        throw new PreviewSetupError(`${options.programDir} is not a folder`);
    }
    const project = readProject(programDir);
    const { file, stack } = stackConfigFile(programDir, options);
    const config = readStackConfig(file, project.name, project.secretKeys);
    const { config: policyConfig, source: policyConfigSource } = readPolicyConfig(options.policyConfigFile, config);
    const accountId = previewAccountOf(options.accountId, config);
    const entry = entryOf(programDir, project);
    if (entry.endsWith(".ts") && project.typescript === false) {
        throw new PreviewSetupError(`Pulumi.yaml sets runtime.options.typescript to false, so pulumi would not compile ${path.basename(entry)}; compile it first, or remove that option`);
    }
    const run: ProgramRun = {
        programDir,
        entry,
        main: project.main ?? ".",
        project: project.name,
        stack,
        configSource: file ?? "(no stack config)",
        config,
        secretKeys: project.secretKeys.filter((k) => config[k] !== undefined),
        policyConfig: anchoredToProgram(policyConfig, programDir),
        policyConfigSource,
        accountId,
        region: config["alicloud:region"] ?? DEFAULT_REGION,
        transpileOnly: options.transpileOnly === true,
        typescript: project.typescript !== false,
    };
    const refusal = policyConfigRefusal(run);
    if (refusal !== undefined) {
        throw new PreviewSetupError(refusal);
    }
    return run;
}

const toStderr = (text: string) => void process.stderr.write(text);

/** What a program's run left to judge: what arrived over the protocol, and how its process ended. */
export interface RecordedRun {
    readonly record: MonitorRecord;
    readonly ending: RunnerEnding;
}

/** Runs the program against a monitor of this process, to its end or its time limit: what it registered, and how it ended. */
export async function recordRun(run: ProgramRun, options: PreviewOptions): Promise<RecordedRun> {
    const output = options.output ?? toStderr;
    const monitor = await startMonitor({
        project: run.project,
        stack: run.stack,
        accountId: run.accountId,
        region: run.region,
        // Positions in the program's files, as Node names them (the real path of the folder).
        programDir: fs.realpathSync(run.programDir),
        // The program's info and warnings, as pulumi shows them; never a secret the preview knows of.
        onLog: (entry) => output(`${entry.severity}: ${redactText(plainText(entry.message), knownSecrets(run, monitor))}\n`),
    });
    const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    try {
        const ending = await runProgram({
            programDir: run.programDir,
            main: run.main,
            project: run.project,
            stack: run.stack,
            address: monitor.address,
            config: run.config,
            secretKeys: run.secretKeys,
            typescript: run.typescript,
            transpileOnly: run.transpileOnly,
            timeoutMs: timeoutSeconds * 1000,
            maxTimeMs: (options.maxTimeSeconds ?? DEFAULT_MAX_TIME_SECONDS) * 1000,
            lastCall: monitor.lastCall,
            output,
        });
        await monitor.settle();
        return { record: monitor, ending };
    } finally {
        await monitor.stop();
    }
}

/** Runs the program against a monitor of this process and judges what it registered. */
async function previewOf(run: ProgramRun, options: PreviewOptions): Promise<PreviewResult> {
    const { record, ending } = await recordRun(run, options);
    return judgeRun(run, record, ending);
}

/** Runs the preview. Throws PreviewSetupError when the program cannot be run, or ran but has nothing to judge. */
export async function runPreview(options: PreviewOptions): Promise<PreviewResult> {
    return previewOf(prepareRun(options), options);
}
