/**
 * Rules an organization adds on top of what Alibaba Cloud enforces: who may receive shares (S3), unknown values
 * at preview (S6), exemptions (S7), and what the policy pack sees only in raw resources (C27, C29, S2).
 */
import { isAccountId, isResourceDirectoryId, parseFolderPath } from "../alibaba/ids";
import { RESOURCE_SHARE_ITEMS_PER_CALL } from "../alibaba/limits";
import type { Located, ShareIntent } from "../intent/model";
import { analyzeTrustPolicy } from "../ram/analyze";
import { POLICY_NAMES, RECIPIENT_COMPONENTS, SHARE_COMPONENTS } from "./enforcement";
import { Organization, misplacedFolder, recipientPath } from "../graph/organization";
import { AllowedRecipients, defineRule, Problem, quoteValue, showValue, showValues } from "./types";

/** An allow-list indexed for lookups by key: every check is a set lookup, whatever the list's size. */
interface AllowIndex {
    readonly accounts: ReadonlySet<string>;
    readonly directories: ReadonlySet<string>;
    /** Each allowed folder path, without a trailing slash. */
    readonly paths: ReadonlySet<string>;
    /** The last id of each allowed path (what a SharedTarget holds). */
    readonly lastIds: ReadonlySet<string>;
}
const indexes = new WeakMap<AllowedRecipients, AllowIndex>();

function allowIndex(allowed: AllowedRecipients): AllowIndex {
    let index = indexes.get(allowed);
    if (index === undefined) {
        const paths = allowed.folderPathPrefixes.map((p) => p.replace(/\/+$/, ""));
        index = {
            accounts: new Set(allowed.accountIds),
            directories: new Set(allowed.resourceDirectoryIds),
            paths: new Set(paths),
            lastIds: new Set(paths.map((p) => p.split("/").pop()!)),
        };
        indexes.set(allowed, index);
    }
    return index;
}

/**
 * Whether an allow-list admits a recipient: an account, a directory, a folder path, or a bare folder id (as a
 * SharedTarget holds it). With the organization's tree, a folder id is judged by its place in the tree and a member
 * account by its folder: what lies in an allowed directory or under an allowed folder is allowed.
 */
export function isAllowedRecipient(recipient: string, allowed: AllowedRecipients, organization?: Organization): boolean {
    if (typeof recipient !== "string") {
        return false;
    }
    const index = allowIndex(allowed);
    /** Allowed when its directory is, or the path or one of its ancestors is an allowed prefix: one lookup per level. */
    const pathAllowed = (path: string): boolean => {
        const parsed = parseFolderPath(path);
        if (parsed === undefined) {
            return false;
        }
        const parts = [parsed.directoryId, parsed.rootFolderId, ...parsed.folderIds];
        // A folder of the tree's directory that the tree does not place is of no known place: not allowed (fail closed).
        if (organization?.directoryId === parsed.directoryId && !organization.folderPaths.has(parts[parts.length - 1])) {
            return false;
        }
        if (index.directories.has(parsed.directoryId)) {
            return true;
        }
        for (let n = parts.length; n >= 2; n--) {
            if (index.paths.has(parts.slice(0, n).join("/"))) {
                return true;
            }
        }
        return false;
    };
    // A trust policy's folder pattern ends with `*`.
    const pattern = recipient.endsWith("*") ? recipient.slice(0, -1).replace(/\/$/, "") : recipient;
    if (isAccountId(recipient)) {
        const folder = organization?.accountFolders.get(recipient);
        return index.accounts.has(recipient) || (folder !== undefined && pathAllowed(folder));
    }
    if (isResourceDirectoryId(recipient)) {
        return index.directories.has(recipient);
    }
    // A folder is judged by its place in the tree, where the tree places it, whatever path it was given by.
    const given = parseFolderPath(pattern);
    const last = given === undefined ? pattern : given.folderIds.length > 0 ? given.folderIds[given.folderIds.length - 1] : given.rootFolderId;
    const placed = organization?.folderPaths.get(last);
    const path = placed ?? (given !== undefined ? pattern : recipientPath(pattern, organization));
    if (parseFolderPath(path) !== undefined) {
        return pathAllowed(path);
    }
    // A bare folder id the tree does not place: allowed when it is the end of an allowed path.
    return index.lastIds.has(recipient);
}

const allowFix = "Share only with recipients on the organization's allow-list, or ask the security team to add this one (`allowedRecipients`, in the organization file or the config).";

