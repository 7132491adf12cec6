/**
 * The pack's configuration: one JSON schema fragment per setting, shared by the policies that use it, and the
 * reading of a policy's config into a rule context, exemptions and facts about the organization.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { ACCOUNT_SITES, AccountSite, DEFAULT_LIMITS, SharingLimits } from "../alibaba/limits";
import { RESOURCE_KINDS, ResourceKind } from "../alibaba/names";
import { ruleContext } from "../rules/registry";
import { AllowedRecipients, RuleContext } from "../rules/types";

/** An exemption from rules (S7), as configured. */
export interface Exemption {
    /** A resource URN or name; `*` matches any run of characters. */
    readonly resource: string;
    /** Rule ids (`snapshot-account-limit`) or constraint ids (`C6`). */
    readonly rules: readonly string[];
    /** Why, at least 10 characters. */
    readonly reason: string;
    /** The last day it applies, `YYYY-MM-DD`. */
    readonly expires: string;
}

/** A snapshot another account shared with this one, and the key it is encrypted with when known (C10, C11). */
export interface ReceivedSnapshot {
    readonly snapshotId: string;
    readonly kmsKeyId?: string;
}

export interface PolicySettings {
    readonly context: RuleContext;
    readonly exemptions: readonly Exemption[];
    /** The owner account(s) of the stack, for C2 and C3. */
    readonly ownerAccountIds: readonly string[];
    readonly receivedSnapshots: readonly ReceivedSnapshot[];
    /** Kinds whose share role exists outside the stack. */
    readonly existingShareRoles: readonly ResourceKind[];
}

const stringList = { type: "array", items: { type: "string" } } as const;

/** Every setting's schema. A policy declares the ones it reads. */
export const SETTINGS_SCHEMA = {
    exemptions: {
        type: "array",
        description: "Exemptions (S7): a resource URN or name pattern, the rule or constraint ids lifted, a reason and an expiry date.",
        items: {
            type: "object",
            properties: {
                resource: { type: "string", minLength: 1 },
                rules: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
                reason: { type: "string", minLength: 10 },
                expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
            },
            required: ["resource", "rules", "reason", "expires"],
            additionalProperties: false,
        },
    },
    failClosedOnUnknown: {
        type: "boolean",
        default: true,
        description: "S6: a recipient, key or trust document unknown at preview is a violation instead of a skipped check.",
    },
    allowedRecipients: {
        type: "object",
        description: "S3: who may receive shares. Folder paths allow the folders below them. Absent: anyone the other rules allow.",
        properties: { accountIds: stringList, resourceDirectoryIds: stringList, folderPathPrefixes: stringList },
        additionalProperties: false,
    },
    accountSites: {
        type: "object",
        description: 'C3: the site of each account, "china" or "international".',
        additionalProperties: { type: "string", enum: [...ACCOUNT_SITES] },
    },
    ownerAccountIds: { ...stringList, description: "C2, C3: the accounts that own the shares of the stacks (else the provider's accountId)." },
    maxAccountsPerSnapshot: { type: "integer", minimum: 1, default: DEFAULT_LIMITS.maxAccountsPerSnapshot, description: "C6." },
    maxSharedSnapshotsPerOwner: { type: "integer", minimum: 1, default: DEFAULT_LIMITS.maxSharedSnapshotsPerOwner, description: "C7." },
    sharedSnapshotsInUse: { type: "integer", minimum: 0, default: 0, description: "C7: snapshots the owner already shares outside the stack." },
    imageShareQuota: { type: "integer", minimum: 1, default: DEFAULT_LIMITS.imageShareQuota, description: "C17: the account's quota of accounts per image." },
    encryptedImageRegions: { ...stringList, description: "C19: where encrypted images can be shared.", default: [...DEFAULT_LIMITS.encryptedImageRegions] },
    essdCategories: { ...stringList, description: "C11: the disk categories allowed from shared encrypted snapshots.", default: [...DEFAULT_LIMITS.essdCategories] },
    receivedSnapshots: {
        type: "array",
        description: "C10, C11: snapshots shared with the stacks' account, with their key when known.",
        items: { type: "object", properties: { snapshotId: { type: "string" }, kmsKeyId: { type: "string" } }, required: ["snapshotId"], additionalProperties: false },
    },
    existingShareRoles: { type: "array", items: { type: "string", enum: [...RESOURCE_KINDS] }, description: "S4: kinds whose share role is managed outside the stack." },
} as const;

export type SettingName = keyof typeof SETTINGS_SCHEMA;

/** The config schema of a policy that reads the given settings (exemptions always). */
export function configSchema(settings: readonly SettingName[]): PolicyConfigSchema {
    const names = ["exemptions", ...settings.filter((s) => s !== "exemptions")] as SettingName[];
    return { properties: Object.fromEntries(names.map((n) => [n, SETTINGS_SCHEMA[n]])) as PolicyConfigSchema["properties"] };
}

const LIMIT_KEYS = ["maxAccountsPerSnapshot", "maxSharedSnapshotsPerOwner", "sharedSnapshotsInUse", "imageShareQuota", "encryptedImageRegions", "essdCategories"] as const;

/** Reads a policy's config (already validated against its schema by the engine; read defensively all the same). */
export function readSettings(config: Record<string, unknown>, today = new Date().toISOString().slice(0, 10)): PolicySettings {
    const limits: Partial<Record<keyof SharingLimits, unknown>> = {};
    for (const key of LIMIT_KEYS) {
        if (config[key] !== undefined) {
            limits[key] = config[key];
        }
    }
    const allowed = config.allowedRecipients as Partial<AllowedRecipients> | undefined;
    return {
        context: ruleContext({
            limits: limits as Partial<SharingLimits>,
            accountSites: (config.accountSites as Record<string, AccountSite> | undefined) ?? {},
            allowedRecipients:
                allowed === undefined
                    ? undefined
                    : { accountIds: allowed.accountIds ?? [], resourceDirectoryIds: allowed.resourceDirectoryIds ?? [], folderPathPrefixes: allowed.folderPathPrefixes ?? [] },
            failClosedOnUnknown: config.failClosedOnUnknown !== false,
            today,
        }),
        exemptions: Array.isArray(config.exemptions) ? (config.exemptions as Exemption[]) : [],
        ownerAccountIds: Array.isArray(config.ownerAccountIds) ? (config.ownerAccountIds as string[]) : [],
        receivedSnapshots: Array.isArray(config.receivedSnapshots) ? (config.receivedSnapshots as ReceivedSnapshot[]) : [],
        existingShareRoles: Array.isArray(config.existingShareRoles) ? (config.existingShareRoles as ResourceKind[]) : [],
    };
}
