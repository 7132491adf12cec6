/**
 * The pack's configuration: the settings it shares with the components (limits, organization facts; one schema each,
 * in rules/settings) and its own (exemptions, fail-closed, owners, received snapshots, roles managed elsewhere), and
 * the reading of a policy's config into a rule context, exemptions and facts about the organization.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { ACCOUNT_ID, SNAPSHOT_ID } from "../alibaba/ids";
import { RESOURCE_KINDS, ResourceKind } from "../alibaba/names";
import { JsonSchema, SHARED_SETTINGS, SharedSettingName, contextFromSettings } from "../rules/settings";
import { RuleContext } from "../rules/types";

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

/** A snapshot another account shared with this one: its key when known, and whether it is encrypted (C10, C11). */
export interface ReceivedSnapshot {
    readonly snapshotId: string;
    readonly kmsKeyId?: string;
    /** Defaults to true (the stricter reading) unless the snapshot is known to be unencrypted. */
    readonly encrypted?: boolean;
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

const stringList = (items: JsonSchema = { type: "string" }) => ({ type: "array", items });

/** The settings only the pack reads. */
export const PACK_SETTINGS = {
    exemptions: {
        type: "array",
        description: "S7: exemptions: a resource URN or name pattern, the rule or constraint ids lifted, a reason and an expiry date.",
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
        description: "S6: a recipient, key, trust document or any other value a rule needs that is unknown at preview is a violation instead of a skipped check.",
    },
    ownerAccountIds: { ...stringList({ type: "string", pattern: ACCOUNT_ID.source }), description: "C2, C3, C7: the accounts that own the stacks' shares (else each provider's accountId)." },
    receivedSnapshots: {
        type: "array",
        description: "C10, C11: snapshots shared with the stacks' account, with their key when known and whether they are encrypted (default true).",
        items: {
            type: "object",
            properties: { snapshotId: { type: "string", pattern: SNAPSHOT_ID.source }, kmsKeyId: { type: "string" }, encrypted: { type: "boolean" } },
            required: ["snapshotId"],
            additionalProperties: false,
        },
    },
    existingShareRoles: { type: "array", items: { type: "string", enum: [...RESOURCE_KINDS] }, description: "S4: kinds whose share role is managed outside the stack." },
} as const satisfies Record<string, JsonSchema>;

export type SettingName = SharedSettingName | keyof typeof PACK_SETTINGS;

/** Every setting's schema, shared and the pack's own. A policy declares the ones it reads. */
export const SETTINGS_SCHEMA: Readonly<Record<SettingName, JsonSchema>> = {
    ...(Object.fromEntries(Object.entries(SHARED_SETTINGS).map(([k, v]) => [k, v.schema])) as Record<SharedSettingName, JsonSchema>),
    ...PACK_SETTINGS,
};

/** The config schema of a policy that reads the given settings (exemptions and failClosedOnUnknown always). */
export function configSchema(settings: readonly SettingName[]): PolicyConfigSchema {
    // Every policy judges its own exemptions (S7) and fails closed on unknowns unless told not to (S6).
    const names = ["exemptions", "failClosedOnUnknown", ...settings.filter((s) => s !== "exemptions" && s !== "failClosedOnUnknown")] as SettingName[];
    return { properties: Object.fromEntries(names.map((n) => [n, SETTINGS_SCHEMA[n]])) as PolicyConfigSchema["properties"] };
}

/** Reads a policy's config (already validated against its schema; read defensively all the same). */
export function readSettings(config: Record<string, unknown>, today = new Date().toISOString().slice(0, 10)): PolicySettings {
    const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
    return {
        context: contextFromSettings(config, { failClosedOnUnknown: config.failClosedOnUnknown !== false, today }),
        exemptions: list<Exemption>(config.exemptions),
        ownerAccountIds: list<string>(config.ownerAccountIds),
        receivedSnapshots: list<ReceivedSnapshot>(config.receivedSnapshots),
        existingShareRoles: list<ResourceKind>(config.existingShareRoles),
    };
}
