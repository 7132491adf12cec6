/** What the components share: config, target arguments, validation and error reporting. */
import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";
import { sharingIdOf } from "../alibaba/ids";
import { Recipient, at } from "../intent/model";
import { ErrorWithFindings, FINDINGS_LOG_PREFIX, REPORT_REFUSALS_VARIABLE, collectRefusals, collectingRefusals, subjectUrnOf, withFindings, withWarnings } from "../rules/errors";
import { noteRefusal } from "./programGraph";
export { checkedOrCollected } from "../rules/errors";
import { leafStrings, redactFinding, redactText } from "../rules/redact";
import { SHARED_SETTING_NAMES, contextFromSettings, sharedSettingProblems, withOrganizationFile } from "../rules/settings";
import { AllowedRecipients, Finding, FindingSubject, RuleContext, formatFinding } from "../rules/types";

/** Whether the stack keeps a config key secret (`PULUMI_CONFIG_SECRET_KEYS`): the runtime says, though its typings do not. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/** The package name: the prefix of every type token and of the stack config namespace. */
export const PACKAGE = "alicloud-sharing";
export const typeToken = (className: string): string => `${PACKAGE}:index:${className}`;

/** The recipients of a share. Give one or more of the three; they are plain values, known when the program runs. */
export interface ShareTargetsArgs {
    /** Sharee Alibaba Cloud account ids (16 digits), each listed once, never the owner's own (C1, C2, C4). */
    accountIds?: string[];
    /** Share with every member of this resource directory (`rd-…`); members that join later gain access (C24). */
    resourceDirectoryId?: string;
    /** Share with the members under these folders, each a path `rd-…/r-…/fd-…[/fd-…]` (C1, C24). */
    folderPaths?: string[];
}

/** The targets as located values, in argument order: accounts, directory, folders. */
export function targetsOf(args: ShareTargetsArgs): Recipient[] {
    return [
        ...asArray(args.accountIds).map((v, i) => ({ ...at<string>(`accountIds[${i}]`, v), expected: "account" as const })),
        ...(args.resourceDirectoryId === undefined ? [] : [{ ...at<string>("resourceDirectoryId", args.resourceDirectoryId), expected: "directory" as const }]),
        ...asArray(args.folderPaths).map((v, i) => ({ ...at<string>(`folderPaths[${i}]`, v), expected: "folderPath" as const })),
    ];
}

/**
 * Where a finding that names recipients (`values`: account ids, `rd-…`, folder paths, trust patterns or folder ids) finds
 * the first of them in these arguments, compared as Resource Sharing names them: `accountIds[2]`, `resourceDirectoryId`,
 * `folderPaths[0]`; undefined when the arguments give none of them.
 */
export function recipientPathOf(args: ShareTargetsArgs, values: readonly string[] | undefined): string | undefined {
    const targets = targetsOf(args).filter((t) => typeof t.value === "string");
    // A trust policy's folder pattern (`rd-…/r-…/fd-…*`) as the path it was rendered from.
    const whole = (v: string) => (v.endsWith("*") ? v.slice(0, -1) : v).replace(/\/+$/, "");
    for (const value of values ?? []) {
        // The same recipient as written, else as the same path, else (a folder named by its id) the same folder.
        const found =
            targets.find((t) => t.value === value) ?? targets.find((t) => whole(t.value!) === whole(value)) ?? targets.find((t) => sharingIdOf(t.value!) === sharingIdOf(value));
        if (found !== undefined) {
            return found.path;
        }
    }
    return undefined;
}

/** The first argument that gives recipients (`accountIds` when none does): where a finding on the whole trust points. */
export function firstRecipientArgument(args: ShareTargetsArgs): "accountIds" | "resourceDirectoryId" | "folderPaths" {
    return asArray(args.accountIds).length > 0 ? "accountIds" : args.resourceDirectoryId !== undefined ? "resourceDirectoryId" : asArray(args.folderPaths).length > 0 ? "folderPaths" : "accountIds";
}

/** A list argument as an array; anything else (from a loosely typed caller) as empty. */
export function asArray<T>(value: T[] | undefined): T[] {
    return Array.isArray(value) ? value : [];
}

/** The value of an input when it is already a plain value, undefined when it is an output or promise. */
export function known<T extends string | number | boolean>(input: pulumi.Input<T> | undefined): T | undefined {
    return typeof input === "string" || typeof input === "number" || typeof input === "boolean" ? (input as T) : undefined;
}

/**
 * The rule context from the stack config namespace `alicloud-sharing`: the settings the policy pack takes too
 * (`accountSites`, `allowedRecipients`, `resourceDirectoryAccountIds`, the limits such as `maxAccountsPerSnapshot`
 * and the lists `encryptedImageRegions`, `essdCategories`), each checked against the same JSON schema as the pack's.
 * Bad config is an error naming every bad key.
 */
