/**
 * alicloud-sharing audit [--region R]... [--format text|json|sarif] [--map mermaid] [--intended FILE]
 *                        [--policy-config FILE] [--endpoint HOST:PORT] [--concurrency N]
 *
 * Exit code 0 when no mandatory violation, 1 when any, 2 when the audit could not run (its error is shown, with no
 * credential in it).
 */
import * as path from "path";
import { AlibabaApiError, redact } from "../sdk/errors";
import { renderAuditJson, renderAuditMermaid, renderAuditSarif, renderAuditText } from "./render";
import { AuditSetupError, ENDPOINT_VARIABLE, auditExitCode, runAudit } from "./run";

/** The usage line. */
export const AUDIT_USAGE =
    "usage: alicloud-sharing audit [--region R]... [--format text|json|sarif] [--map mermaid] [--intended FILE] [--policy-config FILE] [--endpoint HOST:PORT] [--concurrency N]";

/** The parsed arguments. */
export interface AuditArgs {
    readonly regions: readonly string[];
    readonly format: "text" | "json" | "sarif";
    readonly map?: "mermaid";
    readonly intendedFile?: string;
    readonly policyConfigFile?: string;
    readonly endpoint?: string;
    readonly concurrency?: number;
}

/** Where the audit writes, and the environment it reads. */
export interface AuditIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Defaults to `process.env`. */
    readonly env?: Readonly<Record<string, string | undefined>>;
}

const processIo: AuditIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

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
    for (let i = 0; i < rest.length; i++) {
        const flag = rest[i];
        const value = (): string => {
            const v = rest[++i];
            if (v === undefined || v.startsWith("--")) {
                throw new AuditSetupError(`${flag} needs a value\n${AUDIT_USAGE}`);
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
                    throw new AuditSetupError(`--format takes text, json or sarif, not ${f}`);
                }
                format = f;
                break;
            }
            case "--map": {
                const m = value();
                if (m !== "mermaid") {
                    throw new AuditSetupError(`--map takes mermaid, not ${m}`);
                }
                map = m;
                break;
            }
            case "--intended":
                intendedFile = path.resolve(value());
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
                    throw new AuditSetupError(`--concurrency takes a whole number from 1 to 64, not ${v}`);
                }
                break;
            }
            default:
                throw new AuditSetupError(`${flag.startsWith("-") ? `unknown option ${flag}` : `unexpected argument ${flag}`}\n${AUDIT_USAGE}`);
        }
    }
    return { regions, format, map, intendedFile, policyConfigFile, endpoint, concurrency };
}

/** The credential values of the environment, to keep out of anything shown. */
const secretsOf = (env: Readonly<Record<string, string | undefined>>): string[] =>
    ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_OIDC_TOKEN"]
        .map((k) => env[k])
        .filter((v): v is string => typeof v === "string" && v.length >= 4);

/** Replaces each secret value, as it is, by `[redacted]` (the report is data read from the account: nothing else is touched). */
const scrub = (text: string, secrets: readonly string[]): string => secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);

/**
 * Runs the audit as the `audit` subcommand: prints the report (text, JSON or SARIF; with `--map mermaid` the map as a
 * Mermaid flowchart too) and returns the exit code: 0 no mandatory violation, 1 any, 2 the audit could not run.
 */
export async function auditMain(argv: readonly string[], io: AuditIo = processIo): Promise<number> {
    let args: AuditArgs;
    try {
        args = parseAuditArgs(argv);
    } catch (e) {
        io.stderr(`error: ${redact(e instanceof Error ? e.message : String(e), secretsOf(io.env ?? process.env))}\n`);
        return 2;
    }
    return runAuditCommand(args, io);
}

/** Runs the audit with parsed arguments (the `audit` command of the CLI): prints the report; the exit code. */
export async function runAuditCommand(args: AuditArgs, io: AuditIo = processIo): Promise<number> {
    const env = io.env ?? process.env;
    const secrets = secretsOf(env);
    try {
        const result = await runAudit({
            regions: args.regions,
            policyConfigFile: args.policyConfigFile,
            intendedFile: args.intendedFile,
            endpoint: args.endpoint ?? (env[ENDPOINT_VARIABLE] || undefined),
            concurrency: args.concurrency,
            env,
        });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const version: string = require("../../package.json").version;
        const source = args.intendedFile === undefined ? undefined : path.basename(args.intendedFile);
        const out = args.format === "json" ? renderAuditJson(result) : args.format === "sarif" ? renderAuditSarif(result, version) : renderAuditText(result, source);
        io.stdout(scrub(`${out}\n`, secrets));
        if (args.map === "mermaid") {
            io.stdout(scrub(`\n${renderAuditMermaid(result)}\n`, secrets));
        }
        return auditExitCode(result);
    } catch (e) {
        const message = e instanceof AuditSetupError || e instanceof AlibabaApiError ? e.message : e instanceof Error ? e.message : String(e);
        io.stderr(`error: ${redact(message, secrets)}\n`);
        return 2;
    }
}

if (require.main === module) {
    // Exit once the report has reached its reader (process.exit drops what a pipe has not taken yet).
    const exit = (code: number) => process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
    auditMain(process.argv.slice(2)).then(exit, (e) => {
        process.stderr.write(`error: ${redact(e instanceof Error ? e.message : String(e), secretsOf(process.env))}\n`);
        exit(2);
    });
}