export const recipientsAllowed = defineRule({
    id: "recipients-allowed",
    constraints: ["S3"],
    severity: "error",
    title: "Shares go only to allowed recipients",
    description:
        "An organization lists the accounts, directories and folder paths that may receive shares (`allowedRecipients`, or the organization " +
        "file's); a share, image permission or share-role trust to anyone else is refused. A directory allows its folders, a folder path the " +
        "folders below it; with the organization file's tree, a folder given by its id is judged by its place in the tree and a member account " +
        "by the folder it sits in.",
    subject: "share",
    enforcement: { components: SHARE_COMPONENTS, policies: ["sharing-recipients"] },
    check: (intent: ShareIntent, { allowedRecipients, organization }) =>
        allowedRecipients === undefined
            ? []
            : intent.targets
                  .filter((t) => t.value !== undefined && !isAllowedRecipient(t.value, allowedRecipients, organization))
                  .map((t) => ({ path: t.path, message: `${quoteValue(t.value)} is not an allowed recipient.`, fix: allowFix })),
});

export const trustedPrincipalsAllowed = defineRule({
    id: "trusted-principals-allowed",
    constraints: ["S3", "S1"],
    severity: "error",
    title: "Share roles trust only allowed recipients",
    description:
        "The accounts, directories and folders a share role trusts are on the organization's allow-list, like the recipients of the shares; with " +
        "the organization file's tree, a trusted folder path is where the tree places its folder (RAM matches the real path).",
    subject: "role",
    enforcement: { components: RECIPIENT_COMPONENTS, policies: ["sharing-recipients"] },
    check: (role, { allowedRecipients, organization }) => {
        if (role.trustPolicy?.value === undefined || (allowedRecipients === undefined && organization === undefined)) {
            return [];
        }
        const trust = analyzeTrustPolicy(role.trustPolicy.value);
        // A folder path the organization's tree places elsewhere: RAM matches the real path, so the role trusts nobody there.
        const misplaced = trust.folderPathPatterns
            .map((p) => ({ p, at: misplacedFolder(p.endsWith("*") ? p.slice(0, -1).replace(/\/$/, "") : p, organization) }))
            .filter((m) => m.at !== undefined)
            .map((m) => ({
                path: role.trustPolicy!.path,
                values: [m.p],
                message: `the role trusts folder path ${quoteValue(m.p)}, but the organization file places that folder at ${m.at}: the condition matches no account there.`,
                fix: "Trust the folder by the path the organization file gives it (or correct the file).",
            }));
        const notAllowed =
            allowedRecipients === undefined
                ? []
                : [...trust.accountIds, ...trust.conditionalAccounts.map((c) => c.accountId), ...trust.directoryIds, ...trust.folderPathPatterns]
                      .filter((p) => !isAllowedRecipient(p, allowedRecipients, organization))
                      .map((p) => ({ path: role.trustPolicy!.path, values: [p], message: `the role trusts ${quoteValue(p)}, which is not an allowed recipient.`, fix: allowFix }));
        return [...misplaced, ...notAllowed];
    },
});

export const recipientsKnown = defineRule({
    id: "recipients-known",
    constraints: ["S6"],
    severity: "error",
    title: "Recipients unknown at preview are not assumed safe",
    description:
        "A recipient that is only known after deployment cannot be proven allowed. The policy pack reports it instead of skipping the " +
        "check (configurable: `failClosedOnUnknown: false`); the components check such values at deploy time instead.",
    subject: "share",
    enforcement: {
        components: { reason: "the components take recipients as plain values; their other unknown values are checked at deploy time" },
        policies: ["sharing-recipients"],
    },
    check: (intent, { failClosedOnUnknown }) =>
        failClosedOnUnknown
            ? intent.targets
                  .filter((t) => t.value === undefined)
                  .map((t) => ({ path: t.path, message: "the recipient is not known at preview, so it cannot be checked.", fix: "Give the recipient as a plain value, or exempt the resource with a reason and an expiry." }))
            : [],
});

/**
 * S6 for every rule's inputs: the registry runs it for each rule that declares the values it `reads`, on every subject
 * kind, when failing closed. Its own check never runs on a subject: the registry calls `unknownReads`.
 */
export const valuesKnown = defineRule({
    id: "values-known",
    constraints: ["S6"],
    severity: "error",
    title: "Values a rule needs, unknown at preview, are not assumed safe",
    description:
        "Each rule names the values it needs (a role's name, a key's deletion protection, whether an image copy is encrypted, a disk's " +
        "category and key, a share's external-targets switch, a resource type…). One that is only known after deployment cannot be " +
        "judged; the policy pack reports it instead of skipping the check (configurable: `failClosedOnUnknown: false`). Recipients and RAM " +
        "documents have rules of their own (recipients-known, role-documents-known).",
    subject: "share",
    enforcement: {
        components: { reason: "the components check values unknown at construction when they are known, at deploy time" },
        policies: POLICY_NAMES,
    },
    check: () => [],
});