export function contextFromConfig(): RuleContext {
    const config = new pulumi.Config(PACKAGE);
    const values: Record<string, unknown> = {};
    for (const key of SHARED_SETTING_NAMES) {
        const raw = config.get(key);
        if (raw !== undefined) {
            values[key] = parseConfigValue(raw);
        }
    }
    // The organization file, read where the program runs (pulumi runs it in the project's directory).
    const loaded = withOrganizationFile(values, process.cwd());
    const problems = [...loaded.problems, ...sharedSettingProblems(loaded.values)];
    if (problems.length > 0) {
        // A key the stack keeps secret is named, never echoed: neither the value at fault nor any part of the key's value.
        // The organization file's problems quote no value: the file is long, and its path says where to look.
        const secretKeys = SHARED_SETTING_NAMES.filter((key) => values[key] !== undefined && isConfigSecret(`${PACKAGE}:${key}`));
        const secrets = secretKeys.flatMap((key) => leafStrings(values[key]));
        const secretKeyOf = (path: string) => secretKeys.find((key) => path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`));
        const line = (p: { path: string; message: string }) => {
            const secretKey = secretKeyOf(p.path);
            return secretKey !== undefined
                ? `  - ${PACKAGE}:${secretKey}: ${redactText(p.message, secrets)} (a secret: its value is not shown)`
                : `  - ${PACKAGE}:${p.path}: ${p.message}${p.path.startsWith("organization") ? "" : ` (got ${JSON.stringify(valueAt(values, p.path))})`}`;
        };
        throw new pulumi.RunError(`the stack config of ${PACKAGE} is not valid:\n${problems.map(line).join("\n")}`);
    }
    return contextFromSettings(loaded.values);
}

/** A config value as the program wrote it: JSON when it parses (numbers, lists, objects), else the string. */
function parseConfigValue(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/** The value at a JSON path such as `allowedRecipients.accountIds[0]`, for messages. */
function valueAt(values: unknown, path: string): unknown {
    return path
        .split(/\.|\[(\d+)\]/)
        .filter((p) => p !== undefined && p !== "")
        .reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined), values);
}

/** Reads an allow-list (S3) of `{ accountIds, resourceDirectoryIds, folderPathPrefixes }`, each a list of strings. */
export function allowedRecipientsOf(value: unknown, where: string): AllowedRecipients {
    const problems = sharedSettingProblems({ allowedRecipients: value });
    if (problems.length > 0 || value === undefined) {
        throw new pulumi.RunError(`${where} must be an object of string lists accountIds, resourceDirectoryIds, folderPathPrefixes; ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}.`);
    }
    return contextFromSettings({ allowedRecipients: value }).allowedRecipients!;
}

/** What a component's findings are about: its type token and name. */
export const componentSubject = (componentType: string, name: string): FindingSubject => ({ type: typeToken(componentType), name });

/**
 * Throws every error finding at once as an `InputPropertiesError` carrying the findings (and, given the component's
 * options, the URN the component would have had); returns the warnings.
 */
export function throwIfInvalid(componentType: string, name: string, findings: readonly Finding[], opts?: pulumi.ComponentResourceOptions): Finding[] {
    const subject = componentSubject(componentType, name);
    // The recipients a finding names were for placing it in the arguments (its path): not carried further.
    const located = findings.map(({ values: _placed, ...f }) => ({ ...f, subject }));
    const errors = located.filter((f) => f.severity === "error");
    if (errors.length > 0) {
        noteRefusal();
        throw withWarnings(withFindings(
            new pulumi.InputPropertiesError({
                message: `${componentType} "${name}" has ${errors.length} invalid argument${errors.length === 1 ? "" : "s"}:\n` +
                    errors.map((f) => `  - ${f.path}: ${formatFinding(f)}`).join("\n"),
                errors: errors.map((f) => ({ propertyPath: f.path, reason: formatFinding(f) })),
            }),
            errors,
            opts === undefined ? undefined : pulumi.createUrn(name, typeToken(componentType), opts.parent),
        ), located.filter((f) => f.severity === "warning"));
    }
    return located.filter((f) => f.severity === "warning");
}

/**
 * Completes a component that refused its arguments while refusals are collected (the offline preview): no children,
 * each named output unknown (so nothing downstream runs on a value that was never made).
 */
export function registerRefused(component: pulumi.ComponentResource, outputs: readonly string[]): void {
    for (const name of outputs) {
        Object.defineProperty(component, name, { value: pulumi.output(pulumi.unknown), enumerable: true });
    }
    (component as unknown as { registerOutputs(outputs: object): void }).registerOutputs({});
}

/** Whether the program runs under the offline preview, which asked for every refusal to be reported (rules/errors.ts). */
const reportingRefusals = (): boolean => process.env[REPORT_REFUSALS_VARIABLE] === "report";

/** An error's findings to the engine as data (a debug message, before the error itself), about the given resource. */
function logFindings(error: ErrorWithFindings, about?: pulumi.Resource): void {
    void pulumi.log.debug(`${FINDINGS_LOG_PREFIX}${JSON.stringify({ message: error.message, findings: error.findings })}`, about);
}

// Under the offline preview a refused component reports its refusal to the engine (findings, then the error) and
// registers empty, and the program goes on: every refused component is reported, not only the first. Elsewhere (pulumi
// up, pulumi preview) the refusal is thrown. Once per process, whichever copy of this package loads first.
if (reportingRefusals() && !collectingRefusals()) {
    collectRefusals((error) => {
        const urn = subjectUrnOf(error);
        const about = urn === undefined ? undefined : ({ urn } as unknown as pulumi.Resource);
        logFindings(error as ErrorWithFindings, about);
        void pulumi.log.error((error as Error).message, about);
    });
}

/** Logs warnings on the component, each with its rule id. */
export function logWarnings(warnings: readonly Finding[], resource: pulumi.Resource): void {
    for (const w of warnings) {
        void pulumi.log.warn(formatFinding(w), resource);
    }
}

/**
 * For a check inside `apply`: throws the errors as one `ResourceError` on the resource at fault, carrying the findings,
 * with the given secret values redacted from every message.
 */
export function failOnErrors(findings: readonly Finding[], resource: pulumi.Resource, subject?: FindingSubject, secrets: readonly string[] = []): void {
    const errors = findings.filter((f) => f.severity === "error").map(({ values: _placed, ...f }) => redactFinding(subject === undefined ? f : { ...f, subject }, secrets));
    if (errors.length > 0) {
        // The message says everything (the stack would only show Pulumi's internals: hidden, as the runner allows).
        const error = withFindings(new pulumi.ResourceError(errors.map((f) => `${f.path}: ${formatFinding(f)}`).join("\n"), resource, true), errors);
        // Shown as its stack, as the runner prints a rejection: inspecting it whole walks the resource and the promise
        // the runtime hangs on it (tens of seconds of garbage collection for one error, under Pulumi's runner).
        Object.defineProperty(error, inspect.custom, { value: () => error.stack ?? error.message, enumerable: false });
        if (reportingRefusals()) {
            logFindings(error, resource);
        }
        throw error;
    }
}

/**
 * The values of the given inputs that are secret: call inside an `apply` that waited for them (each is resolved then,
 * so asking whether it is secret, and its value, does not wait on anything unknown).
 */
export async function secretStringsOf(inputs: readonly unknown[]): Promise<string[]> {
    const found: string[] = [];
    for (const input of inputs) {
        if (input instanceof Promise) {
            // A secret wrapped in a promise is as secret: what it resolves to is looked at (a rejection holds no value).
            found.push(...(await secretStringsOf([await input.catch(() => undefined)])));
        } else if (Array.isArray(input)) {
            found.push(...(await secretStringsOf(input)));
        } else if (pulumi.Output.isInstance(input) && (await pulumi.isSecret(input))) {
            found.push(...leafStrings(await new Promise<unknown>((resolve) => input.apply((v) => resolve(v)))));
        } else if (typeof input === "object" && input !== null && !pulumi.Output.isInstance(input)) {
            found.push(...(await secretStringsOf(Object.values(input))));
        }
    }
    return found;
}

/**
 * The names of the given inputs that are secret (a secret output, or one wrapped in a promise): for a dynamic
 * provider, which the engine hands every value plain, so that its errors quote none of them.
 */
export function secretInputNames(inputs: Readonly<Record<string, pulumi.Input<unknown> | undefined>>): pulumi.Output<string[]> {
    return pulumi.output(
        Promise.all(Object.entries(inputs).map(async ([name, value]) => (value !== undefined && (await pulumi.isSecret(pulumi.output(value))) ? name : undefined))).then((names) =>
            names.filter((n): n is string => n !== undefined),
        ),
    );
}

/** `failOnErrors`, with the secret values of the inputs the findings were judged from redacted. */
export async function failOnErrorsOf(findings: readonly Finding[], resource: pulumi.Resource, subject: FindingSubject, inputs: readonly unknown[]): Promise<void> {
    if (findings.some((f) => f.severity === "error")) {
        failOnErrors(findings, resource, subject, await secretStringsOf(inputs));
    }
}

/** The resource share name derived from a Pulumi name: the characters C28 allows, at most 50. */
export function defaultShareName(name: string): string {
    const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 50);
    return cleaned.length > 0 ? cleaned : "share";
}

/** A stable, collision-free suffix for a child named after a value. */
export function childSuffix(value: string | undefined, index: number): string {
    return value !== undefined && /^[A-Za-z0-9._-]+$/.test(value) ? value : String(index);
}
