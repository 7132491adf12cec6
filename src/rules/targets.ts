/** Rules on who receives a share (C1–C4) and on the ids of what is shared. */
import { isAccountId, isFolderId, isKmsKeyId, isRegionId, isImageId, isResourceDirectoryId, isRootFolderId, isSnapshotId, principalKind } from "../alibaba/ids";
import type { Located, ShareIntent } from "../intent/model";
import { RECIPIENT_COMPONENTS, SHARE_COMPONENTS } from "./enforcement";
import { KINDS } from "../alibaba/kinds";
import { defineRule, Problem, quoteValue } from "./types";

/** The targets whose value is known and a string (principal-format reports any other value). */
export const knownTargets = (intent: ShareIntent): { value: string; path: string }[] =>
    intent.targets.filter((t): t is { value: string; path: string } => typeof t.value === "string");

/** The known targets that are plain accounts. */
export const accountTargets = (intent: ShareIntent): string[] =>
    [...new Set(knownTargets(intent).map((t) => t.value).filter(isAccountId))];

/** The account targets with where each is given (the first place of each account): `accountIds[3]`, or a SharedTarget's `targetId`. */
export const locatedAccountTargets = (intent: ShareIntent): Located<string>[] => {
    const seen = new Set<string>();
    return knownTargets(intent).filter((t) => isAccountId(t.value) && !seen.has(t.value) && (seen.add(t.value), true));
};

const quote = quoteValue;

export const principalFormat = defineRule({
    id: "principal-format",
    constraints: ["C1"],
    severity: "error",
    title: "Recipients are account ids, directory ids or folder paths",
    description:
        "A share goes to Alibaba Cloud accounts (16 digits) or to resource-directory objects: a directory (`rd-…`) " +
        "or a folder path (`rd-…/r-…/fd-…`). RAM users, RAM roles, account aliases and e-mail addresses are not principals.",
    subject: "share",
    enforcement: { components: RECIPIENT_COMPONENTS, policies: ["sharing-resource-share", "sharing-image-permission"] },
    check: (intent) => [
        ...intent.targets
            .filter((t) => t.value !== undefined)
            .filter((t) => !(typeof t.value === "string" && (intent.targetsAreSharingIds ? isSharingTargetId(t.value) : principalKind(t.value) !== undefined)))
            .map((t) =>
                intent.targetsAreSharingIds
                    ? {
                          path: t.path,
                          message: `${quote(t.value)} is not a target id: an account id (16 digits), a directory (rd-…), a root folder (r-…) or a folder (fd-…).`,
                          fix: "Give the account id, or the id of the directory or folder (the last part of a folder path, not the path).",
                      }
                    : {
                          path: t.path,
                          message: `${quote(t.value)} is not an account id (16 digits), a resource directory id (rd-…) or a folder path (rd-…/r-…/fd-…).`,
                          fix: "Give the sharee's Alibaba Cloud account id, or the directory or folder path; RAM users and roles cannot receive shares.",
                      },
            ),
        // A principal of another kind than its argument takes (a directory in `accountIds`): never taken as given.
        ...intent.targets
            .filter((t) => t.expected !== undefined && principalKind(t.value) !== undefined && principalKind(t.value) !== t.expected)
            .map((t) => ({
                path: t.path,
                message: `${quote(t.value)} is ${PRINCIPAL_NAMES[principalKind(t.value)!]}, but ${t.path.replace(/\[\d+\]$/, "")} takes ${PRINCIPAL_TAKES[t.expected!]} only.`,
                fix: `Give it as ${PRINCIPAL_ARGUMENTS[principalKind(t.value)!]}.`,
            })),
    ],
});

const PRINCIPAL_NAMES = { account: "an account id", directory: "a resource directory id", folderPath: "a folder path" } as const;
const PRINCIPAL_TAKES = { account: "account ids", directory: "a resource directory id", folderPath: "folder paths" } as const;
const PRINCIPAL_ARGUMENTS = { account: "one of `accountIds`", directory: "`resourceDirectoryId`", folderPath: "one of `folderPaths`" } as const;

/** A target id as Resource Sharing takes it (a raw `SharedTarget`): an account, a directory, a root folder or a folder. */
export const isSharingTargetId = (v: string): boolean => isAccountId(v) || isResourceDirectoryId(v) || isRootFolderId(v) || isFolderId(v);

export const notOwnAccount = defineRule({
    id: "not-own-account",
    constraints: ["C2"],
    severity: "error",
    title: "An owner does not share with itself",
    description: "Sharing with the owner's own account fails with `InvalidAccount.Forbbiden`.",
    subject: "share",
    enforcement: { components: SHARE_COMPONENTS, policies: ["sharing-recipients"] },
    check: (intent) => {
        const owner = intent.ownerAccountId.value;
        return knownTargets(intent)
            .filter((t) => owner !== undefined && t.value === owner)
            .map((t) => ({
                path: t.path,
                message: `account ${t.value} is the owner of the ${intent.kind}s; an account cannot share with itself.`,
                fix: "Remove the owner's own account from the recipients.",
            }));
    },
});

