/** The policies of the pack: each a set of registry rules over intents built from raw resources or from the stack. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { RESOURCE_KINDS, ResourceKind, SHARE_ROLE_NAME } from "../alibaba/names";
import { Located, ShareIntent, at, partialShareIntent } from "../intent/model";
import * as images from "../rules/images";
import * as org from "../rules/organization";
import * as roles from "../rules/roles";
import * as shares from "../rules/shares";
import * as snapshots from "../rules/snapshots";
import * as targets from "../rules/targets";
import { attachmentSubjects, diskSubjects, imagePermissionSubjects, imageSourceSubjects, resourceSharingSubjects, roleFields, roleIntentOf, roleSubjects } from "./adapters";
import { Subject, exemptionsInUse, reportExactly, sharingResourcePolicy, sharingStackPolicy } from "./framework";
import { RawResource, TYPES, isUnknown, locatedString } from "./resources";
import { PolicySettings } from "./settings";
import { StackShare, StackView, encryptionOf, regionOf, stackView } from "./stack";

const shareSubject = (intent: ShareIntent, via: RawResource): Subject => ({ kind: "share", subject: intent, urn: via.urn, name: via.name });

/** S1, S4, C32, S6: roles that are share roles by name or by whom they trust. */
export const shareRolePolicy = sharingResourcePolicy({
    name: "sharing-share-role",
    description: "Share roles carry their exact names and never trust every account's ECS.",
    enforcementLevel: "mandatory",
    settings: ["failClosedOnUnknown"],
    rules: [roles.shareRoleName, roles.trustPolicyNotOpen, roles.ramDocumentLimits, org.roleDocumentsKnown],
    types: [TYPES.role],
    subjects: roleSubjects,
});

/** S2: no system policy on a share role. */
export const shareRoleAttachmentPolicy = sharingResourcePolicy({
    name: "sharing-share-role-attachment",
    description: "Share roles get only their custom KMS policy.",
    enforcementLevel: "mandatory",
    settings: [],
    rules: [org.shareRoleSystemPolicy],
    types: [TYPES.rolePolicyAttachment],
    subjects: attachmentSubjects,
});

/** C1, C28, C29, C31, C5, C16: Resource Sharing resources, one at a time. */
export const resourceSharingPolicy = sharingResourcePolicy({
    name: "sharing-resource-share",
    description: "Resource shares are well named, list their items as resources, and use exact types, ids and principals.",
    enforcementLevel: "mandatory",
    settings: [],
    rules: [shares.shareName, org.noInlineShareItems, shares.resourceType, targets.resourceIdFormat, targets.principalFormat],
    types: [TYPES.resourceShare, TYPES.sharedResource, TYPES.sharedTarget],
    subjects: resourceSharingSubjects,
});

/** C1, C16, C5: image permissions, one at a time. */
export const imagePermissionPolicy = sharingResourcePolicy({
    name: "sharing-image-permission",
    description: "Image permissions grant custom images to account ids.",
    enforcementLevel: "mandatory",
    settings: [],
    rules: [targets.resourceIdFormat, targets.principalFormat],
    types: [TYPES.imageSharePermission],
    subjects: imagePermissionSubjects,
});

/** S3, S6, C2, C3: who receives shares and whom share roles trust. */
export const recipientsPolicy = sharingResourcePolicy({
    name: "sharing-recipients",
    description: "Shares go only to allowed, known recipients of the owner's site, never to the owner itself; share roles trust only allowed recipients.",
    enforcementLevel: "mandatory",
    settings: ["allowedRecipients", "failClosedOnUnknown", "accountSites", "ownerAccountIds"],
    rules: [org.recipientsAllowed, org.recipientsKnown, targets.notOwnAccount, targets.sameSite, org.trustedPrincipalsAllowed],
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
    rules: [snapshots.diskFromSharedSnapshot, snapshots.noImageFromSharedSnapshot],
    types: [TYPES.ecsDisk, TYPES.disk, TYPES.image],
    subjects: (resource, settings) => (resource.type === TYPES.image ? imageSourceSubjects(resource, settings) : diskSubjects(resource, settings)),
});

/** The shared items of a share or permission group that are images or snapshots of one key. */
interface ItemShares {
    readonly kind: ResourceKind;
    readonly via: RawResource;
    readonly resource: Located<string>;
    readonly accounts: Set<string>;
    readonly organization: Set<string>;
}

