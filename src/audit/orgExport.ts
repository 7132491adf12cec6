/**
 * `alicloud-sharing org export`: the resource directory, read only, written as the organization file the components,
 * the pack, the preview and the audit read (src/graph/organization.ts). The tree (folders, members, their names) comes
 * from the live directory; the allow-list and account sites, which the directory cannot tell, are kept from the file
 * being replaced; the file of another resource directory is not replaced. The file is checked against the organization
 * file's schema and read back before it is written, and written whole or not at all, keeping the replaced file's
 * permissions.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { OrganizationFile, organizationOf, parseOrganizationText, readOrganizationFile } from "../graph/organization";
import { quotedEscapes, terminalText } from "../report/safe";
import { AlibabaApiError } from "../sdk/errors";
import { organizationProblems } from "../rules/settings";
import { apiSettings } from "../sdk/settings";
import { Deadline, auditContext } from "./clients";
import { DirectoryMember, DirectoryRead, organizationOfDirectory, readDirectory } from "./directory";
import { AuditOptions, AuditSetupError, DEFAULT_DEADLINE_MS, DEFAULT_HOME_REGION, checked, withinDeadline } from "./run";

/** How to export. */
export interface OrgExportOptions extends Pick<AuditOptions, "endpoint" | "env" | "concurrency" | "timeoutMs" | "deadlineMs" | "maxPages" | "maxRetries" | "retryBaseDelayMs" | "onProgress"> {
    /** The file to write; none: the text is returned only (printed by the command). An existing file's allow-list and sites are kept. */
    readonly output?: string;
    /** `yaml` or `json`. Defaults to JSON for an output ending in `.json`, else YAML. */
    readonly format?: "yaml" | "json";
}

/** What was exported. */
export interface OrgExportResult {
    readonly file: OrganizationFile;
    /** The file's text, as written (or to print). */
    readonly text: string;
    readonly format: "yaml" | "json";
    readonly directory: DirectoryRead;
    /** What was kept from the file replaced (`allowedRecipients`, `accountSites`). */
    readonly kept: readonly string[];
    /** The members left out: their membership is not in effect (`CreateFailed`, `Inviting`…). */
    readonly left: readonly DirectoryMember[];
    readonly requests: number;
}

/** The directory could not be exported whole: nothing was written. */
export class OrgExportError extends Error {}

/** Whether a member's membership is in effect: a status of the API's `…Success`, or none said. */
const inEffect = (m: DirectoryMember): boolean => m.status === undefined || m.status.endsWith("Success");

/** The deadline's error as the export's: what did not finish, and only the options `org export` has. */
const exportDeadline = (e: AlibabaApiError): AlibabaApiError =>
    new AlibabaApiError({
        action: "org export",
        resource: "the resource directory",
        code: e.code,
        detail: e.detail.replace(/^the audit did not finish/, "the export did not finish"),
        fix: "Raise the deadline (--deadline), or check that the endpoint answers.",
        retryable: false,
    });

/** The problems of an organization file: its schema's, and the tree's own (a folder or account listed twice). */
function problemsOf(file: unknown): string[] {
    const schema = organizationProblems(file, "organization").map((p) => `${p.path} ${p.message}`);
    return schema.length > 0 ? schema : organizationOf(file as OrganizationFile).problems.map((p) => p);
}

/** The file's text: YAML with a header saying where it came from, or JSON. */
function render(file: OrganizationFile, format: "yaml" | "json", directoryId: string, kept: readonly string[]): string {
    if (format === "json") {
        // Every control, format and separator character of a name as a \u escape: the text is safe on a terminal, and reads back the same.
        return `${quotedEscapes(JSON.stringify(file, null, 2))}\n`;
    }
    const header = [
        `# The organization file of resource directory ${directoryId}, written by alicloud-sharing org export (read only).`,
        "# resourceDirectory is replaced on each export;" + (kept.length > 0 ? ` ${kept.join(" and ")} ${kept.length === 1 ? "was" : "were"} kept from the file it replaced.` : " allowedRecipients and accountSites, when written here, are kept."),
    ];
    // A name holding a control, format or separator character (a line break, a bidi override) is written as a
    // double-quoted scalar with each such character as a \u escape: one line, safe on a terminal, read back the same.
    // js-yaml would write it raw (or as a block of several lines), so it is dumped as a placeholder, then replaced.
    const token = `q${randomBytes(8).toString("hex")}n`;
    const quoted: string[] = [];
    const placed = JSON.parse(JSON.stringify(file), (_key, value: unknown) => {
        if (typeof value === "string" && terminalText(value) !== value) {
            quoted.push(value);
            return `${token}${quoted.length - 1}`;
        }
        return value;
    }) as OrganizationFile;
    const body = yaml.dump(placed, { lineWidth: -1, noRefs: true, quotingType: '"' }).replace(new RegExp(`${token}([0-9]+)`, "g"), (_m, i: string) => quotedEscapes(JSON.stringify(quoted[Number(i)])));
    return `${header.join("\n")}\n${body}`;
}

