/**
 * alicloud-sharing audit [--region R]... [--format text|json|sarif] [--map mermaid] [--intended FILE]
 *                        [--policy-config FILE] [--endpoint HOST:PORT] [--concurrency N] [--request-timeout S] [--deadline S]
 *
 * Exit code 0 when no mandatory violation, 1 when any, 2 when the audit could not run or could not read everything
 * (its error is shown, with no credential in it and every value from outside escaped).
 */
import * as path from "path";
import { terminalText } from "../report/safe";
import { redact } from "../sdk/errors";
import type { ReadProgress } from "./clients";
import { OrgExportError } from "./orgExport";
import { renderAuditJson, renderAuditMermaid, renderAuditSarif, renderAuditText } from "./render";
import { AuditSetupError, ENDPOINT_VARIABLE, auditExitCode, runAudit } from "./run";

/** The usage line. */
export const AUDIT_USAGE =
    "usage: alicloud-sharing audit [--region R]... [--format text|json|sarif] [--map mermaid] [--intended FILE]... [--policy-config FILE] [--endpoint HOST:PORT] [--concurrency N] [--request-timeout S] [--deadline S] " +
    "[--directory [--access-role NAME] [--account-concurrency N] [--removing ID]...]";

/** `--map mermaid` with `--directory`: the map is one account's. */
export const MAP_WITH_DIRECTORY = "--map mermaid draws one account's sharing map; with --directory, the report says what each owner shares and each account receives (text or json)";

/** `--map mermaid` with SARIF: the flowchart has no place in a SARIF log, and stdout must stay one document. */
export const MAP_WITH_SARIF = "--map mermaid goes with --format text (after the report) or json (as its mermaid key), not sarif";

/** The parsed arguments. */
export interface AuditArgs {
    readonly regions: readonly string[];
    readonly format: "text" | "json" | "sarif";
    readonly map?: "mermaid";
    readonly intendedFile?: string;
    readonly policyConfigFile?: string;
    readonly endpoint?: string;
    readonly concurrency?: number;
    /** How long one request may wait for its answer, in seconds. */
    readonly requestTimeoutSeconds?: number;
    /** How long the whole audit may take, in seconds. */
    readonly deadlineSeconds?: number;
    /** Audit the whole resource directory of the credential's account (its management account). */
    readonly directory?: boolean;
    /** The role assumed in each member (`--directory`). */
    readonly accessRole?: string;
    /** Accounts read at once (`--directory`). */
    readonly accountConcurrency?: number;
    /** Shares or images about to be removed: who loses what (`--directory`). */
    readonly removing?: readonly string[];
    /** Every `--intended` file (`--directory` takes several: one per stack). */
    readonly intendedFiles?: readonly string[];
}

/** Where the audit writes, and the environment it reads. */
export interface AuditIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Defaults to `process.env`. */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Whether stderr is a terminal: progress is shown there only then. Defaults to false. */
    readonly stderrIsTTY?: boolean;
}

const processIo: AuditIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), stderrIsTTY: process.stderr.isTTY === true };

/** Seconds as a whole number from 1 to `max`, or a setup error naming the option. */
function seconds(flag: string, v: string, max: number): number {
    const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > max) {
        throw new AuditSetupError(`${flag} takes a whole number of seconds from 1 to ${max}, not ${terminalText(v)}`);
    }
    return n;
}

