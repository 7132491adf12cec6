/**
 * The command line run in the test's own process (`main` of src/preview/cli.ts, the code the bin runs), so that one
 * process serves and judges many programs: each program still runs in a process of its own, with its own language
 * runner, against the monitor this process serves. Several run at once.
 */
import { main } from "../../src/preview/cli";

/** What a command printed, and its exit code. */
export interface CommandRun {
    readonly code: number;
    readonly out: string;
    readonly err: string;
}

/** Runs `alicloud-sharing <args>` in this process. */
export async function command(...args: string[]): Promise<CommandRun> {
    let out = "";
    let err = "";
    const code = await main(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
    return { code, out, err };
}

/** Runs commands at most `concurrency` at a time; each run's promise, by key. Start them all at once, await each where it is asserted. */
export function commands<K extends string>(runs: Record<K, string[]>, concurrency = 4): Record<K, Promise<CommandRun>> {
    let running = 0;
    const waiting: (() => void)[] = [];
    const slot = async (): Promise<() => void> => {
        if (running >= concurrency) {
            await new Promise<void>((resolve) => waiting.push(resolve));
        }
        running++;
        return () => {
            running--;
            waiting.shift()?.();
        };
    };
    const started = {} as Record<K, Promise<CommandRun>>;
    for (const [key, args] of Object.entries(runs) as [K, string[]][]) {
        started[key] = slot().then(async (release) => {
            try {
                return await command(...args);
            } finally {
                release();
            }
        });
        // A run whose test has not awaited it yet must not be an unhandled rejection.
        started[key].catch(() => undefined);
    }
    return started;
}
