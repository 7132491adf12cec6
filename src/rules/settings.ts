/**
 * The settings an organization gives both enforcement points: limits that move and facts about its accounts. The
 * components read them from stack config (`alicloud-sharing:<key>`), the policy pack from each policy's config; one
 * JSON schema each, checked by one validator (ajv), so a value one point takes, the other takes too, and both judge
 * with the same context.
 */
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import type { ConstraintId } from "../alibaba/constraints";
import { ACCOUNT_ID, REGION_ID, RESOURCE_DIRECTORY_ID } from "../alibaba/ids";
import { ACCOUNT_SITES, AccountSite, DEFAULT_LIMITS, SharingLimits } from "../alibaba/limits";
import * as path from "path";
import { ORGANIZATION_SCHEMA, OrganizationFile, organizationOf, readOrganizationFile, treeShapeProblems } from "../graph/organization";
import type { AllowedRecipients, RuleContext } from "./types";

/** A JSON schema fragment, as a policy's `configSchema` takes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface SettingSpec {
    readonly schema: JsonSchema;
    /** The constraints the setting tunes. */
    readonly constraints: readonly ConstraintId[];
}

const pattern = (re: RegExp): string => re.source;
const stringList = (items: JsonSchema = { type: "string" }): JsonSchema => ({ type: "array", items });
const accountList = stringList({ type: "string", pattern: pattern(ACCOUNT_ID) });
const count = (minimum: number, def: number, description: string): JsonSchema => ({ type: "integer", minimum, default: def, description });

/** The settings both enforcement points read, with their schemas. */
export const SHARED_SETTINGS = {
    accountSites: {
        schema: {
            type: "object",
            // A plain string in the declarations (a template literal type would not parse for TypeScript 3.8, which `pulumi` vendors).
            description: `C3: the site of each account, ${ACCOUNT_SITES.map((s) => `"${s}"`).join(" or ")}; shares across sites are refused.` as string,
            propertyNames: { pattern: pattern(ACCOUNT_ID) },
            additionalProperties: { type: "string", enum: [...ACCOUNT_SITES] },
        },
        constraints: ["C3"],
    },
    allowedRecipients: {
        schema: {
            type: "object",
            description: "S3: who may receive shares. A folder path allows the folders below it. Absent: anyone the other rules allow.",
            properties: {
                accountIds: accountList,
                resourceDirectoryIds: stringList({ type: "string", pattern: pattern(RESOURCE_DIRECTORY_ID) }),
                folderPathPrefixes: stringList({ type: "string", minLength: 1 }),
            },
            additionalProperties: false,
        },
        constraints: ["S3"],
    },
    resourceDirectoryAccountIds: {
        schema: {
            ...accountList,
            description:
                "C30, C13: accounts that are members of the owner's resource directory. A share whose account targets are all members may keep external targets off (members accept automatically); any other account needs `allowExternalTargets`.",
        },
        constraints: ["C30", "C13"],
    },
    organization: {
        schema: {
            type: "object",
            description:
                "The organization file's contents, inline: the resource directory's tree (folders, member accounts), the allow-list (S3) and account sites (C3). Its lists add to `allowedRecipients`, `resourceDirectoryAccountIds` and `accountSites`.",
        },
        constraints: ["S3", "C3", "C30", "C13"],
    },
    organizationFile: {
        schema: { type: "string", minLength: 1, description: "The organization file (JSON or YAML): an absolute path, or relative to the directory the program or the pack runs in. Give it or `organization`, not both." },
        constraints: ["S3", "C3", "C30", "C13"],
    },
    maxAccountsPerSnapshot: { schema: count(1, DEFAULT_LIMITS.maxAccountsPerSnapshot, "C6: accounts one snapshot can be shared with."), constraints: ["C6"] },
    maxSharedSnapshotsPerOwner: { schema: count(1, DEFAULT_LIMITS.maxSharedSnapshotsPerOwner, "C7: snapshots one owner account can share in all."), constraints: ["C7"] },
    sharedSnapshotsInUse: { schema: count(0, DEFAULT_LIMITS.sharedSnapshotsInUse, "C7: snapshots the owner already shares outside the stack."), constraints: ["C7"] },
    imageShareQuota: { schema: count(1, DEFAULT_LIMITS.imageShareQuota, "C17: the account's Quota Center quota of accounts per image."), constraints: ["C17"] },
    encryptedImageRegions: {
        schema: { ...stringList({ type: "string", pattern: pattern(REGION_ID) }), default: [...DEFAULT_LIMITS.encryptedImageRegions], description: "C19: where encrypted images can be shared." },
        constraints: ["C19"],
    },
    essdCategories: {
        schema: { ...stringList({ type: "string", minLength: 1 }), default: [...DEFAULT_LIMITS.essdCategories], description: "C11: the disk categories allowed from shared encrypted snapshots." },
        constraints: ["C11"],
    },
    maxPolicyDocumentBytes: { schema: count(1, DEFAULT_LIMITS.maxPolicyDocumentBytes, "C32: the largest RAM policy or trust document, in bytes."), constraints: ["C32"] },
    minRoleSessionSeconds: { schema: count(1, DEFAULT_LIMITS.minRoleSessionSeconds, "C32: the shortest maximum session duration of a RAM role, in seconds."), constraints: ["C32"] },
    maxRoleSessionSeconds: { schema: count(1, DEFAULT_LIMITS.maxRoleSessionSeconds, "C32: the longest maximum session duration of a RAM role, in seconds."), constraints: ["C32"] },
} as const satisfies Record<string, SettingSpec>;

