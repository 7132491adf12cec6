/**
 * Every process a program started, found and stopped: on Linux, through /proc, by the mark the preview puts in the
 * program's environment (which every process it starts inherits, detached, `setsid` or double-forked alike, unless it
 * is started with an environment that leaves the mark out), by descent from the program's process (watched while it
 * runs, so that a process whose parent ended is still known), and by the program's process group. Elsewhere, the
 * process group only.
 */
import * as fs from "fs";

/** The environment variable that marks a run's processes; its value is the run's random token. */
export const RUN_MARK_VARIABLE = "ALICLOUD_SHARING_PREVIEW_RUN";

/** A process as /proc shows it: its id, parent and start time (which tells a reused id apart). */
interface ProcessInfo {
    readonly pid: number;
    readonly ppid: number;
    readonly start: string;
}

const PROC = "/proc";

/** Whether processes can be found through /proc here. */
export const canSweep = (): boolean => fs.existsSync(`${PROC}/self/environ`);

function processInfo(pid: number): ProcessInfo | undefined {
    try {
        const stat = fs.readFileSync(`${PROC}/${pid}/stat`, "utf8");
        // The command name is in parentheses and may hold anything: the fields start after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime
        return fields[0] === "Z" ? undefined : { pid, ppid: Number(fields[1]), start: fields[19] };
    } catch {
        return undefined;
    }
}

function allProcesses(): ProcessInfo[] {
    let entries: string[];
    try {
        entries = fs.readdirSync(PROC);
    } catch {
        return [];
    }
    return entries
        .filter((e) => /^[0-9]+$/.test(e))
        .map((e) => processInfo(Number(e)))
        .filter((p): p is ProcessInfo => p !== undefined && p.pid !== process.pid);
}

function carriesMark(pid: number, mark: Buffer): boolean {
    try {
        return fs.readFileSync(`${PROC}/${pid}/environ`).includes(mark);
    } catch {
        return false;
    }
}

/** The run's processes: the root, the marked ones, those seen below the root before, and everything below them. */
function runProcesses(mark: Buffer, seen: ReadonlyMap<number, string>): ProcessInfo[] {
    const all = allProcesses();
    const children = new Map<number, ProcessInfo[]>();
    for (const p of all) {
        children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    }
    const found = new Map<number, ProcessInfo>();
    const add = (p: ProcessInfo) => {
        if (!found.has(p.pid)) {
            found.set(p.pid, p);
            (children.get(p.pid) ?? []).forEach(add);
        }
    };
    for (const p of all) {
        // A process id is reused once its process is gone: a process seen before counts only with the same start time.
        if (seen.get(p.pid) === p.start || carriesMark(p.pid, mark)) {
            add(p);
        }
    }
    return [...found.values()];
}

const signal = (pid: number, name: NodeJS.Signals): void => {
    try {
        process.kill(pid, name);
    } catch {
        // Gone already, or not ours.
    }
};

/**
 * Whether the process group named by the run's first process id may still be the run's. Linux gives no process an id
 * that a live process group still has; so when a process holds that id with another start time, the id was given
 * anew and the run's group is gone (signalling it would signal a stranger's group: ids come round fast where
 * `pid_max` is 32,768). Without /proc, the group is all there is to go by.
 */
export function groupMayBeTheRuns(root: { readonly start: string } | undefined, now: { readonly start: string } | undefined, sweepable: boolean): boolean {
    return !sweepable || root === undefined || now === undefined || now.start === root.start;
}

/** Watches a run's processes while it runs, and stops every one of them. */
export interface ProcessSweeper {
    /** Stops every process of the run still there: frozen first (so that none starts another), then killed. */
    sweep(): void;
    /** Stops watching (the sweep still works). */
    close(): void;
}

/**
 * Watches the processes of a run whose first process is `rootPid` (the leader of its own process group) and whose
 * environment carries `RUN_MARK_VARIABLE=token`: every half second, the processes below it are noted, so that one
 * whose parent has ended is still found.
 */
export function watchRun(rootPid: number, token: string, intervalMs = 500): ProcessSweeper {
    const mark = Buffer.from(`${RUN_MARK_VARIABLE}=${token}`);
    const seen = new Map<number, string>();
    const sweepable = canSweep();
    const root = sweepable ? processInfo(rootPid) : undefined;
    if (root !== undefined) {
        seen.set(root.pid, root.start);
    }
    const note = () => runProcesses(mark, seen).forEach((p) => seen.set(p.pid, p.start));
    const timer = sweepable ? setInterval(note, intervalMs) : undefined;
    timer?.unref();
    return {
        sweep() {
            // Frozen first, while the program's process may still be there to say what is below it: none starts another.
            const frozen = new Map<number, ProcessInfo>();
            for (let round = 0; sweepable && round < 100; round++) {
                const found = runProcesses(mark, seen).filter((p) => frozen.get(p.pid)?.start !== p.start);
                if (found.length === 0) {
                    break;
                }
                for (const p of found) {
                    signal(p.pid, "SIGSTOP");
                    frozen.set(p.pid, p);
                    seen.set(p.pid, p.start);
                }
            }
            // The process group (all there is wherever /proc is not), unless its id is another process's now; then everything found.
            if (groupMayBeTheRuns(root, sweepable ? processInfo(rootPid) : undefined, sweepable)) {
                signal(-rootPid, "SIGKILL");
            }
            for (const p of frozen.values()) {
                signal(p.pid, "SIGKILL");
            }
        },
        close() {
            if (timer !== undefined) {
                clearInterval(timer);
            }
        },
    };
}