/** For each shared item, every recipient it has across the stack's shares and permissions. */
function recipientsByItem(view: StackView): Map<string, ItemShares> {
    const byItem = new Map<string, ItemShares>();
    const add = (kind: ResourceKind, key: string, via: RawResource, resource: Located<string>, recipients: readonly Located<string>[]) => {
        let entry = byItem.get(key);
        if (entry === undefined) {
            entry = { kind, via, resource, accounts: new Set(), organization: new Set() };
            byItem.set(key, entry);
        }
        for (const r of recipients) {
            if (r.value !== undefined) {
                (/^[0-9]+$/.test(r.value) ? entry.accounts : entry.organization).add(r.value);
            }
        }
    };
    for (const share of view.shares) {
        if (share.kind !== undefined) {
            share.items.forEach((item) => add(share.kind!, item.key, item.via, item.id, share.targets.map((t) => t.value)));
        }
    }
    for (const { item, accounts } of view.permissions.values()) {
        add("image", item.key, item.via, item.id, accounts);
    }
    return byItem;
}

const accountTargets = (accounts: Set<string>): Located<string>[] => [...accounts].map((a) => at("accountId", a));

/** C6, C7, C17: limits that only the whole stack shows. */
export const limitsPolicy = sharingStackPolicy({
    name: "sharing-limits",
    description: "Accounts per snapshot and per image, and shared snapshots per owner, stay within Alibaba Cloud's limits.",
    enforcementLevel: "mandatory",
    settings: ["maxAccountsPerSnapshot", "maxSharedSnapshotsPerOwner", "sharedSnapshotsInUse", "imageShareQuota"],
    rules: [snapshots.snapshotAccountLimit, images.imageAccountQuota, snapshots.snapshotOwnerQuota],
    subjects: (resources) => {
        const items = [...recipientsByItem(stackView(resources)).values()];
        const perItem: Subject[] = items.map((e) => ({
            ...shareSubject(partialShareIntent(e.kind, { resources: [e.resource], targets: accountTargets(e.accounts) }), e.via),
            only: [snapshots.snapshotAccountLimit.id, images.imageAccountQuota.id],
        }));
        const snapshotItems = items.filter((e) => e.kind === "snapshot");
        const ownerWide: Subject[] =
            snapshotItems.length === 0
                ? []
                : [{ ...shareSubject(partialShareIntent("snapshot", { resources: snapshotItems.map((e) => e.resource) }), snapshotItems[0].via), only: [snapshots.snapshotOwnerQuota.id] }];
        return [...perItem, ...ownerWide];
    },
});

/** C22: an image shared both with the organization and with accounts. */
export const directoryAndAccountsPolicy = sharingStackPolicy({
    name: "sharing-directory-and-accounts",
    description: "An image is shared with a directory or folders, or with accounts, not both.",
    enforcementLevel: "advisory",
    settings: [],
    rules: [images.directoryAndAccounts],
    subjects: (resources) =>
        [...recipientsByItem(stackView(resources)).values()]
            .filter((e) => e.kind === "image")
            .map((e) => shareSubject(partialShareIntent("image", { resources: [e.resource], targets: [...accountTargets(e.accounts), ...[...e.organization].map((o) => at("targetId", o))] }), e.via)),
});

/** Whether a stack share is encrypted, and how. */
function shareEncryption(share: StackShare) {
    const kind = share.kind;
    const dependsOnRole = kind !== undefined && share.roleDependencies.has(kind);
    const encryptions = share.items.map((item) => encryptionOf(item, dependsOnRole));
    return encryptions.find((e) => e.kind === "serviceKey") ?? encryptions.find((e) => e.kind === "customerKey") ?? ({ kind: "none" } as const);
}

/** The custom policies attached to a role, found by the attachment's role and policy names (or their sources). */
function attachedPolicies(view: StackView, role: RawResource): RawResource[] {
    const roleName = roleFields(role).roleName.value;
    const attached = view.attachments.filter(
        (a) => (a.propertyDependencies.roleName ?? []).includes(role.urn) || (roleName !== undefined && a.props.roleName === roleName),
    );
    return attached.flatMap((a) => {
        const bySource = (a.propertyDependencies.policyName ?? []).map((u) => view.byUrn.get(u)).filter((p): p is RawResource => p?.type === TYPES.policy);
        const byName = view.policies.filter((p) => typeof a.props.policyName === "string" && (p.props.policyName ?? p.props.name) === a.props.policyName);
        return [...new Set([...bySource, ...byName])];
    });
}

