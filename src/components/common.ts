/** What the components share: config, target arguments, validation and error reporting. */
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_SITES, AccountSite, SharingLimits } from "../alibaba/limits";
import { Located, at } from "../intent/model";
import { ruleContext } from "../rules/registry";
import { AllowedRecipients, Finding, RuleContext, formatFinding } from "../rules/types";

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
export function targetsOf(args: ShareTargetsArgs): Located<string>[] {
    return [
        ...asArray(args.accountIds).map((v, i) => at<string>(`accountIds[${i}]`, v)),
        ...(args.resourceDirectoryId === undefined ? [] : [at<string>("resourceDirectoryId", args.resourceDirectoryId)]),
        ...asArray(args.folderPaths).map((v, i) => at<string>(`folderPaths[${i}]`, v)),
    ];
}

/** A list argument as an array; anything else (from a loosely typed caller) as empty. */
export function asArray<T>(value: T[] | undefined): T[] {
    return Array.isArray(value) ? value : [];
}

/** The value of an input when it is already a plain value, undefined when it is an output or promise. */
export function known<T extends string | number | boolean>(input: pulumi.Input<T> | undefined): T | undefined {
    return typeof input === "string" || typeof input === "number" || typeof input === "boolean" ? (input as T) : undefined;
}

const SITE_KEYS: (keyof SharingLimits)[] = [
    "maxAccountsPerSnapshot",
    "maxSharedSnapshotsPerOwner",
    "sharedSnapshotsInUse",
    "imageShareQuota",
    "maxPolicyDocumentBytes",
];

/**
 * The rule context from the stack config namespace `alicloud-sharing`: `accountSites` (C3), the number limits
 * (`imageShareQuota`, `maxAccountsPerSnapshot`, `sharedSnapshotsInUse`, …) and the lists `encryptedImageRegions`
 * (C19) and `essdCategories` (C11). Bad config is an error that names the key.
 */
export function contextFromConfig(): RuleContext {
    const config = new pulumi.Config(PACKAGE);
    const limits: Partial<Record<keyof SharingLimits, unknown>> = {};
    for (const key of SITE_KEYS) {
        const value = config.getNumber(key);
        if (value !== undefined) {
            if (!Number.isInteger(value) || value < 0) {
                throw new pulumi.RunError(`${PACKAGE}:${key} must be a whole number of at least 0; got ${value}.`);
            }
            limits[key] = value;
        }
    }
    for (const key of ["encryptedImageRegions", "essdCategories"] as const) {
        const value = config.getObject<unknown>(key);
        if (value !== undefined) {
            if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
                throw new pulumi.RunError(`${PACKAGE}:${key} must be a list of strings; got ${JSON.stringify(value)}.`);
            }
            limits[key] = value;
        }
    }
    const sites = config.getObject<Record<string, unknown>>("accountSites") ?? {};
    const bad = Object.entries(sites).filter(([, site]) => !(ACCOUNT_SITES as readonly unknown[]).includes(site));
    if (typeof sites !== "object" || Array.isArray(sites) || bad.length > 0) {
        throw new pulumi.RunError(
            `${PACKAGE}:accountSites must map account ids to ${ACCOUNT_SITES.map((s) => `"${s}"`).join(" or ")}; check ${bad.map(([a]) => a).join(", ")}.`,
        );
    }
    const allowed = config.getObject<Record<string, unknown>>("allowedRecipients");
    return ruleContext({
        limits: limits as Partial<SharingLimits>,
        accountSites: sites as Record<string, AccountSite>,
        allowedRecipients: allowed === undefined ? undefined : allowedRecipientsOf(allowed, `${PACKAGE}:allowedRecipients`),
    });
}

/** Reads an allow-list (S3) of `{ accountIds, resourceDirectoryIds, folderPathPrefixes }`, each a list of strings. */
export function allowedRecipientsOf(value: unknown, where: string): AllowedRecipients {
    const lists = ["accountIds", "resourceDirectoryIds", "folderPathPrefixes"] as const;
    const object = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const bad = object === undefined ? [...lists] : lists.filter((k) => object[k] !== undefined && !(Array.isArray(object[k]) && (object[k] as unknown[]).every((v) => typeof v === "string")));
    if (bad.length > 0) {
        throw new pulumi.RunError(`${where} must be an object of string lists ${lists.join(", ")}; check ${bad.join(", ")}.`);
    }
    return {
        accountIds: (object!.accountIds as string[] | undefined) ?? [],
        resourceDirectoryIds: (object!.resourceDirectoryIds as string[] | undefined) ?? [],
        folderPathPrefixes: (object!.folderPathPrefixes as string[] | undefined) ?? [],
    };
}

/** Throws every error finding at once as an `InputPropertiesError`; returns the warnings. */
export function throwIfInvalid(componentType: string, name: string, findings: readonly Finding[]): Finding[] {
    const errors = findings.filter((f) => f.severity === "error");
    if (errors.length > 0) {
        throw new pulumi.InputPropertiesError({
            message: `${componentType} "${name}" has ${errors.length} invalid argument${errors.length === 1 ? "" : "s"}:\n` +
                errors.map((f) => `  - ${f.path}: ${formatFinding(f)}`).join("\n"),
            errors: errors.map((f) => ({ propertyPath: f.path, reason: formatFinding(f) })),
        });
    }
    return findings.filter((f) => f.severity === "warning");
}

/** Logs warnings on the component, each with its rule id. */
export function logWarnings(warnings: readonly Finding[], resource: pulumi.Resource): void {
    for (const w of warnings) {
        void pulumi.log.warn(formatFinding(w), resource);
    }
}

/** For a check inside `apply`: throws the errors as one `ResourceError` on the resource at fault. */
export function failOnErrors(findings: readonly Finding[], resource: pulumi.Resource): void {
    const errors = findings.filter((f) => f.severity === "error");
    if (errors.length > 0) {
        throw new pulumi.ResourceError(errors.map((f) => `${f.path}: ${formatFinding(f)}`).join("\n"), resource);
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
