/**
 * Where the command writes, what it reads of the environment, and how an error is shown: credentials and signatures
 * redacted, every value from outside escaped for the terminal.
 */
import { terminalText } from "../report/safe";
import { redact } from "../sdk/errors";

/** Where the command writes, and the environment it reads. */
export interface CliIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Whether stderr is a terminal (the audit shows its progress there only then). Defaults to false. */
    readonly stderrIsTTY?: boolean;
    /** The environment (credentials, the endpoint override). Defaults to `process.env`. */
    readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams. */
export const processIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), stderrIsTTY: process.stderr.isTTY === true };

/** The credential values of the environment, to keep out of anything shown. */
export const secretsOf = (env: Readonly<Record<string, string | undefined>>): string[] =>
    ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_OIDC_TOKEN"]
        .map((k) => env[k])
        .filter((v): v is string => typeof v === "string" && v.length >= 4);

/** Replaces each secret value, as it is, by `[redacted]` (a report is data read from the account: nothing else is touched). */
export const scrub = (text: string, secrets: readonly string[]): string => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);


/**
 * The message of an error for stderr: credentials and signatures redacted, and every value from outside escaped for
 * the terminal. An error that says its lines are its own (a setup error, an export's) keeps them; any other error is
 * one line, whatever the API put in it.
 */
export function errorLine(e: unknown, secrets: readonly string[], ownLines: (e: unknown) => boolean = () => false): string {
    const message = redact(e instanceof Error ? e.message : String(e), secrets);
    return `error: ${ownLines(e) ? message.split("\n").map(terminalText).join("\n") : terminalText(message)}\n`;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require("../../package.json").version;