/** S4, S5, S2: each kind's encrypted shares have their role, trusted for exactly their recipients, with minimal KMS grants. */
export const shareRolesPolicy = sharingStackPolicy({
    name: "sharing-share-roles",
    description: "Encrypted shares have their share role, which trusts exactly their recipients and holds minimal KMS grants; one role per name.",
    enforcementLevel: "mandatory",
    settings: ["existingShareRoles", "failClosedOnUnknown"],
    rules: [org.shareRolePresent, roles.oneRolePerName, roles.trustMatchesTargets, roles.kmsPolicyMinimal],
    subjects: (resources, settings: PolicySettings) => {
        const view = stackView(resources);
        const subjects: Subject[] = [];
        // Roles of one name share their attachments by name: judge each attached policy once.
        const judgedPolicies = new Set<string>();
        for (const kind of RESOURCE_KINDS) {
            const encrypted = view.shares.filter((s) => s.kind === kind && shareEncryption(s).kind === "customerKey");
            const kindRoles = view.roles.get(kind) ?? [];
            const present = kindRoles.length > 0 || settings.existingShareRoles.includes(kind);
            for (const share of encrypted) {
                const via = share.share ?? share.items[0]?.via;
                if (via !== undefined) {
                    subjects.push(shareSubject(partialShareIntent(kind, { encryption: shareEncryption(share), shareRolePresent: present }), via));
                }
            }
            kindRoles.forEach((role, i) => {
                const intent = roleIntentOf(role)!;
                const others = kindRoles.filter((_, j) => j !== i && sameProvider(kindRoles[j], role)).map((r) => r.urn);
                const policyDocs = attachedPolicies(view, role);
                const expectedTargets = encrypted.length > 0 ? [...new Set(encrypted.flatMap((s) => s.targets.map((t) => t.value.value).filter((v): v is string => v !== undefined)))] : undefined;
                subjects.push({
                    kind: "role",
                    subject: { ...intent, otherDefinitions: others, expectedTargets, roleName: at("roleName", SHARE_ROLE_NAME[kind]) },
                    urn: role.urn,
                    name: role.name,
                });
                for (const policy of policyDocs.filter((p) => !judgedPolicies.has(p.urn))) {
                    judgedPolicies.add(policy.urn);
                    const doc = policy.props.policyDocument ?? policy.props.document;
                    subjects.push({
                        kind: "role",
                        subject: { kind, roleName: at("roleName", SHARE_ROLE_NAME[kind]), trustPolicy: at<unknown>("trustPolicy", undefined), kmsPolicy: at<unknown>("policyDocument", isUnknown(doc) ? undefined : doc) },
                        urn: policy.urn,
                        name: policy.name,
                    });
                }
            });
        }
        return subjects;
    },
});

/** Two roles are in the same account when they use the same provider (the engine's provider reference). */
function sameProvider(a: RawResource, b: RawResource): boolean {
    return JSON.stringify(a.providerProps ?? {}) === JSON.stringify(b.providerProps ?? {});
}

/** C27: the keys behind shared encrypted resources are protected from deletion. */
export const sharedKeysPolicy = sharingStackPolicy({
    name: "sharing-shared-keys",
    description: "KMS keys behind shared encrypted snapshots and images have deletion protection.",
    enforcementLevel: "mandatory",
    settings: [],
    rules: [org.sharedKeyProtected],
    subjects: (resources) => {
        const view = stackView(resources);
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
        for (const kind of RESOURCE_KINDS) {
            for (const role of view.roles.get(kind) ?? []) {
                for (const policy of attachedPolicies(view, role)) {
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
                sharedResources: [...shared],
            },
            urn: key.urn,
            name: key.name,
        }));
    },
});

/** C19, C20: encrypted images are shared with customer-managed keys, where Alibaba Cloud allows it. */
export const encryptedImagesPolicy = sharingStackPolicy({
    name: "sharing-encrypted-images",
    description: "Encrypted images are shared only on customer-managed keys and only in the regions that allow it.",
    enforcementLevel: "mandatory",
    settings: ["encryptedImageRegions"],
    rules: [images.encryptedImageRegion, images.imageServiceKey, snapshots.snapshotServiceKey],
    subjects: (resources) => {
        const view = stackView(resources);
        const subjects: Subject[] = [];
        for (const share of view.shares) {
            if (share.kind === undefined) {
                continue;
            }
            const encryption = shareEncryption(share);
            const via = share.share ?? share.items[0]?.via;
            if (encryption.kind !== "none" && via !== undefined) {
                subjects.push(shareSubject(partialShareIntent(share.kind, { encryption, region: regionOf(share.share ?? share.items[0]?.via) }), via));
            }
        }
        for (const { item } of view.permissions.values()) {
            const encryption = encryptionOf(item, false);
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
            reportExactly(report, `[S7] exemption in use: ${use.policy} does not apply ${use.exemption.rules.join(", ")} to ${use.urn} until ${use.exemption.expires}: ${use.exemption.reason}`, use.urn);
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
    shareRolesPolicy,
    sharedKeysPolicy,
    encryptedImagesPolicy,
    exemptionsPolicy,
];