export type SharedSettingName = keyof typeof SHARED_SETTINGS;
export const SHARED_SETTING_NAMES = Object.keys(SHARED_SETTINGS) as SharedSettingName[];

/** The limit settings, each the same-named field of `SharingLimits`. */
const LIMIT_NAMES = [
    "maxAccountsPerSnapshot",
    "maxSharedSnapshotsPerOwner",
    "sharedSnapshotsInUse",
    "imageShareQuota",
    "encryptedImageRegions",
    "essdCategories",
    "maxPolicyDocumentBytes",
    "minRoleSessionSeconds",
    "maxRoleSessionSeconds",
] as const satisfies readonly (SharedSettingName & keyof SharingLimits)[];

/** One problem with a setting: where (a JSON path such as `allowedRecipients.accountIds[0]`) and what is wrong. */
export interface SettingProblem {
    readonly path: string;
    readonly message: string;
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The validator of an object schema, compiled once. */
export function validatorOf(schema: JsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (validate === undefined) {
        ajv ??= new Ajv({ allErrors: true, strict: false, useDefaults: false });
        validate = ajv.compile(schema as object);
        compiled.set(key, validate);
    }
    return validate;
}

/** `a.b[2].c` from ajv's JSON pointer `/a/b/2/c`, reading the data to tell list indexes from object keys (account ids are digits). */
function jsonPath(base: string, pointer: string, data: unknown): string {
    const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    let path = base;
    let at = data;
    for (const p of parts) {
        path = Array.isArray(at) ? `${path}[${p}]` : path === "" ? p : `${path}.${p}`;
        at = typeof at === "object" && at !== null ? (at as Record<string, unknown>)[p] : undefined;
    }
    return path;
}

/** Ajv's errors as problems with JSON paths (`base` first), one per place and message. */
export function problemsOf(errors: readonly ErrorObject[] | null | undefined, data: unknown, base = ""): SettingProblem[] {
    const problems: SettingProblem[] = [];
    for (const e of errors ?? []) {
        const path = e.keyword === "additionalProperties"
            ? jsonPath(base, `${e.instancePath}/${String((e.params as { additionalProperty: string }).additionalProperty)}`, data)
            : jsonPath(base, e.instancePath, data);
        const message = e.keyword === "additionalProperties" ? "is not a known key" : e.keyword === "enum" ? `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(", ")}` : (e.message ?? "is not valid");
        if (!problems.some((p) => p.path === path && p.message === message)) {
            problems.push({ path, message });
        }
    }
    return problems;
}

/** Checks values of shared settings against their schemas; every problem at once. Keys not shared are ignored. */
export function sharedSettingProblems(values: Readonly<Record<string, unknown>>): SettingProblem[] {
    const properties = Object.fromEntries(SHARED_SETTING_NAMES.map((n) => [n, SHARED_SETTINGS[n].schema]));
    const present = Object.fromEntries(SHARED_SETTING_NAMES.filter((n) => values[n] !== undefined).map((n) => [n, values[n]]));
    const validate = validatorOf({ type: "object", properties });
    return [...(validate(present) ? [] : problemsOf(validate.errors, present)), ...organizationProblems(values.organization, "organization")];
}

/** The organization's contents against the organization file's schema (and its tree's own consistency). */
export function organizationProblems(value: unknown, base: string): SettingProblem[] {
    if (value === undefined || typeof value !== "object" || value === null) {
        return [];
    }
    // Its shape as a tree first: the schema's validator walks it recursively, once per path.
    const shape = treeShapeProblems(value);
    if (shape.length > 0) {
        return shape.map((p) => ({ path: `${base}.${p.path}`, message: p.message }));
    }
    const validate = validatorOf(ORGANIZATION_SCHEMA);
    if (!validate(value)) {
        return problemsOf(validate.errors, value, base);
    }
    return organizationOf(value as OrganizationFile).problems.map((message) => ({ path: `${base}.resourceDirectory`, message }));
}

/**
 * The values with the organization file read into `organization` (an edge reads files, not the rules): a file that
 * cannot be read or parsed, or both `organization` and `organizationFile` given, is a problem of `organizationFile`.
 */
export function withOrganizationFile(values: Readonly<Record<string, unknown>>, baseDir: string): { values: Record<string, unknown>; problems: SettingProblem[] } {
    const file = values.organizationFile;
    if (typeof file !== "string" || file.length === 0) {
        return { values: { ...values }, problems: [] };
    }
    if (values.organization !== undefined) {
        return { values: { ...values }, problems: [{ path: "organizationFile", message: "is given with `organization`; give one of them" }] };
    }
    try {
        const organization = readOrganizationFile(path.resolve(baseDir, file));
        // Checked here, so its problems name the file rather than an `organization` setting nobody wrote.
        const problems = organizationProblems(organization ?? {}, `organizationFile(${path.basename(file)})`);
        return problems.length > 0 ? { values: { ...values }, problems } : { values: { ...values, organization }, problems: [] };
    } catch (e) {
        return { values: { ...values }, problems: [{ path: "organizationFile", message: (e as Error).message.replace(/^the organization file /, "names a file that ") }] };
    }
}

/**
 * The rule context of validated setting values (shared ones, plus the pack's `failClosedOnUnknown`). Values are
 * taken as they are: validate them first (`sharedSettingProblems`).
 */
export function contextFromSettings(values: Readonly<Record<string, unknown>>, options: { failClosedOnUnknown?: boolean; today?: string } = {}): RuleContext {
    const limits: Record<string, unknown> = { ...DEFAULT_LIMITS };
    for (const key of LIMIT_NAMES) {
        if (values[key] !== undefined) {
            limits[key] = values[key];
        }
    }
    const given = values.allowedRecipients as Partial<AllowedRecipients> | undefined;
    const organization = typeof values.organization === "object" && values.organization !== null ? organizationOf(values.organization as OrganizationFile) : undefined;
    // The organization's facts add to the settings of the same meaning: one fact, wherever it is written.
    const lists = [given, organization?.allowedRecipients].filter((a): a is Partial<AllowedRecipients> => a !== undefined);
    const union = (pick: (a: Partial<AllowedRecipients>) => readonly string[] | undefined) => [...new Set(lists.flatMap((a) => pick(a) ?? []))];
    const members = [...((values.resourceDirectoryAccountIds as string[] | undefined) ?? []), ...(organization?.accountFolders.keys() ?? [])];
    return {
        limits: limits as unknown as SharingLimits,
        accountSites: { ...(organization?.sites ?? {}), ...((values.accountSites as Record<string, AccountSite> | undefined) ?? {}) },
        allowedRecipients:
            lists.length === 0 ? undefined : { accountIds: union((a) => a.accountIds), resourceDirectoryIds: union((a) => a.resourceDirectoryIds), folderPathPrefixes: union((a) => a.folderPathPrefixes) },
        resourceDirectoryAccountIds: values.resourceDirectoryAccountIds === undefined && organization === undefined ? undefined : [...new Set(members)],
        ...(organization === undefined ? {} : { organization }),
        failClosedOnUnknown: options.failClosedOnUnknown ?? false,
        today: options.today ?? new Date().toISOString().slice(0, 10),
    };
}
