/**
 * The policies of the pack: each judges intents built from raw resources or from the whole stack, with the rules the
 * registry's enforcement matrix gives its name.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { isAccountId } from "../alibaba/ids";
import { RESOURCE_KINDS, ResourceKind, SHARE_ROLE_NAME } from "../alibaba/names";
import { Located, ShareIntent, at, partialShareIntent } from "../intent/model";
import { attachmentSubjects, diskSubjects, imagePermissionSubjects, imageSourceSubjects, instanceDiskSubjects, resourceSharingSubjects, roleIntentOf, roleSubjects } from "./adapters";
import { Subject, exemptionsInUse, reportExactly, sharingResourcePolicy, sharingStackPolicy } from "./framework";
import { RawResource, TYPES, isUnknown, locatedString } from "./resources";
import { PolicySettings } from "./settings";
import { StackShare, StackView, encryptionOf, keyArnOf, regionOf, stackView } from "./stack";

const shareSubject = (intent: ShareIntent, via: RawResource, only?: readonly string[]): Subject => ({
    kind: "share",
    subject: intent,
    urn: via.urn,
    name: via.name,
    type: via.type,
    ...(only === undefined ? {} : { only }),
});

/** S1, S4, C32, S6: roles that are share roles by name or by whom they trust. */
export const shareRolePolicy = sharingResourcePolicy({
    name: "sharing-share-role",
    description: "Share roles carry their exact names and trust only ECS of known accounts, directories or folders.",
    enforcementLevel: "mandatory",
    settings: ["failClosedOnUnknown", "maxPolicyDocumentBytes", "minRoleSessionSeconds", "maxRoleSessionSeconds"],
    types: [TYPES.role],
    subjects: roleSubjects,
});

/** S2: no system policy on a share role. */
export const shareRoleAttachmentPolicy = sharingResourcePolicy({
    name: "sharing-share-role-attachment",
    description: "Share roles get only their custom KMS policy.",
    enforcementLevel: "mandatory",
    settings: [],
    types: [TYPES.rolePolicyAttachment, TYPES.resourceManagerPolicyAttachment],
    subjects: attachmentSubjects,
});

/** C1, C28, C29, C31, C5, C16, C10: Resource Sharing resources, one at a time. */
export const resourceSharingPolicy = sharingResourcePolicy({
    name: "sharing-resource-share",
    description: "Resource shares are well named, list their items as resources, use exact types, ids and principals, and never re-share what was received.",
    enforcementLevel: "mandatory",
    settings: ["receivedSnapshots"],
    types: [TYPES.resourceShare, TYPES.sharedResource, TYPES.sharedTarget],
    subjects: resourceSharingSubjects,
});

/** C1, C16, C5: image permissions, one at a time. */
export const imagePermissionPolicy = sharingResourcePolicy({
    name: "sharing-image-permission",
    description: "Image permissions grant custom images to account ids.",
    enforcementLevel: "mandatory",
    settings: [],
    types: [TYPES.imageSharePermission],
    subjects: imagePermissionSubjects,
});

/** S3, S6, C2, C3: who receives shares and whom share roles trust. */
export const recipientsPolicy = sharingResourcePolicy({
    name: "sharing-recipients",
    description: "Shares go only to allowed, known recipients of the owner's site, never to the owner itself; share roles trust only allowed recipients.",
    enforcementLevel: "mandatory",
    settings: ["allowedRecipients", "failClosedOnUnknown", "accountSites", "ownerAccountIds"],
    types: [TYPES.sharedTarget, TYPES.imageSharePermission, TYPES.resourceShare, TYPES.role],
    subjects: (resource, settings) => {
        if (resource.type === TYPES.role) {
            return roleSubjects(resource);
        }
        const subjects = resource.type === TYPES.imageSharePermission ? imagePermissionSubjects(resource, settings) : resourceSharingSubjects(resource, settings);
        // A resource share with no inline targets has no recipient to judge here.
        return subjects.filter((s) => s.kind !== "share" || s.subject.targets.length > 0);
    },
});

