/**
 * Runs a program as `pulumi preview` runs it: `node <program's node_modules>/@pulumi/pulumi/cmd/run` (the program's own
 * language runner, which compiles TypeScript, loads CommonJS or ES modules, and waits for the program to finish) with
 * `--monitor` and `--engine` at the preview's monitor, `--project`, `--stack`, `--organization`, `--dry-run`, and the
 * stack config in `PULUMI_CONFIG` / `PULUMI_CONFIG_SECRET_KEYS`. The program's standard output and error are its own,
 * handed on as they come; when it ends or runs out of time, every process it started is stopped (sweep.ts).
 */
import { spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { StringDecoder } from "string_decoder";
import { REPORT_REFUSALS_VARIABLE } from "../rules/errors";
import { PreviewSetupError } from "./program";
import { RUN_MARK_VARIABLE, watchRun } from "./sweep";

/** How the program's process ended. */
export type RunnerEnding =
    | { readonly kind: "exited"; readonly code: number | null; readonly signal: NodeJS.Signals | null }
    /** Stopped: it made no progress for `seconds` (`idle`), or ran longer than `seconds` in all (`total`). */
    | { readonly kind: "timeout"; readonly limit: "idle" | "total"; readonly seconds: number }
    | { readonly kind: "interrupted"; readonly signal: NodeJS.Signals };

export interface RunnerRequest {
    readonly programDir: string;
    /** The program as Pulumi.yaml's `main` names it, else `.` (the runner reads package.json's entry then). */
    readonly main: string;
    readonly project: string;
    readonly stack: string;
    /** The monitor's and engine's address. */
    readonly address: string;
    /** Stack config, `namespace:key` to a string. */
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
    /** Compile TypeScript (Pulumi.yaml's `runtime.options.typescript`, true by default). */
    readonly typescript: boolean;
    /** Compile TypeScript without checking types. */
    readonly transpileOnly: boolean;
    /** How long the program may go without progress (a call to the monitor or the engine) before it is stopped. */
    readonly timeoutMs: number;
    /** How long the program may run in all, however it progresses. */
    readonly maxTimeMs: number;
    /** When the program last called the monitor or the engine (ms since the epoch), or undefined before its first call. */
    readonly lastCall: () => number | undefined;
    /** Where the program's standard output and error go, as text (a character split between two reads is whole). */
    readonly output: (text: string) => void;
}

/** The runner of the `@pulumi/pulumi` the program uses: `cmd/run` of its package. */
export function runnerOf(programDir: string): string {
    let manifest: string;
    try {
        manifest = require.resolve("@pulumi/pulumi/package.json", { paths: [programDir] });
    } catch {
        throw new PreviewSetupError(`the program in ${programDir} has no @pulumi/pulumi installed (its language runner runs the program, as pulumi runs it): run npm install there`, "setup");
    }
    const runner = path.join(path.dirname(manifest), "cmd", "run");
    if (!fs.existsSync(path.join(runner, "index.js"))) {
        throw new PreviewSetupError(`the @pulumi/pulumi of the program (${path.dirname(manifest)}) has no language runner (cmd/run)`, "setup");
    }
    return runner;
}

/**
 * The processor time a process has used (user and system), in ms, from /proc (Linux); undefined where there is no
 * /proc or the process is gone. Only the program's own process: what it starts is not its progress.
 */
export function processorMs(pid: number): number | undefined {
    let stat: string;
    try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    // After the command's name (in parentheses, which may hold anything): state, then utime and stime at 12 and 13.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * TICK_MS : undefined;
}

/** Linux counts processor time in clock ticks of 10 ms (USER_HZ is 100 on every architecture Node runs on). */
const TICK_MS = 10;

/** Runs the program to its end (or its time limit) and stops every process it started; how it ended. */
export function runProgram(request: RunnerRequest): Promise<RunnerEnding> {
    const runner = runnerOf(request.programDir);
    const token = randomBytes(16).toString("hex");
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(request.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.secretKeys),
        PULUMI_NODEJS_TYPESCRIPT: String(request.typescript),
        ...(request.transpileOnly ? { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : {}),
        [REPORT_REFUSALS_VARIABLE]: "report",
        [RUN_MARK_VARIABLE]: token,
    };
    const args = [
        runner,
        `--monitor=${request.address}`,
        `--engine=${request.address}`,
        `--project=${request.project}`,
        `--stack=${request.stack}`,
        "--organization=organization",
        `--root-directory=${request.programDir}`,
        `--pwd=${request.programDir}`,
        "--dry-run",
        request.main,
    ];
    return new Promise((resolve, reject) => {
        // Detached: the program leads a process group of its own, which the sweep stops as a whole too.
        const child = spawn(process.execPath, args, { cwd: request.programDir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        const sweeper = child.pid === undefined ? undefined : watchRun(child.pid, token);
        for (const stream of [child.stdout, child.stderr]) {
            const decoder = new StringDecoder("utf8");
            stream.on("data", (chunk: Buffer) => request.output(decoder.write(chunk)));
            stream.on("end", () => request.output(decoder.end()));
        }
        let ending: RunnerEnding | undefined;
        const stopOnSignal = (signal: NodeJS.Signals) => {
            ending ??= { kind: "interrupted", signal };
            sweeper?.sweep();
        };
        const onInterrupt = () => stopOnSignal("SIGINT");
        const onTerminate = () => stopOnSignal("SIGTERM");
        process.once("SIGINT", onInterrupt);
        process.once("SIGTERM", onTerminate);
        // The time limit counts time without progress: a program progresses while it calls the monitor or the engine,
        // or works (its process used a tenth of a core or more since the last look: compiling, constructing 50,000
        // resources before the first registration goes out). One waiting for nothing is stopped; one that never ends
        // its work (an endless loop) is stopped by the limit of the whole run.
        const started = Date.now();
        const every = Math.min(1000, Math.max(100, request.timeoutMs / 4));
        let progressed = started;
        let looked = { at: started, cpuMs: child.pid === undefined ? undefined : processorMs(child.pid) };
        let timer: NodeJS.Timeout;
        const watch = () => {
            const now = Date.now();
            const cpuMs = child.pid === undefined ? undefined : processorMs(child.pid);
            if (cpuMs !== undefined && looked.cpuMs !== undefined && cpuMs - looked.cpuMs >= (now - looked.at) / 10) {
                progressed = now;
            }
            looked = { at: now, cpuMs };
            progressed = Math.max(progressed, request.lastCall() ?? started);
            if (now - started >= request.maxTimeMs) {
                ending ??= { kind: "timeout", limit: "total", seconds: request.maxTimeMs / 1000 };
            } else if (now - progressed >= request.timeoutMs) {
                ending ??= { kind: "timeout", limit: "idle", seconds: request.timeoutMs / 1000 };
            } else {
                timer = setTimeout(watch, Math.min(every, request.maxTimeMs - (now - started)));
                return;
            }
            sweeper?.sweep();
        };
        timer = setTimeout(watch, Math.min(every, request.maxTimeMs));
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(new PreviewSetupError(`the preview could not start the program's runner: ${e.message}`, "preview"));
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            ending ??= { kind: "exited", code, signal };
            // Whatever the program left behind (a daemon, a detached child) goes with it.
            sweeper?.sweep();
            sweeper?.close();
            process.removeListener("SIGINT", onInterrupt);
            process.removeListener("SIGTERM", onTerminate);
            // Its output, to the last byte, unless something outside the sweep still holds the pipes.
            const done = () => {
                clearTimeout(late);
                resolve(ending!);
            };
            let open = 2;
            const closed = () => --open === 0 && done();
            const late: NodeJS.Timeout = setTimeout(() => {
                child.stdout.destroy();
                child.stderr.destroy();
                done();
            }, 1000);
            late.unref();
            for (const stream of [child.stdout, child.stderr]) {
                if (stream.readableEnded || stream.destroyed) {
                    closed();
                } else {
                    stream.once("close", closed);
                }
            }
        });
    });
}
