/**
 * `alicloud-sharing audit`: reads what an account (or, with --directory, every account of a resource directory)
 * shares, judges it, and prints the report. Exit 0 when no mandatory violation, 1 when any, 2 when the audit could not
 * run or could not read everything (its error is shown, with no credential in it and every value from outside escaped).
 */
import * as path from "path";
import type { ReadProgress } from "../audit/clients";
import { AuditSetupError, ENDPOINT_VARIABLE } from "../audit/run";
import { OrgExportError } from "../audit/orgExport";
import { CliIo, errorLine, processIo, secretsOf } from "./io";
import { OutputFlags, outputProblem, usageFailureDocument, writeFailure, writeReport } from "./report";

/** The options of `audit`, as the command line gives them (times in seconds). */
export interface AuditFlags extends OutputFlags {
    readonly regions: readonly string[];
    /** Every `--intended` file (`--directory` takes several: one per stack). */
    readonly intended: readonly string[];
    readonly policyConfig?: string;
    readonly endpoint?: string;
    readonly concurrency?: number;
    readonly requestTimeout?: number;
    readonly deadline?: number;
    /** Audit the whole resource directory of the credential's account (its management account). */
    readonly directory?: boolean;
    readonly accessRole?: string;
    readonly accountConcurrency?: number;
    /** Shares or images about to be removed: who loses what (`--directory`). */
    readonly removing: readonly string[];
}

/** A setup error's lines, and an export's, are its own (values in them were escaped when they were made). */
const ownLines = (e: unknown): boolean => e instanceof AuditSetupError || e instanceof OrgExportError;

/** What only an organization's audit takes, and what only a single account's does: a usage error naming the option. */
function modeProblem(flags: AuditFlags): string | undefined {
    if (flags.directory === true) {
        return undefined;
    }
    const only = [
        ["--access-role", flags.accessRole !== undefined],
        ["--account-concurrency", flags.accountConcurrency !== undefined],
        ["--removing", flags.removing.length > 0],
    ]
        .filter(([, given]) => given)
        .map(([flag]) => flag);
    if (only.length > 0) {
        return `${only.join(", ")} ${only.length === 1 ? "goes" : "go"} with --directory (the audit of a whole resource directory)`;
    }
    if (flags.intended.length > 1) {
        return "one account's audit compares with one --intended file; several (one per stack) go with --directory";
    }
    return undefined;
}

/**
 * Progress on a terminal's stderr: one line rewritten in place, at most every quarter second, and every second while
 * nothing happens (a server that does not answer shows as the time going by, with its request awaiting an answer);
 * cleared at the end.
 */
function progressLine(io: CliIo): { update: (p: ReadProgress) => void; clear: () => void } {
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

/** Runs `audit` and prints its report; the exit code. */
export async function auditCommand(flags: AuditFlags, io: CliIo = processIo): Promise<number> {
    const env = io.env ?? process.env;
    const secrets = secretsOf(env);
    const problem = outputProblem(flags) ?? modeProblem(flags);
    if (problem !== undefined) {
        await usageFailureDocument("audit", flags, problem, io);
        io.stderr(errorLine(new AuditSetupError(problem), secrets, ownLines));
        return 2;
    }
    const progress = progressLine(io);
    const common = {
        regions: flags.regions,
        policyConfigFile: flags.policyConfig === undefined ? undefined : path.resolve(flags.policyConfig),
        endpoint: flags.endpoint ?? (env[ENDPOINT_VARIABLE] || undefined),
        concurrency: flags.concurrency,
        timeoutMs: flags.requestTimeout === undefined ? undefined : flags.requestTimeout * 1000,
        deadlineMs: flags.deadline === undefined ? undefined : flags.deadline * 1000,
        onProgress: progress.update,
        env,
    };
    const intended = flags.intended.map((f) => path.resolve(f));
    try {
        if (flags.directory === true) {
            const { organizationExitCode, runOrganizationAudit } = await import("../audit/organization");
            const { organizationReport } = await import("../audit/report");
            const { renderOrganizationText } = await import("../audit/renderOrganization");
            const result = await runOrganizationAudit({ ...common, intendedFiles: intended, accessRole: flags.accessRole, accountConcurrency: flags.accountConcurrency, removing: flags.removing });
            progress.clear();
            const written = await writeReport(organizationReport(result), flags, io, secrets, (_, verbose) => renderOrganizationText(result, undefined, { verbose }));
            const failed = result.accounts.filter((a) => a.error !== undefined).length;
            if (failed > 0 || result.incomplete.length > 0) {
                io.stderr(
                    `error: the audit could not read everything (${failed} ${failed === 1 ? "account" : "accounts"} not read, ${result.incomplete.length} ${result.incomplete.length === 1 ? "answer" : "answers"} not usable, listed in the report): exit 2 unless a mandatory violation was found\n`,
                );
            }
            return written ? organizationExitCode(result) : 2;
        }
        const { auditExitCode, runAudit } = await import("../audit/run");
        const { auditReport } = await import("../audit/report");
        const result = await runAudit({ ...common, intendedFile: intended[0] });
        progress.clear();
        const written = await writeReport(auditReport(result, intended[0] === undefined ? undefined : path.basename(intended[0])), flags, io, secrets);
        if (result.incomplete.length > 0) {
            io.stderr(
                `error: the audit could not read everything (${result.incomplete.length} ${result.incomplete.length === 1 ? "answer" : "answers"} not usable, listed in the report): exit 2 unless a mandatory violation was found\n`,
            );
        }
        return written ? auditExitCode(result) : 2;
    } catch (e) {
        progress.clear();
        // As the preview's: JSON's error object, SARIF's failed invocation, the page saying so (credentials redacted).
        const { redact } = await import("../sdk/errors");
        const kind = e instanceof AuditSetupError || e instanceof OrgExportError ? "setup" : "audit";
        await writeFailure("audit", flags, { kind, message: redact(e instanceof Error ? e.message : String(e), secrets) }, io, secrets);
        io.stderr(errorLine(e, secrets, ownLines));
        return 2;
    }
}