/** C11, C10: disks and images from snapshots shared with the account. */
export const shareeDiskPolicy = sharingResourcePolicy({
    name: "sharing-sharee-disk",
    description: "Disks from shared encrypted snapshots are ESSD and encrypted with the sharee's own key; no custom image is made from a shared snapshot.",
    enforcementLevel: "mandatory",
    settings: ["receivedSnapshots", "essdCategories"],
    types: [TYPES.ecsDisk, TYPES.disk, TYPES.image, TYPES.instance],
    subjects: (resource, settings) =>
        resource.type === TYPES.image ? imageSourceSubjects(resource, settings) : resource.type === TYPES.instance ? instanceDiskSubjects(resource, settings) : diskSubjects(resource, settings),
});

/** Every recipient of one shared item across the stack's shares and permissions, apart by kind of recipient. */
interface ItemShares {
    readonly kind: ResourceKind;
    readonly via: RawResource;
    readonly resource: Located<string>;
    readonly owner: string;
    readonly accounts: Set<string>;
    readonly organization: Set<string>;
}

/** For each shared item, every recipient it has across the stack's shares and permissions. */
function recipientsByItem(view: StackView): Map<string, ItemShares> {
    const byItem = new Map<string, ItemShares>();
    const add = (kind: ResourceKind, key: string, via: RawResource, resource: Located<string>, owner: string, recipients: readonly Located<string>[]) => {
        let entry = byItem.get(key);
        if (entry === undefined) {
            entry = { kind, via, resource, owner, accounts: new Set(), organization: new Set() };
            byItem.set(key, entry);
        }
        for (const r of recipients) {
            if (r.value !== undefined) {
                (isAccountId(r.value) ? entry.accounts : entry.organization).add(r.value);
            }
        }
    };
    for (const share of view.shares) {
        if (share.kind !== undefined) {
            share.items.forEach((item) => add(share.kind!, item.key, item.via, item.id, share.owner, share.targets.map((t) => t.value)));
        }
    }
    for (const { item, accounts, owner } of view.permissions.values()) {
        add("image", item.key, item.via, item.id, owner, accounts.map((a) => a.value));
    }
    return byItem;
}

const accountTargets = (accounts: Set<string>): Located<string>[] => [...accounts].map((a) => at("accountId", a));

/** C6, C7, C17: limits that only the whole stack shows; C7 counts each owner account apart. */
export const limitsPolicy = sharingStackPolicy({
    name: "sharing-limits",
    description: "Accounts per snapshot and per image, and shared snapshots per owner, stay within Alibaba Cloud's limits.",
    enforcementLevel: "mandatory",
    settings: ["maxAccountsPerSnapshot", "maxSharedSnapshotsPerOwner", "sharedSnapshotsInUse", "imageShareQuota", "ownerAccountIds"],
    subjects: (resources, settings) => {
        const items = [...recipientsByItem(stackView(resources, settings)).values()];
        const perItem: Subject[] = items.map((e) => shareSubject(partialShareIntent(e.kind, { resources: [e.resource], targets: accountTargets(e.accounts) }), e.via, ["snapshot-account-limit", "image-account-quota"]));
        const byOwner = new Map<string, ItemShares[]>();
        for (const e of items.filter((e) => e.kind === "snapshot")) {
            const owned = byOwner.get(e.owner);
            if (owned === undefined) {
                byOwner.set(e.owner, [e]);
            } else {
                owned.push(e);
            }
        }
        // Snapshots whose owner nobody names may be any named owner's: they count toward each (the stricter reading).
        const unnamed = byOwner.get("default") ?? [];
        const perOwner: Subject[] = [...byOwner.entries()].map(([owner, owned]) => {
            const counted = owner === "default" ? owned : [...owned, ...unnamed];
            return shareSubject(partialShareIntent("snapshot", { resources: counted.map((e) => e.resource) }), owned[0].via, ["snapshot-owner-quota"]);
        });
        return [...perItem, ...perOwner];
    },
});

/** C22: an image shared both with the organization and with accounts. */
export const directoryAndAccountsPolicy = sharingStackPolicy({
    name: "sharing-directory-and-accounts",
    description: "An image is shared with a directory or folders, or with accounts, not both.",
    enforcementLevel: "advisory",
    settings: [],
    subjects: (resources, settings) =>
        [...recipientsByItem(stackView(resources, settings)).values()]
            .filter((e) => e.kind === "image")
            .map((e) => shareSubject(partialShareIntent("image", { resources: [e.resource], targets: [...accountTargets(e.accounts), ...[...e.organization].map((o) => at("targetId", o))] }), e.via)),
});