export const sameSite = defineRule({
    id: "same-site",
    constraints: ["C3"],
    severity: "error",
    title: "China-site and international-site accounts do not share with each other",
    description:
        "Checked when the organization tells each account's site (stack config `alicloud-sharing:accountSites`, or the policy pack's " +
        "`accountSites`): a share between the two sites fails with `InvalidImageId.BidMismatch`.",
    subject: "share",
    enforcement: { components: SHARE_COMPONENTS, policies: ["sharing-recipients"] },
    check: (intent, context) => {
        const owner = intent.ownerAccountId.value;
        // Own keys only: a recipient named `constructor` is no account of any site.
        const siteOf = (account: string): string | undefined => (Object.prototype.hasOwnProperty.call(context.accountSites, account) ? context.accountSites[account] : undefined);
        const ownerSite = owner === undefined ? undefined : siteOf(owner);
        if (ownerSite === undefined) {
            return [];
        }
        return knownTargets(intent)
            .filter((t) => siteOf(t.value) !== undefined && siteOf(t.value) !== ownerSite)
            .map((t) => ({
                path: t.path,
                message: `account ${t.value} is on the ${siteOf(t.value)} site and the owner ${owner} on the ${ownerSite} site; the two sites cannot share.`,
                fix: "Share only with accounts of the owner's site, or copy the resource into an account of the other site and share from there.",
            }));
    },
});

export const noDuplicates = defineRule({
    id: "no-duplicates",
    constraints: ["C4"],
    severity: "error",
    title: "Each recipient and each shared resource is listed once",
    description:
        "A recipient or a snapshot / image listed twice would make two shares or two grants of one thing; it is always a mistake. " +
        "The pack looks at each resource share (its targets and shared resources) and each image's permissions.",
    subject: "share",
    enforcement: { components: RECIPIENT_COMPONENTS, policies: ["sharing-share-contents"] },
    check: (intent) => {
        const problems: Problem[] = [];
        for (const [what, values] of [["recipient", intent.targets], [intent.kind, intent.resources]] as const) {
            const seen = new Map<string, { path: string; value: string }>();
            for (const v of values) {
                if (typeof v.value !== "string") {
                    continue;
                }
                // A folder is shared with by its id (the path's last folder): two paths ending in one folder are one target.
                const key = what === "recipient" && v.value.includes("/") ? (v.value.split("/").pop() ?? v.value) : v.value;
                const first = seen.get(key);
                if (first === undefined) {
                    seen.set(key, { path: v.path, value: v.value });
                } else {
                    const same = first.value === v.value ? "" : `, as folder ${quote(key)}`;
                    problems.push({ path: v.path, message: `${what} ${quote(v.value)} is listed again${same} (first at ${first.path}).`, fix: `List each ${what} once.` });
                }
            }
        }
        return problems;
    },
});

function badIds(values: readonly Located<string>[], valid: (v: string) => boolean, what: string, fix: string): Problem[] {
    return values
        .filter((v) => v.value !== undefined && !valid(v.value))
        .map((v) => ({ path: v.path, message: `${quote(v.value)} is not ${what}.`, fix }));
}

export const resourceIdFormat = defineRule({
    id: "resource-id-format",
    constraints: ["C5", "C16"],
    severity: "error",
    title: "Shared resources are snapshot ids or custom image ids",
    description: "Snapshot ids look like `s-…` and custom image ids like `m-…`; anything else (a name, a public image, a typo) fails only at deploy time.",
    subject: "share",
    enforcement: { components: ["SharedSnapshot", "SharedImage", "SharedSnapshotDisk", "SnapshotCopy"], policies: ["sharing-resource-share", "sharing-image-permission"] },
    check: (intent) =>
        intent.kind === "snapshot"
            ? badIds(intent.resources, isSnapshotId, "a snapshot id (s-…)", "Give the ids of the snapshots to share.")
            : badIds(intent.resources, isImageId, "a custom image id (m-…)", "Give the ids of custom images created in the owner's account."),
});

