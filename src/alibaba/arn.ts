/** ARN builders and readers (Alibaba Cloud Resource Names). Each shape is written here once. */
import { isAccountId, isKmsKeyId, isRegionId } from "./ids";

/** C9: the ARN of one KMS key. */
export function kmsKeyArn(region: string, ownerAccountId: string, keyId: string): string {
    return `acs:kms:${region}:${ownerAccountId}:key/${keyId}`;
}

/** C9: the ARN of the key list of an account in a region (what `kms:List*` is granted on). */
export function kmsKeyListArn(region: string, ownerAccountId: string): string {
    return `acs:kms:${region}:${ownerAccountId}:key`;
}

/** The ARN of a RAM role. */
export function ramRoleArn(ownerAccountId: string, roleName: string): string {
    return `acs:ram::${ownerAccountId}:role/${roleName.toLowerCase()}`;
}

/** The parts of a KMS key ARN, or of a key-list ARN (`keyId` absent). */
export interface KmsArn {
    readonly region: string;
    readonly ownerAccountId: string;
    /** The key; absent for the key list of the account in the region. */
    readonly keyId?: string;
}

/**
 * Reads an exact KMS ARN: `acs:kms:<region>:<account>:key` (the key list) or `acs:kms:<region>:<account>:key/<key-id>`,
 * each part of its grammar. Anything else (a wildcard, another service, a malformed part) is undefined.
 */
export function parseKmsArn(arn: unknown): KmsArn | undefined {
    if (typeof arn !== "string") {
        return undefined;
    }
    const parts = arn.split(":");
    if (parts.length !== 5 || parts[0] !== "acs" || parts[1] !== "kms" || !isRegionId(parts[2]) || !isAccountId(parts[3])) {
        return undefined;
    }
    const [, , region, ownerAccountId, resource] = parts;
    if (resource === "key") {
        return { region, ownerAccountId };
    }
    const keyId = resource.startsWith("key/") ? resource.slice("key/".length) : undefined;
    return isKmsKeyId(keyId) ? { region, ownerAccountId, keyId } : undefined;
}