/** Parses the arguments (a leading `audit` is the subcommand, and skipped); throws an {@link AuditSetupError} with the usage on anything else. */
export function parseAuditArgs(argv: readonly string[]): AuditArgs {
    const rest = argv[0] === "audit" ? argv.slice(1) : [...argv];
    const regions: string[] = [];
    let format: AuditArgs["format"] = "text";
    let map: AuditArgs["map"];
    let intendedFile: string | undefined;
    let policyConfigFile: string | undefined;
    let endpoint: string | undefined;
    let concurrency: number | undefined;
    let requestTimeoutSeconds: number | undefined;
    let deadlineSeconds: number | undefined;
    let directory = false;
    let accessRole: string | undefined;
    let accountConcurrency: number | undefined;
    const removing: string[] = [];
    const intendedFiles: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const flag = rest[i];
        const value = (): string => {
            const v = rest[++i];
            if (v === undefined || v.startsWith("--")) {
                throw new AuditSetupError(`${terminalText(flag)} needs a value\n${AUDIT_USAGE}`);
            }
            return v;
        };
        switch (flag) {
            case "--region":
                regions.push(...value().split(",").map((r) => r.trim()).filter((r) => r !== ""));
                break;
            case "--format": {
                const f = value();
                if (f !== "text" && f !== "json" && f !== "sarif") {
                    throw new AuditSetupError(`--format takes text, json or sarif, not ${terminalText(f)}`);
                }
                format = f;
                break;
            }
            case "--map": {
                const m = value();
                if (m !== "mermaid") {
                    throw new AuditSetupError(`--map takes mermaid, not ${terminalText(m)}`);
                }
                map = m;
                break;
            }
            case "--intended":
                intendedFiles.push(path.resolve(value()));
                intendedFile ??= intendedFiles[0];
                break;
            case "--directory":
                directory = true;
                break;
            case "--access-role":
                accessRole = value();
                break;
            case "--account-concurrency": {
                const v = value();
                accountConcurrency = /^[0-9]+$/.test(v) ? Number(v) : NaN;
                if (!Number.isInteger(accountConcurrency) || accountConcurrency < 1 || accountConcurrency > 64) {
                    throw new AuditSetupError(`--account-concurrency takes a whole number from 1 to 64, not ${terminalText(v)}`);
                }
                break;
            }
            case "--removing":
                removing.push(...value().split(",").map((r) => r.trim()).filter((r) => r !== ""));
                break;
            case "--policy-config":
                policyConfigFile = path.resolve(value());
                break;
            case "--endpoint":
                endpoint = value();
                break;
            case "--concurrency": {
                const v = value();
                concurrency = /^[0-9]+$/.test(v) ? Number(v) : NaN;
                if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
                    throw new AuditSetupError(`--concurrency takes a whole number from 1 to 64, not ${terminalText(v)}`);
                }
                break;
            }
            case "--request-timeout":
                requestTimeoutSeconds = seconds(flag, value(), 3_600);
                break;
            case "--deadline":
                deadlineSeconds = seconds(flag, value(), 86_400);
                break;
            default:
                throw new AuditSetupError(`${flag.startsWith("-") ? `unknown option ${terminalText(flag)}` : `unexpected argument ${terminalText(flag)}`}\n${AUDIT_USAGE}`);
        }
    }
    if (map !== undefined && format === "sarif") {
        throw new AuditSetupError(MAP_WITH_SARIF);
    }
    return { regions, format, map, intendedFile, policyConfigFile, endpoint, concurrency, requestTimeoutSeconds, deadlineSeconds, directory, accessRole, accountConcurrency, removing, intendedFiles };
}

/** What only an organization's audit takes, and what only a single account's does: a usage error naming the option. */
function modeProblem(args: AuditArgs): string | undefined {
    if (args.directory === true) {
        return args.map !== undefined ? MAP_WITH_DIRECTORY : undefined;
    }
    const only = [
        ["--access-role", args.accessRole !== undefined],
        ["--account-concurrency", args.accountConcurrency !== undefined],
        ["--removing", (args.removing ?? []).length > 0],
    ].filter(([, given]) => given).map(([flag]) => flag);
    if (only.length > 0) {
        return `${only.join(", ")} ${only.length === 1 ? "goes" : "go"} with --directory (the audit of a whole resource directory)`;
    }
    if ((args.intendedFiles ?? []).length > 1) {
        return "one account's audit compares with one --intended file; several (one per stack) go with --directory";
    }
    return undefined;
}