export const kmsKeyFormat = defineRule({
    id: "kms-key-format",
    constraints: ["C9", "C21"],
    severity: "error",
    title: "Keys are KMS key ids",
    description: "The share role is granted on exact key ARNs built from the key ids: a KMS key id looks like `key-…` (or the older UUID form).",
    subject: "share",
    enforcement: {
        components: ["SharedSnapshot", "SharedImage", "EncryptedShareRole", "SharedSnapshotDisk", "SnapshotCopy"],
        policies: { reason: "raw resources name the share role's keys inside KMS ARNs, which kms-policy-minimal reads with the same key-id grammar" },
    },
    check: (intent) =>
        badIds(
            [...(intent.encryption.kind === "customerKey" ? [intent.encryption.keyId] : []), ...Object.values(intent.copyKeyIds), ...(intent.additionalKeys ?? []).map((k) => k.keyId)],
            isKmsKeyId,
            "a KMS key id (key-…)",
            "Give the id of the customer-managed key, as KMS shows it.",
        ),
});

export const regionFormat = defineRule({
    id: "region-format",
    constraints: ["C18", "C19"],
    severity: "error",
    title: "Regions are region ids",
    description:
        "Sharing happens in a region, and the key ARNs name the key's region: a region id is lower case, parts joined by hyphens, " +
        "such as `cn-hangzhou`, `ap-southeast-1` or `rus-west-1`.",
    subject: "share",
    enforcement: {
        components: ["SharedSnapshot", "SharedImage", "EncryptedShareRole"],
        policies: { reason: "a raw resource's region is its provider's, which the provider itself validates" },
    },
    check: (intent) =>
        badIds(
            [intent.region, ...(intent.encryption.kind === "customerKey" ? [intent.encryption.keyRegion] : []), ...(intent.additionalKeys ?? []).map((k) => k.region)],
            isRegionId,
            "a region id (such as cn-hangzhou)",
            "Give a region id, lower case with hyphens, as the console shows it.",
        ),
});

export const regionMatchesProvider = defineRule({
    id: "region-matches-provider",
    constraints: ["C18", "C19"],
    severity: "error",
    title: "The region a share is judged for is the region it is made in",
    description:
        "A component's resources are created through its provider, in the provider's region, whatever `region` says. Given `region`, a component " +
        "uses a provider of that region; with a provider passed in, the two must agree, or the rules would judge one region (C19's encrypted-image " +
        "regions, the key's region) while the share is made in another.",
    subject: "share",
    enforcement: {
        components: ["SharedSnapshot", "SharedImage"],
        policies: { reason: "a raw resource's region is its provider's: there is no second region to disagree with" },
    },
    check: (intent) => {
        const given = intent.region.value;
        const actual = intent.providerRegion?.value;
        return given !== undefined && actual !== undefined && given !== actual
            ? [{
                  path: intent.region.path,
                  message: `region is ${given} but the provider passed to the component is in ${actual}; the share would be made in ${actual}.`,
                  fix: `Pass a provider of ${given}, or leave the provider out (the component then uses one of ${given}), or set region to ${actual}.`,
              }]
            : [];
    },
});

export const keyInShareRegion = defineRule({
    id: "key-in-share-region",
    constraints: ["C9", "C21", "C18"],
    severity: "error",
    title: "The resources' key is in the share's region",
    description:
        "A KMS key encrypts only in its own region, and a snapshot or image is shared in the region it lives in: the key of the shared " +
        "resources (`kmsKeyRegion`) is a key of the share's region. Share in another region through a copy made with that region's key. The pack " +
        "follows each shared item to the key it (or what it was made from) is encrypted with, and compares the key's region with the item's.",
    subject: "share",
    enforcement: {
        components: ["SharedSnapshot", "SharedImage"],
        policies: ["sharing-regions"],
    },
    check: (intent) => {
        if (intent.encryption.kind !== "customerKey") {
            return [];
        }
        const { keyRegion } = intent.encryption;
        const region = intent.region.value;
        return keyRegion.value !== undefined && region !== undefined && isRegionId(keyRegion.value) && isRegionId(region) && keyRegion.value !== region
            ? [{
                  path: keyRegion.path,
                  message: `the key is in ${keyRegion.value} but the ${intent.kind}s are shared in ${region}; a key encrypts only in its own region.`,
                  fix: `Give the customer-managed key of ${region} that the ${intent.kind}s are encrypted with, or copy them to ${keyRegion.value} and share them there.`,
              }]
            : [];
    },
});

export const sharedInOwnRegion = defineRule({
    id: "shared-in-own-region",
    constraints: ["C18", "C5"],
    severity: "error",
    title: "What is shared is shared in the region it lives in",
    description:
        "Resource Sharing and image permissions work within one region: a snapshot or image made in one region cannot be shared through a share " +
        "made in another. The pack follows each shared id to the resource that makes it and compares the two providers' regions.",
    subject: "share",
    enforcement: {
        components: { reason: "a component takes ids, not the resources that made them; the pack follows each id to its resource and region" },
        policies: ["sharing-regions"],
    },
    check: (intent) => {
        const region = intent.region.value;
        return (intent.resourceRegions ?? [])
            .filter((r) => region !== undefined && r.value !== undefined && isRegionId(r.value) && isRegionId(region) && r.value !== region)
            .map((r) => ({
                path: r.path,
                message: `the ${intent.kind} is made in ${r.value} but shared through a share made in ${region}; sharing works within one region.`,
                fix: `Make the share in ${r.value} (a provider of that region), or copy the ${intent.kind} to ${region} and share the copy.`,
            }));
    },
});

