/**
 * The offline preview: reads a Pulumi program's files (`Pulumi.yaml`, stack config, policy config, all checked before
 * anything runs), then runs the program in a child process of its own, under the mock runtime and a time limit, and
 * returns what it registered and the verdicts on it. No Pulumi CLI, no cloud credentials.
 */
import { fork } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ProgramRun } from "./execute";
import { DEFAULT_REGION, PreviewSetupError, entryOf, previewAccountOf, readPolicyConfig, readProject, readStackConfig, stackConfigFile } from "./program";
import type { ReportRequest } from "./render";
import { DEFAULT_TIMEOUT_SECONDS, PreviewResult } from "./verdicts";
import type { WorkerMessage } from "./worker";

export { PreviewSetupError } from "./program";
export { exitCodeOf } from "./verdicts";
export type { PreviewResult, Verdict } from "./verdicts";

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
    /** The program's time limit, in seconds. Default 120. */
    readonly timeoutSeconds?: number;
    /** Compile TypeScript without checking types (as `PULUMI_NODEJS_TRANSPILE_ONLY=true` does for `pulumi`). */
    readonly transpileOnly?: boolean;
}

export { DEFAULT_TIMEOUT_SECONDS } from "./verdicts";

/**
 * The child's script: the built `worker.js` beside this module, or, when this module runs from source (tests, a
 * development shell), the one `npm run build` wrote to dist/. The child always runs built code: a TypeScript
 * program is compiled by its own ts-node only, never twice.
 */
function workerScript(): string {
    for (const candidate of [path.join(__dirname, "worker.js"), path.join(__dirname, "..", "..", "dist", "preview", "worker.js")]) {
        if (fs.existsSync(candidate)) {
            return candidate;
        }
    }
    throw new PreviewSetupError("the preview's child process runs from dist/: run npm run build first");
}

/** Stops the child and every process it started (it leads a process group of its own). */
function killGroup(pid: number | undefined): void {
    if (pid === undefined) {
        return;
    }
    try {
        process.kill(-pid, "SIGKILL");
    } catch {
        // Gone already.
    }
}

/** Runs the program in a child process; resolves with its result, or rejects with a PreviewSetupError saying why there is none. */
function runInChild(run: ProgramRun, timeoutSeconds: number, report?: ReportRequest): Promise<{ result: PreviewResult; report?: string }> {
    const script = workerScript();
    const nonce = randomBytes(16).toString("hex");
    return new Promise((resolve, reject) => {
        // The child's stdout is our stderr: what the program prints never mixes with the report. Detached: it leads a
        // process group, so the time limit stops whatever the program started too.
        const child = fork(script, [], { cwd: run.programDir, execArgv: [], stdio: ["ignore", 2, 2, "ipc"], serialization: "advanced", detached: true });
        const stopOnSignal = () => killGroup(child.pid);
        process.once("SIGINT", stopOnSignal);
        process.once("SIGTERM", stopOnSignal);
        let settled = false;
        const finish = (f: () => void) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                process.removeListener("SIGINT", stopOnSignal);
                process.removeListener("SIGTERM", stopOnSignal);
                f();
            }
        };
        const timer = setTimeout(() => {
            finish(() =>
                reject(
                    new PreviewSetupError(
                        `the program did not finish within ${timeoutSeconds} s, compiling included (a timer or connection left open, an endless loop, or a wait for something that never comes); ` +
                            "it was stopped, with every process it started. Give it longer with --timeout SECONDS.",
                    ),
                ),
            );
            killGroup(child.pid);
        }, timeoutSeconds * 1000);
        child.on("message", (message: WorkerMessage) => {
            // Only the worker knows the nonce: anything else on the channel is the program's, and ignored.
            if (typeof message !== "object" || message === null || message.nonce !== nonce) {
                return;
            }
            if (message.kind === "result") {
                finish(() => resolve({ result: message.result, report: message.report }));
            } else if (message.kind === "refused") {
                finish(() => reject(new PreviewSetupError(message.message)));
            } else if (message.kind === "unsettled") {
                finish(() =>
                    reject(
                        new PreviewSetupError(
                            "the program never finished: the promise it returned (or exported, or awaited at the top) never settled, and nothing was left to wait for. Make sure every promise it awaits resolves or rejects.",
                        ),
                    ),
                );
            } else {
                finish(() => reject(new PreviewSetupError(`the preview failed: ${message.message}`)));
            }
        });
        child.on("error", (e) => finish(() => reject(new PreviewSetupError(`the preview could not start its child process: ${e.message}`))));
        child.on("exit", (code, signal) => {
            finish(() =>
                reject(
                    new PreviewSetupError(
                        `the program ended its process (${signal ?? `exit code ${code}`}) before it finished, or closed its channel to the preview; a Pulumi program must not call process.exit`,
                    ),
                ),
            );
            killGroup(child.pid);
        });
        child.send({ run, nonce, ...(report === undefined ? {} : { report }) });
    });
}

/** Reads the program's files and checks them: throws PreviewSetupError when the preview cannot run. */
export function prepareRun(options: PreviewOptions): ProgramRun {
    const programDir = path.resolve(options.programDir);
    if (!fs.existsSync(programDir) || !fs.statSync(programDir).isDirectory()) {
        throw new PreviewSetupError(`${options.programDir} is not a folder`);
    }
    const project = readProject(programDir);
    const { file, stack } = stackConfigFile(programDir, options);
    const config = readStackConfig(file, project.name);
    const { config: policyConfig, source: policyConfigSource } = readPolicyConfig(options.policyConfigFile, config);
    const accountId = previewAccountOf(options.accountId, config);
    return {
        programDir,
        entry: entryOf(programDir, project),
        project: project.name,
        stack,
        configSource: file ?? "(no stack config)",
        config,
        policyConfig,
        policyConfigSource,
        accountId,
        region: config["alicloud:region"] ?? DEFAULT_REGION,
        transpileOnly: options.transpileOnly === true,
        typescript: project.typescript !== false,
    };
}

/** Runs the preview. Throws PreviewSetupError when the program cannot be run, or ran but never finished. */
export async function runPreview(options: PreviewOptions): Promise<PreviewResult> {
    return (await runInChild(prepareRun(options), options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS)).result;
}

/**
 * Runs the preview and renders its report in the child (which has the policies and renderers loaded already), as the
 * CLI prints it: the result, and the text for stdout.
 */
export async function runPreviewReport(options: PreviewOptions, report: ReportRequest): Promise<{ result: PreviewResult; report: string }> {
    const done = await runInChild(prepareRun(options), options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, report);
    return { result: done.result, report: done.report ?? "" };
}