/** The credential values of the environment, to keep out of anything shown. */
const secretsOf = (env: Readonly<Record<string, string | undefined>>): string[] =>
    ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_OIDC_TOKEN"]
        .map((k) => env[k])
        .filter((v): v is string => typeof v === "string" && v.length >= 4);

/** Replaces each secret value, as it is, by `[redacted]` (the report is data read from the account: nothing else is touched). */
const scrub = (text: string, secrets: readonly string[]): string => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);

/**
 * The message of an error for stderr: credentials and signatures redacted, and every value from outside escaped for
 * the terminal. A setup error's lines, and an export's, are its own (values in it were escaped when it was made); any
 * other error is one line, whatever the API put in it.
 */
export function errorLine(e: unknown, secrets: readonly string[]): string {
    const message = redact(e instanceof Error ? e.message : String(e), secrets);
    return `error: ${e instanceof AuditSetupError || e instanceof OrgExportError ? message.split("\n").map(terminalText).join("\n") : terminalText(message)}\n`;
}

/**
 * Progress on a terminal's stderr: one line rewritten in place, at most every quarter second, and every second while
 * nothing happens (a server that does not answer shows as the time going by, with its request awaiting an answer);
 * cleared at the end.
 */
function progressLine(io: AuditIo): { update: (p: ReadProgress) => void; clear: () => void } {
    if (io.stderrIsTTY !== true) {
        return { update: () => undefined, clear: () => undefined };
    }
    const started = Date.now();
    let last = 0;
    let latest: ReadProgress | undefined;
    let ticking: NodeJS.Timeout | undefined;
    const show = (p: ReadProgress) => {
        last = Date.now();
        io.stderr(`\r\x1b[Kreading the account: ${p.requests} requests (${p.inFlight} awaiting an answer), ${p.items} list items, ${((last - started) / 1000).toFixed(0)} s`);
    };
    return {
        update: (p) => {
            latest = p;
            ticking ??= setInterval(() => Date.now() - last >= 1000 && show(latest!), 1000).unref();
            if (Date.now() - last >= 250) {
                show(p);
            }
        },
        clear: () => {
            clearInterval(ticking);
            if (latest !== undefined) {
                io.stderr("\r\x1b[K");
            }
        },
    };
}

/**
 * Runs the audit as the `audit` subcommand: prints the report (text, JSON or SARIF; with `--map mermaid` the map as a
 * Mermaid flowchart too) and returns the exit code: 0 no mandatory violation, 1 any, 2 the audit could not run.
 */
export async function auditMain(argv: readonly string[], io: AuditIo = processIo): Promise<number> {
    let args: AuditArgs;
    try {
        args = parseAuditArgs(argv);
    } catch (e) {
        io.stderr(errorLine(e, secretsOf(io.env ?? process.env)));
        return 2;
    }
    return runAuditCommand(args, io);
}

/**
 * Runs the audit with parsed arguments (the `audit` command of the CLI): prints the report; the exit code. With
 * `--map mermaid`, text gets the flowchart after the report and JSON as its `mermaid` key (stdout stays one JSON
 * document); SARIF refuses it.
 */
