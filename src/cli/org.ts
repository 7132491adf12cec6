/**
 * `alicloud-sharing org export [--output FILE] [--format yaml|json] [--endpoint HOST:PORT] [--concurrency N]
 * [--request-timeout S] [--deadline S]`: the resource directory written as the organization file. Exit 0 when written
 * (or printed), 2 when not (its error on stderr, with no credential in it and every value from outside escaped).
 */
import { OrgExportError, runOrgExport } from "../audit/orgExport";
import { AuditSetupError, ENDPOINT_VARIABLE } from "../audit/run";
import { terminal, terminalText } from "../report/safe";
import { CliIo, errorLine, secretsOf } from "./io";

/** The options of `org export`, as the command line gives them. */
export interface OrgExportFlags {
    readonly output?: string;
    readonly format?: "yaml" | "json";
    readonly endpoint?: string;
    readonly concurrency?: number;
    /** Seconds. */
    readonly requestTimeout?: number;
    /** Seconds. */
    readonly deadline?: number;
}

/** Runs `org export`: writes (or prints) the organization file; the exit code. */
export async function orgExportCommand(flags: OrgExportFlags, io: CliIo): Promise<number> {
    const env = io.env ?? process.env;
    try {
        const result = await runOrgExport({
            output: flags.output,
            format: flags.format,
            endpoint: flags.endpoint ?? (env[ENDPOINT_VARIABLE] || undefined),
            concurrency: flags.concurrency,
            timeoutMs: flags.requestTimeout === undefined ? undefined : flags.requestTimeout * 1000,
            deadlineMs: flags.deadline === undefined ? undefined : flags.deadline * 1000,
            env,
        });
        const folders = result.directory.folders.length;
        const members = result.directory.members.length;
        const left = result.left.map((m) => terminal`${m.id} (${m.status ?? ""})`);
        const summary =
            `${folders} ${folders === 1 ? "folder" : "folders"} and ${members - left.length} ${members - left.length === 1 ? "member" : "members"} of ${result.directory.id} (${result.requests} requests, read only)` +
            (left.length === 0 ? "" : `; left out ${left.length === 1 ? "a member" : `${left.length} members`} whose membership is not in effect: ${left.join(", ")}`);
        if (flags.output === undefined) {
            io.stdout(result.text);
            io.stderr(`the organization file of ${summary}\n`);
        } else {
            io.stderr(
                `wrote ${terminalText(flags.output)}: ${summary}${result.kept.length === 0 ? "" : `; kept its ${result.kept.join(" and ")}`}\n`,
            );
        }
        return 0;
    } catch (e) {
        io.stderr(errorLine(e, secretsOf(env), (x) => x instanceof OrgExportError || x instanceof AuditSetupError));
        return 2;
    }
}