/** C4, C30: what one resource share holds (each target and resource once; external accounts only when allowed), and each image's permissions. */
export const shareContentsPolicy = sharingStackPolicy({
    name: "sharing-share-contents",
    description: "A resource share lists each target and resource once, and takes accounts outside the resource directory only when it allows external targets.",
    enforcementLevel: "mandatory",
    settings: ["resourceDirectoryAccountIds"],
    subjects: (resources, settings) => {
        const view = stackView(resources, settings);
        const subjects: Subject[] = [];
        for (const share of view.shares) {
            const via = share.share ?? share.items[0]?.via ?? share.targets[0]?.via;
            if (via === undefined) {
                continue;
            }
            const external = share.share?.props.allowExternalTargets;
            subjects.push(
                shareSubject(
                    partialShareIntent(share.kind ?? "snapshot", {
                        resources: share.items.map((i) => at(`${i.via.name}.resourceId`, i.id.value)),
                        targets: share.targets.map((t) => at(`${t.via.name}.targetId`, t.value.value)),
                        targetsAreSharingIds: true,
                        allowExternalTargets: share.share === undefined ? undefined : at("allowExternalTargets", isUnknown(external) ? undefined : external === true),
                    }),
                    via,
                ),
            );
        }
        for (const { item, accounts } of view.permissions.values()) {
            subjects.push(shareSubject(partialShareIntent("image", { targets: accounts.map((a) => at(`${a.via.name}.accountId`, a.value.value)), method: at("method", "imagePermission") }), item.via));
        }
        return subjects;
    },
});

/** Whether a stack share is encrypted, and how. */
function shareEncryption(share: StackShare) {
    const kind = share.kind;
    const dependsOnRole = kind !== undefined && share.roleDependencies.has(kind);
    const encryptions = share.items.map((item) => encryptionOf(item, dependsOnRole));
    return (
        encryptions.find((e) => e.kind === "serviceKey") ??
        encryptions.find((e) => e.kind === "unknown") ??
        encryptions.find((e) => e.kind === "customerKey") ??
        ({ kind: "none" } as const)
    );
}

/** What the encrypted shares of one owner account and kind need of its share role: whom to trust, which keys, and where to report. */
interface RoleNeeds {
    readonly targets: Set<string>;
    readonly keyArns: Set<string>;
    readonly shares: { readonly via: RawResource; readonly encryption: ReturnType<typeof shareEncryption> }[];
}

/** The needs of every encrypted share and image permission, by owner account and kind. */
function roleNeeds(view: StackView): Map<string, RoleNeeds> {
    const needs = new Map<string, RoleNeeds>();
    const needOf = (owner: string, kind: ResourceKind): RoleNeeds => {
        const key = `${owner}|${kind}`;
        let n = needs.get(key);
        if (n === undefined) {
            n = { targets: new Set(), keyArns: new Set(), shares: [] };
            needs.set(key, n);
        }
        return n;
    };
    for (const share of view.shares) {
        const encryption = shareEncryption(share);
        const via = share.share ?? share.items[0]?.via;
        if (share.kind === undefined || encryption.kind !== "customerKey" || via === undefined) {
            continue;
        }
        const n = needOf(share.owner, share.kind);
        n.shares.push({ via, encryption });
        share.targets.forEach((t) => t.value.value !== undefined && n.targets.add(t.value.value));
        share.items.forEach((i) => {
            const arn = keyArnOf(i, share.owner);
            if (arn !== undefined) {
                n.keyArns.add(arn);
            }
        });
    }
    for (const { item, accounts, owner, roleDependency } of view.permissions.values()) {
        const encryption = encryptionOf(item, roleDependency);
        if (encryption.kind !== "customerKey") {
            continue;
        }
        const n = needOf(owner, "image");
        n.shares.push({ via: item.via, encryption });
        accounts.forEach((a) => a.value.value !== undefined && n.targets.add(a.value.value));
        const arn = keyArnOf(item, owner);
        if (arn !== undefined) {
            n.keyArns.add(arn);
        }
    }
    return needs;
}

/** How many other definitions of a role a message names; the count says the rest. */
const OTHERS_SHOWN = 3;

