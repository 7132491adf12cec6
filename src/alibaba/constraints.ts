/**
 * The constraint catalogue: what Alibaba Cloud enforces on sharing (C1…C33) and the security rules this project adds
 * (S1…S8), in the project's own words, each with its source. Rules name these ids; docs/CONSTRAINTS.md is generated
 * from this list.
 */

/** Where a fact comes from. */
export interface ConstraintSource {
    /** The page, API reference or notice, by title. */
    readonly title: string;
    /** Its public address, when known. */
    readonly url?: string;
    /** When the source says it was last updated, or the date of the notice, `YYYY-MM-DD` or `YYYY-MM`, when known. */
    readonly date?: string;
}

export interface Constraint {
    /** One of: "Targets and identity", "Snapshots", "Custom images", "Resource Sharing mechanics", "Security rules". */
    readonly group: string;
    /** A short name, 2 to 6 words, e.g. "Accounts per snapshot". */
    readonly title: string;
    /** The fact, one or two sentences, in the project's own words; exact numbers, names and error codes. */
    readonly fact: string;
    /** True when the fact is newer than the 2024 help pages (the catalogue marks those "(newer)"). */
    readonly newer?: true;
    readonly sources: readonly ConstraintSource[];
}

// The sources, written once.

const SNAPSHOT_PAGE: ConstraintSource = {
    title: "Elastic Compute Service: Share a snapshot with other Alibaba Cloud accounts",
    url: "https://alibabacloud.com/help/en/ecs/user-guide/share-a-snapshot",
    date: "2024-06-04",
};
const SNAPSHOT_PAGE_2025: ConstraintSource = {
    title: "Elastic Compute Service: Share a snapshot (revised page)",
    url: "https://alibabacloud.com/help/en/ecs/user-guide/share-a-snapshot",
    date: "2025-06-30",
};
const IMAGE_PAGE: ConstraintSource = {
    title: "Elastic Compute Service: Share a custom image",
    url: "https://www.alibabacloud.com/help/en/ecs/user-guide/share-a-custom-image",
    date: "2024-06-21",
};
const MODIFY_IMAGE_SHARE_PERMISSION: ConstraintSource = {
    title: "ECS API reference: ModifyImageSharePermission",
    url: "https://alibabacloud.com/help/en/ecs/api-modifyimagesharepermission",
};
const ENCRYPTED_IMAGE_NOTICE: ConstraintSource = {
    title: "Announcement on Rule Changes for Sharing an Encrypted Image on Elastic Compute Service (ECS)",
    url: "https://www.alibabacloud.com/en/notice/announcement_on_rule_changes_for_sharing_an_encrypted_image_on_elastic_compute_service_ecs_428?_p_lc=1",
    date: "2025-07-01",
};
const CREATE_RESOURCE_SHARE: ConstraintSource = {
    title: "Resource Management API reference: CreateResourceShare",
    url: "https://www.alibabacloud.com/help/en/resource-management/resource-sharing/developer-reference/api-resourcesharing-2020-01-10-createresourceshare",
};
const ASSOCIATE_RESOURCE_SHARE: ConstraintSource = {
    title: "Resource Management API reference: AssociateResourceShare",
    url: "https://www.alibabacloud.com/help/en/resource-management/resource-sharing/developer-reference/api-resourcesharing-2020-01-10-associateresourceshare",
    date: "2025-12-15",
};
const LIST_RESOURCE_SHARES: ConstraintSource = {
    title: "Resource Management API reference: ListResourceShares",
    url: "https://alibabacloud.com/help/en/resource-management/resource-sharing/developer-reference/api-resourcesharing-2020-01-10-listresourceshares",
    date: "2024-12-03",
};
const ACCEPT_INVITATION: ConstraintSource = {
    title: "Resource Management API reference: AcceptResourceShareInvitation",
    date: "2025-10-13",
};
const TF_RESOURCE_SHARE: ConstraintSource = {
    title: "Terraform provider alicloud: alicloud_resource_manager_resource_share",
    url: "https://help.aliyun.com/zh/terraform/alicloud-resource-manager-resource-share",
};
const TF_SHARED_RESOURCE: ConstraintSource = {
    title: "Terraform provider alicloud: alicloud_resource_manager_shared_resource",
    url: "https://help.aliyun.com/zh/terraform/alicloud-resource-manager-shared-resource",
};
const TF_SHARED_TARGET: ConstraintSource = {
    title: "Terraform provider alicloud: alicloud_resource_manager_shared_target",
    url: "https://help.aliyun.com/zh/terraform/alicloud-resource-manager-shared-target",
};
const PULUMI_SHARED_RESOURCE: ConstraintSource = {
    title: "Pulumi Registry, Alibaba Cloud provider: alicloud.resourcemanager.SharedResource",
    url: "https://www.pulumi.com/registry/packages/alicloud/api-docs/resourcemanager/sharedresource",
};
const CREATE_POLICY: ConstraintSource = {
    title: "Resource Management API reference: CreatePolicy",
    url: "https://alibabacloud.com/help/en/resource-management/api-createpolicy",
    date: "2025-12-15",
};
const ROLE_SESSION_DURATION: ConstraintSource = {
    title: "Resource Access Management: Specify the maximum session duration for a RAM role",
    url: "https://www.alibabacloud.com/help/en/ram/user-guide/specify-the-maximum-session-duration-for-a-ram-role",
};
const PROJECT: ConstraintSource = {
    title: "alicloud-sharing: security rule of this project",
};

