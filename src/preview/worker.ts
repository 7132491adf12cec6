/**
 * The offline preview's child process: runs one program (sent by the parent over IPC) and sends back the result. Its
 * standard output is the parent's standard error, so whatever the program prints never mixes with the report. The
 * parent limits its time; a program that leaves nothing to wait for before it finishes is reported as such.
 */
import { executeProgram, ProgramRun } from "./execute";

/** What the child sends: the result, or why there is none. */
export type WorkerMessage =
    | { readonly kind: "result"; readonly result: import("./verdicts").PreviewResult }
    | { readonly kind: "unsettled" }
    | { readonly kind: "failed"; readonly message: string };

let answered = false;
const answer = (message: WorkerMessage): void => {
    answered = true;
    process.send!(message, () => process.exit(0));
};

process.once("message", (run: ProgramRun) => {
    executeProgram(run).then(
        (result) => answer({ kind: "result", result }),
        (e: unknown) => answer({ kind: "failed", message: e instanceof Error ? e.message : String(e) }),
    );
});

// Node is about to exit with nothing left to wait for, and the program has not finished: its promise never settles.
process.on("beforeExit", () => {
    if (!answered) {
        answer({ kind: "unsettled" });
    }
});
