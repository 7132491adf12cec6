/** ARN builders (Alibaba Cloud Resource Names). */

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