/**
 * Writes `text` to `output` whole or not at all: into a temporary file beside it, created anew under a random name
 * (`O_CREAT | O_EXCL`: a file or link already at that name is never opened, let alone followed), with the permissions
 * of the file it replaces (else 0644 less the umask), flushed, then renamed over it.
 */
function writeWhole(output: string, text: string): void {
    const target = path.resolve(output);
    let kept: number | undefined;
    try {
        kept = fs.statSync(target).mode & 0o7777;
    } catch {
        // A new file: 0644, less the umask.
    }
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(8).toString("hex")}.tmp`);
    let created = false;
    try {
        const fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, kept ?? 0o644);
        created = true;
        try {
            if (kept !== undefined) {
                // The mode asked at creation is cut by the umask: set as the replaced file had it.
                fs.fchmodSync(fd, kept);
            }
            fs.writeFileSync(fd, text);
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(temporary, target);
    } catch (e) {
        if (created) {
            fs.rmSync(temporary, { force: true });
        }
        throw new AuditSetupError(`cannot write ${terminalText(output)}: ${terminalText((e as Error).message)}`);
    }
}

/**
 * Reads the directory of the caller's credential and makes its organization file; with `output`, writes it (the
 * allow-list and sites of the file there kept). Throws {@link AuditSetupError} for bad options, an existing file
 * that is not an organization file or is the file of another resource directory, {@link OrgExportError} when the directory was not read whole or the file would
 * not be valid (nothing written), and the `AlibabaApiError` of a call that failed.
 */
export async function runOrgExport(options: OrgExportOptions = {}): Promise<OrgExportResult> {
    const started = Date.now();
    const env = options.env ?? process.env;
    const { endpoint, concurrency } = checked({ ...options, regions: [] }, env);
    const format = options.format ?? (options.output !== undefined && options.output.toLowerCase().endsWith(".json") ? "json" : "yaml");
    let existing: OrganizationFile | undefined;
    if (options.output !== undefined && fs.existsSync(options.output)) {
        let parsed: unknown;
        try {
            parsed = readOrganizationFile(options.output);
        } catch (e) {
            throw new AuditSetupError(`${terminalText((e as Error).message)}: not replaced (move it away to write a new one)`);
        }
        const problems = problemsOf(parsed ?? {});
        if (problems.length > 0) {
            throw new AuditSetupError(`${terminalText(options.output)} is not a valid organization file (${terminalText(problems.join("; "))}): not replaced (fix it or move it away)`);
        }
        existing = (parsed ?? {}) as OrganizationFile;
    }
    const settings = apiSettings({ env, region: env.ALIBABA_CLOUD_REGION_ID || DEFAULT_HOME_REGION, endpoint, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries, retryBaseDelayMs: options.retryBaseDelayMs });
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const deadline: Deadline = { at: started + deadlineMs, ms: deadlineMs };
    const ctx = auditContext(settings, concurrency, { maxPages: options.maxPages, deadline, onProgress: options.onProgress });
    const directory = await withinDeadline(readDirectory(ctx), ctx, deadline).catch((e: unknown) => {
        throw e instanceof AlibabaApiError && e.code === "DeadlineExceeded" ? exportDeadline(e) : e;
    });
    if (directory.incomplete.length > 0) {
        throw new OrgExportError(`the directory was not read whole, so no organization file was written:\n${directory.incomplete.map((n) => `  ${terminalText(n)}`).join("\n")}`);
    }
    // The file of another directory: its allow-list and sites name that directory's folders and accounts, not this
    // one's; replacing it would lose it and keep them. Refused: the user chooses another file or moves it away.
    const otherId = existing?.resourceDirectory?.id;
    if (otherId !== undefined && otherId !== directory.id) {
        throw new AuditSetupError(
            `${terminalText(options.output)} is the organization file of resource directory ${terminalText(otherId)}, not of ${directory.id} (the directory of these credentials): ` +
                "not replaced (its allow-list and sites are that directory's); write to another file, or move it away to write a new one",
        );
    }
    const kept = existing === undefined ? [] : (["allowedRecipients", "accountSites"] as const).filter((k) => existing![k] !== undefined);
    // A member whose membership is not in effect (being created or invited, or failed) is not a member of the file.
    const left = directory.members.filter((m) => !inEffect(m));
    const file: OrganizationFile = {
        ...organizationOfDirectory({ ...directory, members: directory.members.filter(inEffect) }),
        ...(existing?.allowedRecipients === undefined ? {} : { allowedRecipients: existing.allowedRecipients }),
        ...(existing?.accountSites === undefined ? {} : { accountSites: existing.accountSites }),
    };
    const text = render(file, format, directory.id, kept);
    // Checked as every reader will read it: the text parsed back, against the schema and the tree's own rules.
    const problems = problemsOf(parseOrganizationText(text, options.output ?? "(the exported file)"));
    if (problems.length > 0) {
        throw new OrgExportError(`the organization file would not be valid, so it was not written: ${terminalText(problems.join("; "))}`);
    }
    if (options.output !== undefined) {
        writeWhole(options.output, text);
    }
    return { file, text, format, directory, kept, left, requests: ctx.log.total };
}