/** S4, S5, S2, C9: each account's encrypted shares have their role, trusted for exactly their recipients, able to use their keys, with minimal KMS policies. */
export const shareRolesPolicy = sharingStackPolicy({
    name: "sharing-share-roles",
    description: "Encrypted shares have their share role, which trusts exactly their recipients and can use exactly their keys; one role per name and account.",
    enforcementLevel: "mandatory",
    settings: ["existingShareRoles", "failClosedOnUnknown", "ownerAccountIds", "maxPolicyDocumentBytes"],
    subjects: (resources, settings: PolicySettings) => {
        const view = stackView(resources, settings);
        const needs = roleNeeds(view);
        const subjects: Subject[] = [];
        // Roles of one name and account share their attachments: judge each attached policy once.
        const judgedPolicies = new Set<string>();
        for (const kind of RESOURCE_KINDS) {
            const rolesByOwner = new Map<string, RawResource[]>();
            for (const role of view.roles.get(kind) ?? []) {
                const owner = view.ownerOf(role);
                const owned = rolesByOwner.get(owner);
                if (owned === undefined) {
                    rolesByOwner.set(owner, [role]);
                } else {
                    owned.push(role);
                }
            }
            for (const [key, need] of needs) {
                const [owner, needKind] = key.split("|");
                if (needKind !== kind) {
                    continue;
                }
                const present = rolesByOwner.has(owner) || settings.existingShareRoles.includes(kind);
                for (const share of need.shares) {
                    subjects.push(shareSubject(partialShareIntent(kind, { encryption: share.encryption, shareRolePresent: present }), share.via, ["share-role-present"]));
                }
            }
            for (const [owner, owned] of rolesByOwner) {
                const need = needs.get(`${owner}|${kind}`);
                owned.forEach((role, i) => {
                    const intent = roleIntentOf(role)!;
                    const others = owned.filter((_, j) => j !== i);
                    const attached = view.attachedPolicies(role);
                    const documents = attached.map((p) => {
                        const doc = p.props.policyDocument ?? p.props.document;
                        return at<unknown>(`${p.name}.policyDocument`, isUnknown(doc) ? undefined : doc);
                    });
                    subjects.push({
                        kind: "role",
                        subject: {
                            kind,
                            roleName: at("roleName", SHARE_ROLE_NAME[kind]),
                            trustPolicy: need === undefined ? undefined : intent.trustPolicy,
                            otherDefinitions: others.slice(0, OTHERS_SHOWN).map((r) => r.urn),
                            otherDefinitionCount: others.length,
                            expectedTargets: need === undefined ? undefined : [...need.targets],
                            expectedKeyArns: need === undefined ? undefined : [...need.keyArns],
                            attachedKmsPolicies: need === undefined ? undefined : documents,
                        },
                        urn: role.urn,
                        name: role.name,
                        type: role.type,
                        only: ["one-role-per-name", "trust-matches-targets", "kms-grants-complete"],
                    });
                    attached.forEach((policy, j) => {
                        if (judgedPolicies.has(policy.urn)) {
                            return;
                        }
                        judgedPolicies.add(policy.urn);
                        subjects.push({
                            kind: "role",
                            subject: { kind, roleName: at("roleName", SHARE_ROLE_NAME[kind]), kmsPolicy: at("policyDocument", documents[j].value) },
                            urn: policy.urn,
                            name: policy.name,
                            type: policy.type,
                            only: ["kms-policy-minimal", "ram-document-limits", "role-documents-known"],
                        });
                    });
                });
            }
        }
        return subjects;
    },
});

