/**
 * What a program declares on the resources it makes, for every reader to read back: the acknowledgement that a share's
 * data is unencrypted and fit to share (C23, C33), and that it is encrypted with a customer-managed key. A component sets it from `unencryptedDataAcknowledged`; a raw
 * program sets the same tag on its resource share; the pack reads it there.
 */

/** The tag on a resource share that declares its snapshots or images unencrypted and fit to share. */
export const ACKNOWLEDGED_TAG = "alicloud-sharing-unencrypted-data";
/** Its one value. */
export const ACKNOWLEDGED_VALUE = "acknowledged";

/** Whether a resource's tags carry the acknowledgement. */
export function isAcknowledgedTag(tags: unknown): boolean {
    return typeof tags === "object" && tags !== null && !Array.isArray(tags) && (tags as Record<string, unknown>)[ACKNOWLEDGED_TAG] === ACKNOWLEDGED_VALUE;
}

/**
 * The tag on a resource share that declares its snapshots or images encrypted with a customer-managed key: what a
 * component with `kmsKeyId` sets, so the pack knows the share needs its share role even when the role is made elsewhere.
 */
export const ENCRYPTED_TAG = "alicloud-sharing-encryption";
/** Its one value. */
export const ENCRYPTED_VALUE = "customer-key";

/** Whether a resource's tags declare its share encrypted with a customer-managed key. */
export function isEncryptedTag(tags: unknown): boolean {
    return typeof tags === "object" && tags !== null && !Array.isArray(tags) && (tags as Record<string, unknown>)[ENCRYPTED_TAG] === ENCRYPTED_VALUE;
}