export const ownerAccountFormat = defineRule({
    id: "owner-account-format",
    constraints: ["C1", "C2"],
    severity: "error",
    title: "The owner is an account id",
    description: "The owner account names the key ARNs of the share role and is compared with the recipients: it is a 16-digit account id.",
    subject: "share",
    enforcement: {
        components: ["SharedSnapshot", "SharedImage", "EncryptedShareRole"],
        policies: { reason: "the pack takes the owner from its own schema-checked config (`ownerAccountIds`) or from the provider's account" },
    },
    check: (intent) => badIds([intent.ownerAccountId], isAccountId, "an account id (16 digits)", "Give the owner's account id, or leave it out to use the provider's."),
});

export const ownerAccountMatchesProvider = defineRule({
    id: "owner-account-matches-provider",
    constraints: ["C2", "C9", "C21"],
    severity: "error",
    title: "The owner account a component names is the account its provider names",
    description:
        "A component's resources are made in its provider's account, and the policy pack (with the offline preview) reads each resource's " +
        "account from its provider: its `accountId`, or the stack config `alicloud:accountId` for the default provider. A component's " +
        "`ownerAccountId` names the account of the share role's key ARNs (C9, C21), of the owner the recipients are compared with (C2) and of " +
        "its relations (one share role per name, limits per owner): when the provider names another account, the grants name another " +
        "account's keys. When the provider names no account, the pack judges the resources in the stack's account, which may be any: in a " +
        "program whose components name other accounts too, the provider must name it.",
    subject: "share",
    enforcement: {
        components: ["SharedSnapshot", "SharedImage", "EncryptedShareRole"],
        policies: { reason: "a raw resource names its account only through its provider: there is no second account to disagree with" },
    },
    check: (intent) => {
        const owner = intent.ownerAccountId.value;
        const provider = intent.providerAccount;
        if (provider === undefined || owner === undefined || !isAccountId(owner)) {
            return [];
        }
        const where = provider.source === "config" ? "the default provider names (the stack config alicloud:accountId)" : "the component's provider names (its accountId)";
        if (provider.accountId !== undefined) {
            return provider.accountId === owner
                ? []
                : [{
                      path: intent.ownerAccountId.path,
                      message: `ownerAccountId is ${owner} but the account ${where} is ${provider.accountId}: the component's resources are made and judged in account ${provider.accountId}, while the share role's KMS grants would name the keys of account ${owner}.`,
                      fix: `Set ownerAccountId to ${provider.accountId}, or give the component a provider whose accountId is ${owner}.`,
                  }];
        }
        const others = [...new Set(provider.programAccounts ?? [])].filter((a) => a !== owner).sort();
        if (others.length === 0) {
            return [];
        }
        const none = provider.source === "config" ? "the default provider names no account (no stack config alicloud:accountId)" : "the component's provider names no account (no accountId)";
        return [{
            path: intent.ownerAccountId.path,
            message:
                `ownerAccountId is ${owner} but ${none}, and the program's components name ${others.length === 1 ? "account" : "accounts"} ${others.join(", ")} too: ` +
                "the policy pack reads each resource's account from its provider, so it would judge these resources in the stack's account, which may be any of them.",
            fix: provider.source === "config" ? `Set the stack config alicloud:accountId to ${owner}, or give the component a provider whose accountId is ${owner}.` : `Set the provider's accountId to ${owner}.`,
        }];
    },
});

export const shareNotEmpty = defineRule({
    id: "share-not-empty",
    constraints: ["C1", "C5"],
    severity: "error",
    title: "A share has something to share and someone to share it with",
    description: "A share with no snapshot or image, or with no recipient, does nothing and usually hides a mistake in the program.",
    subject: "share",
    enforcement: {
        components: SHARE_COMPONENTS,
        policies: { reason: "a raw resource share may get its resources and targets later or from another stack; an empty share grants nothing" },
    },
    check: (intent) => [
        ...(intent.resources.length === 0
            ? [{ path: KINDS[intent.kind].component.idsArgument, message: `no ${intent.kind} is given.`, fix: `List at least one ${intent.kind} id.` }]
            : []),
        ...(intent.targets.length === 0
            ? [{ path: "accountIds", message: "no recipient is given.", fix: "Give `accountIds`, `resourceDirectoryId` or `folderPaths`." }]
            : []),
    ],
});