/** C27: the keys behind shared encrypted resources (through resource shares, image permissions and share roles) are protected from deletion. */
export const sharedKeysPolicy = sharingStackPolicy({
    name: "sharing-shared-keys",
    description: "KMS keys behind shared encrypted snapshots and images have deletion protection.",
    enforcementLevel: "mandatory",
    settings: [],
    subjects: (resources, settings) => {
        const view = stackView(resources, settings);
        const keys = new Map<string, { key: RawResource; shared: Set<string> }>();
        const note = (keyUrn: string, what: string) => {
            const key = view.byUrn.get(keyUrn);
            if (key?.type === TYPES.kmsKey) {
                const entry = keys.get(keyUrn) ?? { key, shared: new Set<string>() };
                entry.shared.add(what);
                keys.set(keyUrn, entry);
            }
        };
        for (const share of view.shares) {
            for (const item of share.items) {
                for (const keyUrn of item.source?.propertyDependencies.kmsKeyId ?? []) {
                    note(keyUrn, `${share.kind ?? "resource"} ${item.id.value ?? item.source!.name}`);
                }
            }
        }
        for (const { item } of view.permissions.values()) {
            for (const keyUrn of item.source?.propertyDependencies.kmsKeyId ?? []) {
                note(keyUrn, `image ${item.id.value ?? item.source!.name}`);
            }
        }
        for (const kind of RESOURCE_KINDS) {
            for (const role of view.roles.get(kind) ?? []) {
                for (const policy of view.attachedPolicies(role)) {
                    for (const keyUrn of [...(policy.propertyDependencies.policyDocument ?? []), ...(policy.propertyDependencies.document ?? [])]) {
                        note(keyUrn, `${kind}s (through ${SHARE_ROLE_NAME[kind]})`);
                    }
                }
            }
        }
        return [...keys.values()].map(({ key, shared }) => ({
            kind: "key" as const,
            subject: {
                keyId: at("keyId", key.name),
                deletionProtection: key.props.deletionProtection === undefined ? at("deletionProtection", "Disabled") : locatedString("deletionProtection", key.props.deletionProtection),
                status: key.props.status === undefined || key.props.status === null ? at("status", "Enabled") : locatedString("status", key.props.status),
                sharedResources: [...shared],
            },
            urn: key.urn,
            name: key.name,
            type: key.type,
        }));
    },
});

/** C19, C20, C8: encrypted images are shared with customer-managed keys, where Alibaba Cloud allows it; no snapshot on the service key. */
export const encryptedImagesPolicy = sharingStackPolicy({
    name: "sharing-encrypted-images",
    description: "Encrypted images are shared only on customer-managed keys and only in the regions that allow it; snapshots never on the service key.",
    enforcementLevel: "mandatory",
    settings: ["encryptedImageRegions"],
    subjects: (resources, settings) => {
        const view = stackView(resources, settings);
        const subjects: Subject[] = [];
        for (const share of view.shares) {
            if (share.kind === undefined) {
                continue;
            }
            const encryption = shareEncryption(share);
            const via = share.share ?? share.items[0]?.via;
            if (encryption.kind !== "none" && via !== undefined) {
                subjects.push(shareSubject(partialShareIntent(share.kind, { encryption, region: regionOf(via) }), via));
            }
        }
        for (const { item, roleDependency } of view.permissions.values()) {
            const encryption = encryptionOf(item, roleDependency);
            if (encryption.kind !== "none") {
                subjects.push(shareSubject(partialShareIntent("image", { encryption, region: regionOf(item.via), method: at("method", "imagePermission") }), item.via));
            }
        }
        return subjects;
    },
});

/** S7: lists the exemptions applied in this run (advisory: a list, not a failure). Served last, so it sees them all. */
export const exemptionsPolicy: StackValidationPolicy = {
    name: "sharing-exemptions",
    description: "Lists the exemptions in use (S7), so every exception stays visible: resource, rules lifted, expiry and reason.",
    enforcementLevel: "advisory",
    validateStack: (_args, report) => {
        for (const use of exemptionsInUse.values()) {
            // Always advisory, whatever level the policy is given (`all: "mandatory"` must not make an exemption block).
            reportExactly(report, `[S7] exemption in use: ${use.policy} does not apply ${use.exemption.rules.join(", ")} to ${use.urn} until ${use.exemption.expires}: ${use.exemption.reason}`, use.urn, "advisory");
        }
    },
};

/** Every policy the pack serves, resource policies first, the exemption list last. */
export const policies = [
    shareRolePolicy,
    shareRoleAttachmentPolicy,
    resourceSharingPolicy,
    imagePermissionPolicy,
    recipientsPolicy,
    shareeDiskPolicy,
    limitsPolicy,
    directoryAndAccountsPolicy,
    shareContentsPolicy,
    shareRolesPolicy,
    sharedKeysPolicy,
    encryptedImagesPolicy,
    exemptionsPolicy,
];