export const CONSTRAINTS = {
    // Targets and identity
    C1: {
        group: "Targets and identity",
        title: "What a principal can be",
        fact: "A share goes to an Alibaba Cloud account ID (16 digits) or to a resource-directory object: a directory (`rd-…`), its root folder (`r-…`) or a folder (`fd-…`), a folder being located by a path such as `rd-…/r-…/fd-…/fd-…`. RAM users and RAM roles can never be principals.",
        sources: [CREATE_RESOURCE_SHARE, IMAGE_PAGE, SNAPSHOT_PAGE],
    },
    C2: {
        group: "Targets and identity",
        title: "No sharing with oneself",
        fact: "The owner account cannot name itself as a recipient; the API refuses with `InvalidAccount.Forbbiden` (spelled that way by Alibaba).",
        sources: [MODIFY_IMAGE_SHARE_PERMISSION],
    },
    C3: {
        group: "Targets and identity",
        title: "China and international sites",
        fact: "An account of the China site and one of the international site cannot share with each other (error `InvalidImageId.BidMismatch`). The project can only check this for accounts whose site the user declares.",
        sources: [IMAGE_PAGE, MODIFY_IMAGE_SHARE_PERMISSION, SNAPSHOT_PAGE_2025],
    },
    C4: {
        group: "Targets and identity",
        title: "Each principal once",
        fact: "A principal listed twice is treated as a mistake: it is rejected, or de-duplicated with a warning, and never turned into two shares.",
        sources: [PROJECT, CREATE_RESOURCE_SHARE],
    },

    // Snapshots
    C5: {
        group: "Snapshots",
        title: "Snapshots go through Resource Sharing",
        fact: "The only way to share a snapshot is Resource Sharing: the owner's resource share, its shared resources of type `Snapshot`, and its targets.",
        sources: [SNAPSHOT_PAGE, CREATE_RESOURCE_SHARE, LIST_RESOURCE_SHARES],
    },
    C6: {
        group: "Snapshots",
        title: "Accounts per snapshot",
        fact: "One snapshot can be shared with 64 accounts at most.",
        sources: [SNAPSHOT_PAGE],
    },
    C7: {
        group: "Snapshots",
        title: "Shared snapshots per owner",
        fact: "An owner account can have at most 1,024 snapshots shared in all. A stack may not see every one of them, so the number already in use elsewhere is a setting.",
        sources: [SNAPSHOT_PAGE],
    },
    C8: {
        group: "Snapshots",
        title: "Snapshots that cannot be shared",
        fact: "A snapshot encrypted with the service (default) key is not shareable: copy it under a customer-managed key and share the copy. Newer: a snapshot made from an imported custom image is not shareable either.",
        newer: true,
        sources: [SNAPSHOT_PAGE, SNAPSHOT_PAGE_2025],
    },
    C9: {
        group: "Snapshots",
        title: "Role for encrypted snapshots",
        fact: "To share an encrypted snapshot the owner account needs the RAM role `AliyunECSShareEncryptSnapshotDefaultRole`, whose policy allows `kms:List*` on `acs:kms:<key-region>:<owner-uid>:key` and `kms:DescribeKey`, `kms:TagResource`, `kms:UntagResource`, `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` on `acs:kms:<key-region>:<owner-uid>:key/<key-id>`. Its trust policy lets the service principal `<sharee-uid>@ecs.aliyuncs.com` of each sharee account call `sts:AssumeRole`, one entry per sharee.",
        sources: [SNAPSHOT_PAGE],
    },
    C10: {
        group: "Snapshots",
        title: "What a sharee cannot do",
        fact: "A snapshot received through a share (tagged `acs:ecs:sharedFrom:<owner-uid>:<region>:<snapshot-id>`) cannot be shared on by the sharee, turned into a custom image, or used to roll a disk back.",
        sources: [SNAPSHOT_PAGE],
    },
    C11: {
        group: "Snapshots",
        title: "Disks from shared encrypted snapshots",
        fact: "A disk made from a shared encrypted snapshot must be an ESSD-family disk (`cloud_essd`; newer documentation adds `cloud_auto` and `cloud_essd_entry`) encrypted with a key other than the snapshot's, the sharee's own. For any other disk category, copy the snapshot first.",
        newer: true,
        sources: [SNAPSHOT_PAGE, SNAPSHOT_PAGE_2025],
    },
    C12: {
        group: "Snapshots",
        title: "Copies of shared encrypted snapshots",
        fact: "Copying a shared encrypted snapshot requires encrypting the copy with a key different from the source snapshot's key.",
        sources: [SNAPSHOT_PAGE],
    },
    C13: {
        group: "Snapshots",
        title: "Accepting the invitation",
        fact: "An account outside the owner's resource directory must accept the share invitation, which lapses after 7 days (newer); inside a directory with sharing enabled acceptance is automatic. Once a share is accepted, resources added to it later are accepted by default.",
        newer: true,
        sources: [SNAPSHOT_PAGE, ACCEPT_INVITATION],
    },
    C14: {
        group: "Snapshots",
        title: "How long a share lasts",
        fact: "A snapshot stays shared for at most three years, or until the owner removes the share.",
        sources: [SNAPSHOT_PAGE],
    },
    C15: {
        group: "Snapshots",
        title: "Unsharing cuts sharees off",
        fact: "When a share is removed the sharee no longer sees the snapshot and can no longer reset disks made from it, though copies it already made in other regions survive. Deleting a share therefore breaks things in someone else's account.",
        sources: [SNAPSHOT_PAGE],
    },
    C33: {
        group: "Snapshots",
        title: "Unencrypted snapshots expose data",
        fact: "Whoever receives an unencrypted snapshot can make a disk of it and read all of its data; Alibaba's page asks the owner to check that the snapshot holds no sensitive data or files before sharing it. The project asks for the same confirmation it asks for an unencrypted image (C23).",
        sources: [SNAPSHOT_PAGE],
    },

    // Custom images
    C16: {
        group: "Custom images",
        title: "Only own images",
        fact: "An account can share only custom images it created itself; an image it received through a share cannot be passed on until it is copied into the account.",
        sources: [IMAGE_PAGE, MODIFY_IMAGE_SHARE_PERMISSION],
    },
    C17: {
        group: "Custom images",
        title: "Accounts per image",
        fact: "A Quota Center quota caps the accounts one image can be shared with: 50 by default, raisable (newer). The share API accepts at most 10 accounts per call and silently drops any beyond the tenth (newer).",
        newer: true,
        sources: [IMAGE_PAGE, MODIFY_IMAGE_SHARE_PERMISSION],
    },
    C18: {
        group: "Custom images",
        title: "One region per share",
        fact: "An image is shared within its own region only. To offer it in another region, copy it there (`ImageCopy`) and share that copy.",
        sources: [IMAGE_PAGE],
    },
    C19: {
        group: "Custom images",
        title: "Regions for encrypted images",
        fact: "Encrypted custom images can be shared only in the regions `cn-beijing`, `cn-shanghai`, `cn-hongkong` and `ap-southeast-1` (a configurable list).",
        sources: [IMAGE_PAGE],
    },
    C20: {
        group: "Custom images",
        title: "Service-key images not shareable",
        fact: "From 2025-07-01 an image encrypted with the service key can no longer be shared; only images under customer-managed keys can (newer). The 2024 page still described granting `AliyunKMSFullAccess` for service-key images.",
        newer: true,
        sources: [ENCRYPTED_IMAGE_NOTICE, IMAGE_PAGE],
    },
    C21: {
        group: "Custom images",
        title: "Role for encrypted images",
        fact: "Sharing an encrypted image needs the RAM role `AliyunECSShareEncryptImageDefaultRole` with the minimal KMS policy of C9 for the image's key, and a trust policy in one of three forms: per account (service principals `<uid>@ecs.aliyuncs.com`); a whole directory (`*@ecs.aliyuncs.com` under `StringEquals` `sts:ServiceOwnerRDId` = `<rd-id>`); or a folder (`*@ecs.aliyuncs.com` under `StringLike` `sts:ServiceOwnerRDPath` = `<rd-id>/<root-folder-id>/…/<folder-id>*`).",
        sources: [IMAGE_PAGE],
    },
    C22: {
        group: "Custom images",
        title: "Organization or accounts, not both",
        fact: "An image already shared with a directory or folder should not also be shared with individual accounts.",
        sources: [IMAGE_PAGE],
    },
    C23: {
        group: "Custom images",
        title: "Unencrypted images expose data",
        fact: "Whoever receives an unencrypted image can read all of its data, which is why the console asks for an explicit security confirmation before sharing one.",
        sources: [IMAGE_PAGE],
    },
    C24: {
        group: "Custom images",
        title: "Directory shares are dynamic",
        fact: "A share with a directory or folder follows its membership: accounts that join later gain access and accounts that leave lose it.",
        sources: [IMAGE_PAGE],
    },
    C25: {
        group: "Custom images",
        title: "Sharee RAM permissions",
        fact: "In the sharee account, a RAM user needs `ecs:DescribeImages` to see a shared image and `ecs:RunInstances` or `ecs:CreateInstance` to launch instances from it. A sharee may copy the shared image into its own account.",
        sources: [IMAGE_PAGE],
    },
    C26: {
        group: "Custom images",
        title: "Paid images bill sharees",
        fact: "When a shared image derives from a paid (marketplace) image, the sharee that launches instances from it is the one billed for the image.",
        sources: [IMAGE_PAGE],
    },
    C27: {
        group: "Custom images",
        title: "Dependencies must stay available",
        fact: "If something a shared image depends on stops being available, such as a disabled or deleted KMS key or an overdue account, sharees can no longer launch from it. Keys behind shared encrypted images and snapshots should therefore be protected from deletion.",
        sources: [IMAGE_PAGE],
    },

    // Resource Sharing mechanics
    C28: {
        group: "Resource Sharing mechanics",
        title: "Resource share names",
        fact: "A resource share name has 1 to 50 characters, each a letter, a digit, `.`, `_` or `-`.",
        newer: true,
        sources: [CREATE_RESOURCE_SHARE],
    },
    C29: {
        group: "Resource Sharing mechanics",
        title: "Inline targets and resources",
        fact: "The inline `targets` and `resources` of a resource share only take effect when the share is created (later changes are silently ignored), and a call takes at most 5 of each. Manage them as one `SharedResource` or `SharedTarget` per item instead.",
        newer: true,
        sources: [TF_RESOURCE_SHARE, CREATE_RESOURCE_SHARE, ASSOCIATE_RESOURCE_SHARE, TF_SHARED_RESOURCE, TF_SHARED_TARGET],
    },
    C30: {
        group: "Resource Sharing mechanics",
        title: "External targets need permission",
        fact: "A plain account ID outside the owner's resource directory is an accepted target only if the share has `AllowExternalTargets` turned on; otherwise a share stays inside the directory.",
        newer: true,
        sources: [CREATE_RESOURCE_SHARE, ASSOCIATE_RESOURCE_SHARE, TF_RESOURCE_SHARE],
    },
    C31: {
        group: "Resource Sharing mechanics",
        title: "Exact resource type strings",
        fact: "Resource type names are exact and case-sensitive: `Snapshot` and `Image`. The provider has stopped validating them, so a misspelling only fails at deploy time.",
        newer: true,
        sources: [TF_SHARED_RESOURCE, PULUMI_SHARED_RESOURCE, CREATE_RESOURCE_SHARE],
    },
    C32: {
        group: "Resource Sharing mechanics",
        title: "RAM document and session limits",
        fact: "A RAM policy document holds at most 6,144 characters (the project counts bytes). A role's maximum session duration lies between 3,600 and 43,200 seconds.",
        newer: true,
        sources: [CREATE_POLICY, ROLE_SESSION_DURATION],
    },

    // Security rules
    S1: {
        group: "Security rules",
        title: "Wildcard trust needs a condition",
        fact: "A trust policy that trusts `*@ecs.aliyuncs.com` (or `*`) must be narrowed by a directory condition (`sts:ServiceOwnerRDId` or `sts:ServiceOwnerRDPath`); without one, ECS acting for any account at all could use the key.",
        sources: [PROJECT, IMAGE_PAGE],
    },
    S2: {
        group: "Security rules",
        title: "KMS permissions scoped to key",
        fact: "The KMS permissions granted for sharing name the exact key ARN and exactly the actions listed in C9; a `*` resource or action is refused.",
        sources: [PROJECT, SNAPSHOT_PAGE, IMAGE_PAGE],
    },
    S3: {
        group: "Security rules",
        title: "Allow-listed recipients",
        fact: "An organization may declare which accounts, directories and folders are allowed to receive shares; any other recipient is rejected.",
        sources: [PROJECT, IMAGE_PAGE],
    },
    S4: {
        group: "Security rules",
        title: "Exact share role names",
        fact: "The share roles must be named exactly `AliyunECSShareEncryptSnapshotDefaultRole` and `AliyunECSShareEncryptImageDefaultRole`; ECS never uses a role with any other name, and nothing reports it.",
        sources: [PROJECT, SNAPSHOT_PAGE, IMAGE_PAGE],
    },
    S5: {
        group: "Security rules",
        title: "Trusted principals match targets",
        fact: "The principals a share role trusts are exactly the recipients of the encrypted shares it serves: none left over from earlier shares, none missing.",
        sources: [PROJECT, SNAPSHOT_PAGE, IMAGE_PAGE],
    },
    S6: {
        group: "Security rules",
        title: "Unknown recipients fail closed",
        fact: "A recipient, key or trust document not yet known at preview time cannot be shown to be safe, so security-critical rules treat it as a violation unless configured otherwise.",
        sources: [PROJECT],
    },
    S7: {
        group: "Security rules",
        title: "Explicit, expiring exceptions",
        fact: "An exception names its resource, gives a reason and carries an expiry date; once that date has passed it no longer applies.",
        sources: [PROJECT],
    },
    S8: {
        group: "Security rules",
        title: "Well-formed input, never guessed at",
        fact: "Every argument and setting has a declared form (a plain list of strings, a boolean, a whole number, a map by region…); a value of another form is refused with its path, never coerced, dropped or read as absent, since a guessed value can widen what is shared.",
        sources: [PROJECT],
    },
} as const satisfies Record<string, Constraint>;

/** A constraint of the catalogue. */
export type ConstraintId = keyof typeof CONSTRAINTS;

/** Every id, in catalogue order. */
export const CONSTRAINT_IDS = Object.keys(CONSTRAINTS) as ConstraintId[];

/** Whether a string is a constraint id of the catalogue. */
export const isConstraintId = (v: unknown): v is ConstraintId => typeof v === "string" && Object.prototype.hasOwnProperty.call(CONSTRAINTS, v);
