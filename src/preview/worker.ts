/**
 * The offline preview's child process: runs one program (sent by the parent over IPC) and sends back the result. Its
 * standard output is the parent's standard error, so whatever the program prints never mixes with the report.
 *
 * The program is judged once this process has nothing left to do, as `pulumi` waits for a program's event loop to
 * empty: what it registers or throws later (from timers, callbacks, a promise it exports) is judged too. A program
 * whose promise never settles, while nothing is left to wait for, is reported as such; one that keeps the process
 * busy forever is stopped by the parent's time limit.
 *
 * The program cannot speak for the preview: the channel's `send` is kept here and taken from `process`, and the
 * parent accepts only a message carrying the nonce it sent, which the program never sees.
 */
import type { PreviewResult } from "./verdicts";
import type { ProgramRun, StartedProgram } from "./execute";
import type { ReportRequest } from "./render";

/** What the parent sends: the program to run, the report to render (for the CLI), and the nonce every answer must carry. */
export interface WorkerRequest {
    readonly run: ProgramRun;
    readonly report?: ReportRequest;
    readonly nonce: string;
}

/** What the child sends: the result (and the rendered report), or why there is none; always with the parent's nonce. */
export type WorkerMessage = Answer & { readonly nonce: string };

type Answer =
    | { readonly kind: "result"; readonly result: PreviewResult; readonly report?: string }
    | { readonly kind: "unsettled" }
    /** The run was refused before the program ran (its policy config). */
    | { readonly kind: "refused"; readonly message: string }
    | { readonly kind: "failed"; readonly message: string };

const send = process.send!.bind(process);
Object.defineProperty(process, "send", { value: undefined, writable: false, configurable: false });

let nonce = "";
let phase: "waiting" | "running" | "judging" | "answered" = "waiting";
let started: StartedProgram | undefined;

const answer = (message: Answer): void => {
    phase = "answered";
    send({ ...message, nonce } as WorkerMessage, () => process.exit(0));
};

const failed = (e: unknown) => answer({ kind: "failed", message: e instanceof Error ? e.message : String(e) });

let report: ReportRequest | undefined;

process.once("message", (request: WorkerRequest) => {
    nonce = request.nonce;
    report = request.report;
    phase = "running";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policyConfigRefusal, startProgram } = require("./execute") as typeof import("./execute");
    const refusal = policyConfigRefusal(request.run);
    if (refusal !== undefined) {
        answer({ kind: "refused", message: refusal });
        return;
    }
    startProgram(request.run).then((program) => {
        started = program;
    }, failed);
});

// Nothing is left to wait for: judge the program if it has finished; else its promise never settles.
process.on("beforeExit", () => {
    if (phase !== "running") {
        return;
    }
    if (started === undefined) {
        answer({ kind: "unsettled" });
        return;
    }
    phase = "judging";
    started.judge().then((result) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const rendered = report === undefined ? undefined : (require("./render") as typeof import("./render")).reportOf(result, report);
        answer({ kind: "result", result, ...(rendered === undefined ? {} : { report: rendered }) });
    }, failed);
});