/** The `values-known` problems of a rule on a subject: each value the rule reads that is unknown, once per place. */
export function unknownReads<S>(reads: ((subject: S) => readonly Located<unknown>[]) | undefined, subject: S, ruleId: string): Problem[] {
    if (reads === undefined) {
        return [];
    }
    const seen = new Set<string>();
    return reads(subject)
        .filter((v) => v.value === undefined && !seen.has(v.path) && (seen.add(v.path), true))
        .map((v) => ({
            path: v.path,
            message: `${v.path} is not known at preview, so rule ${ruleId} cannot judge it.`,
            fix: "Give the value as a plain value, or exempt the resource with a reason and an expiry (S7).",
        }));
}

export const roleDocumentsKnown = defineRule({
    id: "role-documents-known",
    constraints: ["S6"],
    severity: "error",
    title: "Share-role documents unknown at preview are not assumed safe",
    description: "A trust policy or KMS policy that is only known after deployment cannot be proven safe; the policy pack reports it (configurable).",
    subject: "role",
    enforcement: {
        components: { reason: "the components render the role documents; values unknown at preview are checked at deploy time instead" },
        policies: ["sharing-share-role", "sharing-share-roles"],
    },
    check: (role, { failClosedOnUnknown }) =>
        failClosedOnUnknown
            ? [...(role.trustPolicy ? [role.trustPolicy] : []), ...(role.kmsPolicy ? [role.kmsPolicy] : []), ...(role.attachedKmsPolicies ?? [])]
                  .filter((d, i, all) => d.value === undefined && all.findIndex((e) => e.path === d.path) === i)
                  .map((d) => ({ path: d.path, message: "the document is not known at preview, so it cannot be checked.", fix: "Render the document from plain values (the library's builders do), or exempt the resource." }))
            : [],
});

export const noInlineShareItems = defineRule({
    id: "no-inline-share-items",
    constraints: ["C29"],
    severity: "error",
    title: "Resource shares list targets and resources as their own resources",
    description:
        "The inline `targets`, `resources` and `resourceArns` of a resource share act only at creation: later edits are silently ignored, " +
        `and at most ${RESOURCE_SHARE_ITEMS_PER_CALL} items go per call. Use one \`SharedResource\` and one \`SharedTarget\` per item.`,
    subject: "share",
    enforcement: { components: { reason: "the components never set a resource share's inline lists" }, policies: ["sharing-resource-share"] },
    check: (intent) =>
        (intent.inlineLists ?? []).map((list) => ({
            path: list,
            message: `the resource share sets \`${list}\` inline; changes to it after creation are ignored.`,
            fix: "Remove it and create one resourcemanager.SharedResource / SharedTarget per item (as SharedSnapshot and SharedImage do).",
        })),
});

export const shareRoleSystemPolicy = defineRule({
    id: "share-role-system-policy",
    constraints: ["S2", "C20"],
    severity: "error",
    title: "Share roles carry no system policy",
    description:
        "A share role needs only the custom KMS policy of C9 for its keys. A system policy such as `AliyunKMSFullAccess` (which the 2024 " +
        "pages suggested for the service key, no longer shareable since C20) grants every key of the account.",
    subject: "role",
    enforcement: { components: { reason: "the components attach only the custom KMS policy to a share role" }, policies: ["sharing-share-role-attachment"] },
    // A System policy attached to a role whose name is unknown may be on a share role.
    reads: (role) => ((role.systemPolicies ?? []).length > 0 ? [role.roleName, ...(role.systemPolicies ?? [])] : []),
    check: (role) =>
        (role.systemPolicies ?? [])
            .filter((p) => p.value !== undefined && role.roleName.value !== undefined)
            .map((p) => ({
                path: p.path,
                message: `system policy ${p.value} is attached to share role ${role.roleName.value ?? ""}: it grants far more than the key being shared.`,
                fix: "Detach it; attach the custom KMS policy for exactly the shared keys (EncryptedShareRole renders it).",
            })),
});

