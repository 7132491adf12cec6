/**
 * The limits and lists Alibaba Cloud imposes on sharing. Cloud limits move, so every one of them
 * can be overridden (stack config `alicloud-sharing:*`, policy-pack config); these are the defaults.
 */
export interface SharingLimits {
    /** C6: accounts one snapshot can be shared with. */
    readonly maxAccountsPerSnapshot: number;
    /** C7: snapshots one owner account can share in all. */
    readonly maxSharedSnapshotsPerOwner: number;
    /** C7: shared snapshots the owner already has outside this program (it cannot see them). */
    readonly sharedSnapshotsInUse: number;
    /** C17: accounts one custom image can be shared with (a Quota Center quota). */
    readonly imageShareQuota: number;
    /** C19: the regions where an encrypted custom image can be shared. */
    readonly encryptedImageRegions: readonly string[];
    /** C11: the disk categories a disk from a shared encrypted snapshot may have. */
    readonly essdCategories: readonly string[];
    /** C32: the largest RAM policy document, in bytes. */
    readonly maxPolicyDocumentBytes: number;
    /** C32: the shortest and longest maximum session duration of a RAM role, in seconds. */
    readonly minRoleSessionSeconds: number;
    readonly maxRoleSessionSeconds: number;
}

export const DEFAULT_LIMITS: SharingLimits = Object.freeze({
    maxAccountsPerSnapshot: 64,
    maxSharedSnapshotsPerOwner: 1024,
    sharedSnapshotsInUse: 0,
    imageShareQuota: 50,
    encryptedImageRegions: Object.freeze(["cn-beijing", "cn-shanghai", "cn-hongkong", "ap-southeast-1"]),
    essdCategories: Object.freeze(["cloud_essd", "cloud_auto", "cloud_essd_entry"]),
    maxPolicyDocumentBytes: 6144,
    minRoleSessionSeconds: 3600,
    maxRoleSessionSeconds: 43200,
});

/** C17: the image-share API takes this many accounts per call and ignores the rest. */
export const IMAGE_SHARE_ACCOUNTS_PER_CALL = 10;
/** C29: the inline targets / resources a resource share takes per call. */
export const RESOURCE_SHARE_ITEMS_PER_CALL = 5;
/** C13: days a share invitation stays open. */
export const INVITATION_EXPIRY_DAYS = 7;
/** C14: years a share lasts at most. */
export const SHARE_MAX_YEARS = 3;
/** C28: a resource share name. */
export const SHARE_NAME = /^[A-Za-z0-9._-]{1,50}$/;
/** C3: the two sites an account can belong to. */
export const ACCOUNT_SITES = ["china", "international"] as const;
export type AccountSite = (typeof ACCOUNT_SITES)[number];
