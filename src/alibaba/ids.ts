/**
 * Id grammars of the Alibaba Cloud objects that take part in sharing (C1).
 * Each grammar is written once here; everything else calls these functions.
 */

/** An Alibaba Cloud account id (the principal of a share): 16 digits. */
export const ACCOUNT_ID = /^[0-9]{16}$/;
/** A resource directory id, e.g. `rd-3G6Rt8`. */
export const RESOURCE_DIRECTORY_ID = /^rd-[A-Za-z0-9]{1,32}$/;
/** The root folder of a resource directory, e.g. `r-Wm2Xo1`. */
export const ROOT_FOLDER_ID = /^r-[A-Za-z0-9]{1,32}$/;
/** A folder of a resource directory, e.g. `fd-bVaRIG8Zp1`. */
export const FOLDER_ID = /^fd-[A-Za-z0-9]{1,32}$/;
/** An ECS snapshot id, e.g. `s-bp1c0doj0taqyzzl0001`. */
export const SNAPSHOT_ID = /^s-[a-z0-9]{4,32}$/;
/** An ECS custom image id, e.g. `m-bp1g7004ksh0oeuc0001`. */
export const IMAGE_ID = /^m-[a-z0-9]{4,32}$/;
/** A KMS key id: `key-` followed by letters and digits, or the older UUID form. */
export const KMS_KEY_ID = /^(key-[A-Za-z0-9]{8,40}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/**
 * A region id: a two- or three-letter area, a place, and numbered or named parts, all lower case and joined by
 * hyphens: `cn-hangzhou`, `ap-southeast-1`, `rus-west-1`, `cn-north-2-gov-1`, `me-central-1`, `na-south-1`.
 * Typos such as `cn_shanghai` or `Hangzhou` do not match.
 */
export const REGION_ID = /^[a-z]{2,3}-[a-z]+(-[a-z0-9]+)*$/;
/** A Resource Sharing resource share id, e.g. `rs-PqysnzIj****`. */
export const RESOURCE_SHARE_ID = /^rs-[A-Za-z0-9]{1,32}$/;

function matches(pattern: RegExp, value: unknown): value is string {
    return typeof value === "string" && pattern.test(value);
}

export const isAccountId = (v: unknown): v is string => matches(ACCOUNT_ID, v);
export const isResourceDirectoryId = (v: unknown): v is string => matches(RESOURCE_DIRECTORY_ID, v);
export const isRootFolderId = (v: unknown): v is string => matches(ROOT_FOLDER_ID, v);
export const isFolderId = (v: unknown): v is string => matches(FOLDER_ID, v);
export const isSnapshotId = (v: unknown): v is string => matches(SNAPSHOT_ID, v);
export const isImageId = (v: unknown): v is string => matches(IMAGE_ID, v);
export const isKmsKeyId = (v: unknown): v is string => matches(KMS_KEY_ID, v);
export const isRegionId = (v: unknown): v is string => matches(REGION_ID, v);
export const isResourceShareId = (v: unknown): v is string => matches(RESOURCE_SHARE_ID, v);

/** A folder path split into its parts: `rd-…/r-…/fd-…/fd-…`. */
export interface FolderPath {
    readonly directoryId: string;
    readonly rootFolderId: string;
    /** The folders below the root, outermost first; may be empty (the whole root folder). */
    readonly folderIds: readonly string[];
}

/** Parses a folder path (`rd-…/r-…[/fd-…]*`), or returns undefined when it is not one. */
export function parseFolderPath(value: unknown): FolderPath | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const [directoryId, rootFolderId, ...folderIds] = value.split("/");
    if (!isResourceDirectoryId(directoryId) || !isRootFolderId(rootFolderId) || !folderIds.every(isFolderId)) {
        return undefined;
    }
    return { directoryId, rootFolderId, folderIds };
}

export const isFolderPath = (v: unknown): v is string => parseFolderPath(v) !== undefined;

/** The kinds of principal a share can target (C1). */
export type PrincipalKind = "account" | "directory" | "folderPath";

/** Tells which kind of principal a string is, or undefined when it is none (a RAM user, a typo…). */
export function principalKind(value: unknown): PrincipalKind | undefined {
    if (isAccountId(value)) {
        return "account";
    }
    if (isResourceDirectoryId(value)) {
        return "directory";
    }
    if (isFolderPath(value)) {
        return "folderPath";
    }
    return undefined;
}

/**
 * The id Resource Sharing takes as a target for a principal: an account id, a directory id,
 * or the last folder of a folder path (the root folder id when the path stops there).
 */
export function resourceSharingTargetId(principal: string): string {
    const path = parseFolderPath(principal);
    if (path === undefined) {
        return principal;
    }
    return path.folderIds.length > 0 ? path.folderIds[path.folderIds.length - 1] : path.rootFolderId;
}

/**
 * A principal as Resource Sharing names it, from a recipient or a trust policy's principal: an account, a directory, or
 * the last folder of a path (a trust policy's folder pattern loses its `*` and trailing `/`). Recipients and trusted
 * principals are compared in this form.
 */
export function sharingIdOf(principal: string): string {
    const path = principal.endsWith("*") ? principal.slice(0, -1) : principal;
    return resourceSharingTargetId(path.endsWith("/") ? path.slice(0, -1) : path);
}