export async function runAuditCommand(args: AuditArgs, io: AuditIo = processIo): Promise<number> {
    const env = io.env ?? process.env;
    const secrets = secretsOf(env);
    if (args.map !== undefined && args.format === "sarif") {
        io.stderr(errorLine(new AuditSetupError(MAP_WITH_SARIF), secrets));
        return 2;
    }
    const problem = modeProblem(args);
    if (problem !== undefined) {
        io.stderr(errorLine(new AuditSetupError(problem), secrets));
        return 2;
    }
    if (args.directory === true) {
        return runOrganizationCommand(args, io, env, secrets);
    }
    const progress = progressLine(io);
    try {
        const result = await runAudit({
            regions: args.regions,
            policyConfigFile: args.policyConfigFile,
            intendedFile: args.intendedFile,
            endpoint: args.endpoint ?? (env[ENDPOINT_VARIABLE] || undefined),
            concurrency: args.concurrency,
            timeoutMs: args.requestTimeoutSeconds === undefined ? undefined : args.requestTimeoutSeconds * 1000,
            deadlineMs: args.deadlineSeconds === undefined ? undefined : args.deadlineSeconds * 1000,
            onProgress: progress.update,
            env,
        });
        progress.clear();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const version: string = require("../../package.json").version;
        const source = args.intendedFile === undefined ? undefined : path.basename(args.intendedFile);
        const mermaid = args.map === "mermaid" ? renderAuditMermaid(result) : undefined;
        const out =
            args.format === "json"
                ? renderAuditJson(result, mermaid)
                : args.format === "sarif"
                  ? renderAuditSarif(result, version)
                  : `${renderAuditText(result, source)}${mermaid === undefined ? "" : `\n\n${mermaid}`}`;
        io.stdout(scrub(`${out}\n`, secrets));
        if (result.incomplete.length > 0) {
            io.stderr(`error: the audit could not read everything (${result.incomplete.length} ${result.incomplete.length === 1 ? "answer" : "answers"} it could not use, listed in the report): exit 2 unless a mandatory violation was found\n`);
        }
        return auditExitCode(result);
    } catch (e) {
        progress.clear();
        io.stderr(errorLine(e, secrets));
        return 2;
    }
}

/** Runs the audit of a whole resource directory (`audit --directory`): prints its report; the exit code. */
async function runOrganizationCommand(args: AuditArgs, io: AuditIo, env: Readonly<Record<string, string | undefined>>, secrets: readonly string[]): Promise<number> {
    const progress = progressLine(io);
    try {
        const { organizationExitCode, runOrganizationAudit } = await import("./organization");
        const { renderOrganizationJson, renderOrganizationSarif, renderOrganizationText } = await import("./renderOrganization");
        const result = await runOrganizationAudit({
            regions: args.regions,
            policyConfigFile: args.policyConfigFile,
            intendedFiles: args.intendedFiles ?? (args.intendedFile === undefined ? [] : [args.intendedFile]),
            endpoint: args.endpoint ?? (env[ENDPOINT_VARIABLE] || undefined),
            concurrency: args.concurrency,
            timeoutMs: args.requestTimeoutSeconds === undefined ? undefined : args.requestTimeoutSeconds * 1000,
            deadlineMs: args.deadlineSeconds === undefined ? undefined : args.deadlineSeconds * 1000,
            accessRole: args.accessRole,
            accountConcurrency: args.accountConcurrency,
            removing: args.removing,
            onProgress: progress.update,
            env,
        });
        progress.clear();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const version: string = require("../../package.json").version;
        const out = args.format === "json" ? renderOrganizationJson(result) : args.format === "sarif" ? renderOrganizationSarif(result, version) : renderOrganizationText(result);
        io.stdout(scrub(`${out}\n`, secrets));
        const failed = result.accounts.filter((a) => a.error !== undefined).length;
        if (failed > 0 || result.incomplete.length > 0) {
            io.stderr(`error: the audit could not read everything (${failed} ${failed === 1 ? "account" : "accounts"} not read, ${result.incomplete.length} ${result.incomplete.length === 1 ? "answer" : "answers"} it could not use, listed in the report): exit 2 unless a mandatory violation was found\n`);
        }
        return organizationExitCode(result);
    } catch (e) {
        progress.clear();
        io.stderr(errorLine(e, secrets));
        return 2;
    }
}

if (require.main === module) {
    // Exit once the report has reached its reader (process.exit drops what a pipe has not taken yet).
    const exit = (code: number) => process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
    auditMain(process.argv.slice(2)).then(exit, (e) => {
        process.stderr.write(errorLine(e, secretsOf(process.env)));
        exit(2);
    });
}
