/**
 * `alicloud-sharing emulator`: the emulator served from the command line, so that the README's audit example runs as
 * written. Prints the shell lines that point the audit at it on stdout (what a person copies, or a script reads), says
 * what it serves on stderr, and stays up until interrupted.
 */
import * as fs from "fs";
import { terminalText } from "../report/safe";
import { DEMO_PREVIEW_FILE, loadDemo } from "./demo";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, emptyAccount, startEmulator } from "./emulator";
import { loadOrganization } from "./organization";

/** What to serve. */
export interface ServeOptions {
    /** `demo`: the demo account; `organization`: the demo account managing a resource directory of four members; `empty`: an account with nothing shared. */
    readonly fixture: "demo" | "organization" | "empty";
    /** 0: any free port. */
    readonly port: number;
    /** Where to write the demo account's stack (`alicloud-sharing preview --format json` of it), for `audit --intended`. */
    readonly intendedFile?: string;
}

/** Where the command writes, and what stops it (defaults: the process's SIGINT and SIGTERM). */
export interface ServeIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Resolves when the emulator should stop. */
    readonly stopped?: Promise<unknown>;
}

/** The shell lines that point the audit (and Alibaba's SDKs) at an emulator. */
export const exportLines = (endpoint: string): string =>
    [`export ALICLOUD_SHARING_ENDPOINT=${endpoint}`, `export ALIBABA_CLOUD_ACCESS_KEY_ID=${EMULATOR_KEY_ID}`, `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${EMULATOR_KEY_SECRET}`].join("\n");

const interrupted = (): Promise<unknown> =>
    new Promise((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    });

/** Serves the emulator until stopped; the exit code (0, or 2 when it cannot start). */
export async function serveEmulator(options: ServeOptions, io: ServeIo): Promise<number> {
    if (options.intendedFile !== undefined) {
        try {
            fs.copyFileSync(DEMO_PREVIEW_FILE, options.intendedFile);
        } catch (e) {
            io.stderr(`error: cannot write ${terminalText(options.intendedFile)}: ${terminalText((e as Error).message)}\n`);
            return 2;
        }
    }
    const stopped = io.stopped ?? interrupted();
    let emulator;
    try {
        emulator = await startEmulator({ port: options.port });
    } catch (e) {
        io.stderr(`error: the emulator cannot listen on 127.0.0.1:${options.port}: ${terminalText((e as Error).message)}\n`);
        return 2;
    }
    if (options.fixture === "demo") {
        loadDemo(emulator);
    } else if (options.fixture === "organization") {
        loadOrganization(emulator);
    } else {
        emulator.account = emptyAccount();
    }
    const what =
        options.fixture === "organization"
            ? `the organization ${emulator.directory!.resourceDirectoryId}: management account ${emulator.account.accountId} and ${emulator.accounts.size} members`
            : `the ${options.fixture} account ${emulator.account.accountId}`;
    io.stderr(
        `alicloud-sharing emulator: ${what} (emulated, not an Alibaba Cloud account) at http://${emulator.endpoint}` +
            `${options.intendedFile === undefined ? "" : `; its stack's preview written to ${terminalText(options.intendedFile)}`}. Ctrl-C stops it.\n`,
    );
    io.stdout(`${exportLines(emulator.endpoint)}\n`);
    await stopped;
    await emulator.stop();
    return 0;
}
