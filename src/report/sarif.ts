/**
 * The report as SARIF 2.1.0, for code-scanning tools, for the preview and the audit alike: the rule registry as the
 * tool's rules (each linking its documentation), one result per verdict with a stable fingerprint of its own, located at its
 * resource's URN and, for a preview, in the program's file at the line and column where the resource was constructed
 * (relative to `%SRCROOT%`, the folder the command ran in); one note per drift entry; what kept the run from judging
 * everything (a program's error, answers that could not be read) as tool notifications, and the policies the config
 * set to another level as configuration notifications.
 */
import { createHash } from "crypto";
import { isAbsolute, relative, resolve, sep } from "path";
import { pathToFileURL } from "url";
import type { Location, Log, Notification, ReportingDescriptor, Result, Run } from "sarif";
import { rules } from "../rules/registry";
import { LevelChange, ProgramFiles, ReportModel, RunFailure, SourcePosition, Verdict, verdictLine } from "./model";
import { driftLine } from "./text";

const TOOL_URI = "https://github.com/alicloud-sharing/alicloud-sharing";
const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * Where a rule is documented: its section of docs/RULES.md in the repository, at this version's tag (a link that
 * works wherever the report is read, unlike a path on the machine that made it).
 */
export function ruleHelpUri(ruleId: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require("../../package.json") as { version: string; homepage?: string };
    const repository = (manifest.homepage ?? TOOL_URI).replace(/#.*$/, "");
    return `${repository}/blob/v${manifest.version}/docs/RULES.md#${ruleId}`;
}

/** The rule registry as a SARIF tool's rules, each linking its documentation. */
export function ruleDescriptors(): ReportingDescriptor[] {
    return rules.map((r) => ({
        id: r.id,
        name: r.id,
        shortDescription: { text: r.title },
        fullDescription: { text: r.description },
        helpUri: ruleHelpUri(r.id),
        defaultConfiguration: { level: r.severity === "error" ? "error" : "warning" },
        properties: { constraints: [...r.constraints], severity: r.severity },
    }));
}

/** The SARIF rule of drift results (a note each), after the registry's rules. */
export const DRIFT_RULE: ReportingDescriptor = {
    id: "drift",
    name: "drift",
    shortDescription: { text: "The account differs from the stack" },
    fullDescription: { text: "What the account shares that the stack does not declare (made outside the stack), or what the stack declares that the account lacks." },
    defaultConfiguration: { level: "note" },
};

/** The key of a result's fingerprint; its version changes when what the fingerprint hashes does. */
export const FINGERPRINT_KEY = "alicloudSharingVerdict/v2";

/**
 * A result's stable identity across runs, for code-scanning tools to track it: the rule, policy, account, resource and
 * place, and what is wrong (its message, which names the offending value: two accounts refused at one argument are
 * two results). Nothing secret is in it: a message is printed in every format, and never quotes a secret.
 */
export function fingerprintOf(v: Pick<Verdict, "rule" | "policy" | "urn" | "path" | "message" | "accountId">): string {
    return createHash("sha256")
        .update([v.rule ?? "", v.policy ?? "", v.accountId ?? "", v.urn ?? "", v.path ?? "", v.message].join("\n"))
        .digest("hex")
        .slice(0, 32);
}

/** `%SRCROOT%`: the folder the command ran in, as a file URI ending in `/`. */
const srcRoot = (root: string) => ({ "%SRCROOT%": { uri: `${pathToFileURL(root).href.replace(/\/?$/, "/")}` } });

/** Whether a number is a position SARIF takes: a whole number from 1 (anything else is dropped, never written). */
const isPosition = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 1;

/**
 * The file and region of a verdict: its resource's position when it has one in the program's folder, else the
 * program's entry file with no region. A file outside the program's folder, or a line or column that is not a whole
 * number from 1, is never written: the entry file stands for it.
 */
export function physicalLocationOf(source: SourcePosition | undefined, files: ProgramFiles): NonNullable<Location["physicalLocation"]> {
    const inside = (file: string): string | undefined => {
        const absolute = resolve(files.programDir, file);
        const fromProgram = relative(files.programDir, absolute);
        return fromProgram === "" || fromProgram.startsWith("..") || isAbsolute(fromProgram) ? undefined : absolute;
    };
    const placed = source !== undefined && isPosition(source.line) && isPosition(source.column) && typeof source.file === "string" ? inside(source.file) : undefined;
    const file = placed ?? resolve(files.programDir, files.entry);
    const fromRoot = relative(files.root, file);
    const artifactLocation =
        fromRoot.startsWith("..") || isAbsolute(fromRoot) ? { uri: pathToFileURL(file).href } : { uri: fromRoot.split(sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
    return { artifactLocation, ...(placed === undefined ? {} : { region: { startLine: source!.line, startColumn: source!.column } }) };
}

/** Where a result is: in the program (a preview's) and at its resource's URN. */
function locationsOf(v: Verdict, files: ProgramFiles | undefined): Location[] | undefined {
    const logical = v.urn === undefined ? undefined : [{ fullyQualifiedName: v.urn, ...(v.name === undefined ? {} : { name: v.name }), kind: "resource" }];
    if (files === undefined) {
        return logical === undefined ? undefined : [{ logicalLocations: logical }];
    }
    return [{ physicalLocation: physicalLocationOf(v.source, files), ...(logical === undefined ? {} : { logicalLocations: logical }) }];
}

/** The failure of a run, as a tool notification. */
const failureNotification = (failure: RunFailure): Notification => ({
    level: "error",
    message: { text: failure.kind === "program" ? `the program failed: ${failure.message}` : failure.message },
    properties: { kind: failure.kind },
});

/** The policies the config set to another level: a disabled one is a warning, another level a note. */
const configurationNotifications = (changes: readonly LevelChange[]): Notification[] =>
    changes.map((c) => ({ level: c.level === "disabled" ? "warning" : "note", message: { text: `the policy config sets ${c.policy} to ${c.level} (its own level is ${c.defaultLevel})` } }));

/** The tool of a log. */
const driver = (tool: ReportModel["tool"], version: string, withDrift: boolean) => ({
    name: tool === "audit" ? "alicloud-sharing audit" : "alicloud-sharing",
    version,
    informationUri: TOOL_URI,
    rules: [...ruleDescriptors(), ...(withDrift ? [DRIFT_RULE] : [])],
});

const log = (run: Run): string => JSON.stringify({ $schema: SCHEMA, version: "2.1.0", runs: [run] } satisfies Log, null, 2);


/** A result's message: the verdict's line, with the argument or property at fault as the pack's messages say it (`(rule x; at accountIds[1])`). */
function messageOf(v: Verdict): string {
    if (v.path === undefined || v.path === "") {
        return verdictLine(v);
    }
    return `${verdictLine({ ...v, rule: undefined })} (${v.rule === undefined ? "" : `rule ${v.rule}; `}at ${v.path})`;
}

/** The report as a SARIF log. */
export function renderSarif(model: ReportModel, version: string): string {
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const audited = model.tool === "audit";
    const results: Result[] = model.verdicts.map((v) => {
        const locations = locationsOf(v, model.files);
        const account = v.accountId ?? (audited ? model.accounts[0] : undefined);
        return {
            ruleId: v.rule ?? v.policy ?? "alicloud-sharing",
            ...(v.rule === undefined || !ruleIndex.has(v.rule) ? {} : { ruleIndex: ruleIndex.get(v.rule) }),
            level: v.level === "mandatory" ? "error" : "warning",
            // The argument or property at fault too: code scanning shows the message, not the properties.
            message: { text: messageOf(v) },
            ...(locations === undefined ? {} : { locations }),
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(v) },
            properties: {
                ...(v.policy === undefined ? {} : { policy: v.policy }),
                constraints: [...v.constraints],
                judgedBy: v.judgedBy,
                ...(account === undefined ? {} : { accountId: account }),
                ...(v.path === undefined ? {} : { path: v.path }),
                ...(v.fix === undefined ? {} : { fix: v.fix }),
            },
        };
    });
    for (const e of model.drift?.entries ?? []) {
        results.push({
            ruleId: DRIFT_RULE.id,
            ruleIndex: rules.length,
            level: "note",
            message: { text: `${e.side === "outsideStack" ? "in the account, not in the stack" : "in the stack, not in the account"}: ${driftLine(e)}` },
            properties: { kind: e.kind, key: e.key, ...(model.accounts[0] === undefined ? {} : { accountId: model.accounts[0] }) },
        });
    }
    const reads = model.reads;
    // What could not be read makes the run unsuccessful; notes and what is not in effect are said beside the results.
    const notifications: Notification[] = [
        ...(model.failure === undefined ? [] : [failureNotification(model.failure)]),
        ...(reads?.incomplete ?? []).map((text): Notification => ({ level: "error", message: { text: `not read: ${text}` } })),
        ...(reads?.notes ?? []).map((text): Notification => ({ level: "note", message: { text } })),
        ...(reads?.notInEffect ?? []).map((text): Notification => ({ level: "note", message: { text } })),
    ];
    const configuration = configurationNotifications(model.levelChanges);
    return log({
        tool: { driver: driver(model.tool, version, model.drift !== undefined) },
        ...(model.files === undefined ? {} : { originalUriBaseIds: srcRoot(model.files.root) }),
        invocations: [
            {
                executionSuccessful: model.failure === undefined && (reads?.incomplete.length ?? 0) === 0,
                ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
                ...(configuration.length === 0 ? {} : { toolConfigurationNotifications: configuration }),
            },
        ],
        results,
    });
}

/**
 * The SARIF log of a run that has no verdict (a setup error, a time-out, a program that ended early…): its one
 * invocation failed, with the error as a tool execution notification, and no results.
 */
export function renderFailureSarif(failure: RunFailure, tool: ReportModel["tool"], version: string, root?: string): string {
    return log({
        tool: { driver: driver(tool, version, false) },
        ...(root === undefined ? {} : { originalUriBaseIds: srcRoot(root) }),
        invocations: [{ executionSuccessful: false, toolExecutionNotifications: [failureNotification(failure)] }],
    });
}
