/**
 * The policies of the pack: each judges intents built from raw resources or from the whole stack, with the rules the
 * registry's enforcement matrix gives its name.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { attachmentSubjects, diskSubjects, imagePermissionSubjects, imageSourceSubjects, instanceDiskSubjects, resourceSharingSubjects, roleSubjects } from "./adapters";
import { exemptionsInUse, reportExactly, sharingResourcePolicy, sharingStackPolicy } from "./framework";
import { RawResource, TYPES } from "./resources";
import { PolicySettings } from "./settings";
import { Relations } from "../graph/resolve";
import { contentsSubjects, directoryAndAccountSubjects, encryptionSubjects, keySubjects, limitSubjects, roleSubjects as shareRoleSubjects } from "../rules/relations";
import { readStack } from "./reader";

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
    settings: ["allowedRecipients", "failClosedOnUnknown", "accountSites", "ownerAccountIds", "organization", "organizationFile"],
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

/**
 * The relations of a stack's graph, read once per resource list and settings (every stack policy of one run judges the
 * same graph).
 */
const relationsCache = new WeakMap<readonly RawResource[], Map<PolicySettings, Relations>>();
export function stackRelations(resources: readonly RawResource[], settings: PolicySettings): Relations {
    let bySettings = relationsCache.get(resources);
    if (bySettings === undefined) {
        bySettings = new Map();
        relationsCache.set(resources, bySettings);
    }
    let relations = bySettings.get(settings);
    if (relations === undefined) {
        relations = new Relations(readStack(resources, settings));
        bySettings.set(settings, relations);
    }
    return relations;
}

/** The encryption subjects of a graph, derived once for the three policies that judge parts of them. */
const encryptionCache = new WeakMap<Relations, ReturnType<typeof encryptionSubjects>>();
function stackEncryptionSubjects(relations: Relations): ReturnType<typeof encryptionSubjects> {
    let subjects = encryptionCache.get(relations);
    if (subjects === undefined) {
        subjects = encryptionSubjects(relations);
        encryptionCache.set(relations, subjects);
    }
    return subjects;
}

/** C6, C7, C17: limits that only the whole stack shows; C7 counts each owner account apart. */
export const limitsPolicy = sharingStackPolicy({
    name: "sharing-limits",
    description: "Accounts per snapshot and per image, and shared snapshots per owner, stay within Alibaba Cloud's limits.",
    enforcementLevel: "mandatory",
    settings: ["maxAccountsPerSnapshot", "maxSharedSnapshotsPerOwner", "sharedSnapshotsInUse", "imageShareQuota", "ownerAccountIds"],
    subjects: (resources, settings) => limitSubjects(stackRelations(resources, settings)),
});

/** C22: an image shared both with the organization and with accounts. */
export const directoryAndAccountsPolicy = sharingStackPolicy({
    name: "sharing-directory-and-accounts",
    description: "An image is shared with a directory or folders, or with accounts, not both.",
    enforcementLevel: "advisory",
    settings: [],
    subjects: (resources, settings) => directoryAndAccountSubjects(stackRelations(resources, settings)),
});

/** C4, C30: what one resource share holds (each target and resource once; external accounts only when allowed), and each image's permissions. */
export const shareContentsPolicy = sharingStackPolicy({
    name: "sharing-share-contents",
    description: "A resource share lists each target and resource once, and takes accounts outside the resource directory only when it allows external targets.",
    enforcementLevel: "mandatory",
    settings: ["resourceDirectoryAccountIds", "organization", "organizationFile"],
    subjects: (resources, settings) => contentsSubjects(stackRelations(resources, settings)),
});

/** S4, S5, S2, C9: each account's encrypted shares have their role, trusted for exactly their recipients, able to use their keys, with minimal KMS policies. */
export const shareRolesPolicy = sharingStackPolicy({
    name: "sharing-share-roles",
    description: "Encrypted shares have their share role, which trusts exactly their recipients and can use exactly their keys; one role per name and account.",
    enforcementLevel: "mandatory",
    settings: ["existingShareRoles", "failClosedOnUnknown", "ownerAccountIds", "maxPolicyDocumentBytes", "organization", "organizationFile"],
    subjects: (resources, settings) => shareRoleSubjects(stackRelations(resources, settings)),
});

/** C27: the keys behind shared encrypted resources (through resource shares, image permissions and share roles) are protected from deletion. */
export const sharedKeysPolicy = sharingStackPolicy({
    name: "sharing-shared-keys",
    description: "KMS keys behind shared encrypted snapshots and images have deletion protection.",
    enforcementLevel: "mandatory",
    settings: [],
    subjects: (resources, settings) => keySubjects(stackRelations(resources, settings)),
});

/** C19, C20, C8: encrypted images are shared with customer-managed keys, where Alibaba Cloud allows it; no snapshot on the service key. */
export const encryptedImagesPolicy = sharingStackPolicy({
    name: "sharing-encrypted-images",
    description: "Encrypted images are shared only on customer-managed keys and only in the regions that allow it; snapshots never on the service key.",
    enforcementLevel: "mandatory",
    settings: ["encryptedImageRegions"],
    subjects: (resources, settings) => stackEncryptionSubjects(stackRelations(resources, settings)).filter((s) => s.only?.includes("snapshot-service-key")),
});

/** C18: what is shared is shared in its own region, with a key of that region. */
export const regionsPolicy = sharingStackPolicy({
    name: "sharing-regions",
    description: "Snapshots and images are shared in the region they live in, each encrypted with a key of its own region.",
    enforcementLevel: "mandatory",
    settings: [],
    subjects: (resources, settings) => stackEncryptionSubjects(stackRelations(resources, settings)).filter((s) => s.only?.includes("shared-in-own-region") || s.only?.includes("key-in-share-region")),
});

/** C33: an unencrypted snapshot share is named unless acknowledged (advisory). */
export const unencryptedSnapshotsPolicy = sharingStackPolicy({
    name: "sharing-unencrypted-snapshots",
    description: "A snapshot share that is not known to be encrypted is named, unless its owner acknowledges the data is fit to share.",
    enforcementLevel: "advisory",
    settings: [],
    subjects: (resources, settings) => stackEncryptionSubjects(stackRelations(resources, settings)).filter((s) => s.only?.includes("unencrypted-snapshot-acknowledged")),
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
    regionsPolicy,
    unencryptedSnapshotsPolicy,
    exemptionsPolicy,
];