export const sharedKeyProtected = defineRule({
    id: "shared-key-protected",
    constraints: ["C27"],
    severity: "error",
    title: "Keys behind shared encrypted resources stay enabled and protected from deletion",
    description:
        "If the key behind a shared encrypted snapshot or image is disabled or deleted, sharees can no longer use what was shared. The pack " +
        "follows keys from resource shares, image permissions and the share roles' KMS policies to the KMS keys of the stack.",
    subject: "key",
    enforcement: { components: { reason: "the components do not manage KMS keys; the pack judges the keys of a stack" }, policies: ["sharing-shared-keys"] },
    reads: (key) => [key.deletionProtection, ...(key.status === undefined ? [] : [key.status])],
    check: (key) => [
        ...(key.deletionProtection.value !== undefined && key.deletionProtection.value !== "Enabled"
            ? [{
                  path: key.deletionProtection.path,
                  message: `KMS key ${showValue(key.keyId.value ?? "")} protects shared ${showValues(key.sharedResources)} but its deletion protection is ${quoteValue(key.deletionProtection.value)}.`,
                  fix: 'Set `deletionProtection: "Enabled"` on the key.',
              }]
            : []),
        ...(key.status?.value !== undefined && key.status.value !== "Enabled"
            ? [{
                  path: key.status.path,
                  message: `KMS key ${showValue(key.keyId.value ?? "")} protects shared ${showValues(key.sharedResources)} but it is ${quoteValue(key.status.value)}: sharees cannot use what was shared.`,
                  fix: 'Keep the key `status: "Enabled"` while anything encrypted with it is shared.',
              }]
            : []),
    ],
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a `YYYY-MM-DD` is a day of the calendar (not `2026-02-30`, not `9999-99-99`). */
export function isCalendarDay(value: unknown): boolean {
    if (typeof value !== "string" || !DATE.test(value)) {
        return false;
    }
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

export const exemptionValid = defineRule({
    id: "exemption-valid",
    constraints: ["S7"],
    severity: "error",
    title: "Exemptions are explicit and current",
    description:
        "An exemption names a resource (URN or name pattern), the rules it lifts, a reason of at least 10 characters and an expiry date " +
        "(`YYYY-MM-DD`). An expired exemption no longer applies, and says so.",
    subject: "exemption",
    enforcement: { components: { reason: "exemptions are policy-pack configuration; every policy judges its own" }, policies: POLICY_NAMES },
    check: (e, { today }) => {
        const problems: Problem[] = [];
        if (typeof e.resource.value !== "string" || e.resource.value.length === 0) {
            problems.push({ path: e.resource.path, message: "the exemption names no resource.", fix: "Give the resource's URN or a name pattern." });
        }
        if (e.rules.length === 0 || e.rules.some((r) => typeof r.value !== "string" || r.value.length === 0)) {
            problems.push({ path: e.rules[0]?.path ?? e.resource.path, message: "the exemption names no rule.", fix: "List the rule ids or constraint ids it lifts." });
        }
        if (typeof e.reason.value !== "string" || e.reason.value.trim().length < 10) {
            problems.push({ path: e.reason.path, message: `the reason ${quoteValue(e.reason.value ?? "")} is shorter than 10 characters.`, fix: "Say why the exemption is needed." });
        }
        if (typeof e.expires.value !== "string" || !isCalendarDay(e.expires.value)) {
            problems.push({ path: e.expires.path, message: `expiry ${quoteValue(e.expires.value ?? "")} is not a date (YYYY-MM-DD).`, fix: "Give the date the exemption ends." });
        } else if (e.expires.value < today) {
            problems.push({
                path: e.expires.path,
                message: `the exemption of ${e.resource.value} from ${showValues(e.rules.map((r) => r.value))} expired on ${e.expires.value}; it no longer applies.`,
                fix: "Fix the resource, or renew the exemption with a new date and reason.",
            });
        }
        return problems;
    },
});

export const shareRolePresent = defineRule({
    id: "share-role-present",
    constraints: ["S4", "C9", "C21"],
    severity: "error",
    title: "An encrypted share has its share role",
    description:
        "Sharing an encrypted snapshot or image fails unless the owner account holds the share role of that kind. The policy pack " +
        "looks for it in the stack, or takes it as existing when configured (`existingShareRoles`).",
    subject: "share",
    enforcement: {
        components: { reason: "a share component creates the role, unless told with `createShareRole: false` that it is managed elsewhere" },
        policies: ["sharing-share-roles"],
    },
    check: (intent) =>
        intent.encryption.kind === "customerKey" && intent.shareRolePresent === false
            ? [{
                  path: "shareRole",
                  message: `the ${intent.kind}s are shared encrypted but no ${intent.kind} share role is in the stack or declared as existing.`,
                  fix: `Create it (EncryptedShareRole with resourceKind "${intent.kind}"), or list "${intent.kind}" in \`existingShareRoles\` if it is managed elsewhere.`,
              }]
            : [],
});
