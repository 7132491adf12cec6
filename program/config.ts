/**
 * The declarative program's stack config, under the project's namespace (`alicloud-sharing:`):
 *
 * - `snapshotShares`: a list of { name, snapshotIds, accountIds?, resourceDirectoryId?, folderPaths?, kmsKeyId?,
 *   kmsKeyRegion?, shareName?, accountsInResourceDirectory?, protect? } — each a SharedSnapshot.
 * - `imageShares`: a list of the same with imageIds instead of snapshotIds, and copyToRegions?, copyKmsKeyIds?,
 *   method?, unencryptedDataAcknowledged? — each a SharedImage.
 * - `shareRoles`: a list of { name, resourceKind, kmsKeyId, … } — an EncryptedShareRole each, for shares that set
 *   createShareRole: false.
 *
 * Library settings share the namespace (`accountSites`, `allowedRecipients`, `imageShareQuota`, …: see the README).
 */
import * as pulumi from "@pulumi/pulumi";

export interface ShareEntry {
    readonly name: string;
    readonly [key: string]: unknown;
}

const ALLOWED: Record<string, readonly string[]> = {
    common: ["name", "accountIds", "resourceDirectoryId", "folderPaths", "kmsKeyId", "kmsKeyRegion", "serviceKeyEncrypted", "createShareRole", "ownerAccountId", "region", "shareName", "accountsInResourceDirectory", "sharedWithThisAccount", "protect"],
    snapshotShares: ["snapshotIds"],
    imageShares: ["imageIds", "copyToRegions", "copyKmsKeyIds", "unencryptedDataAcknowledged", "method", "derivedFromPaidImage"],
    shareRoles: ["name", "resourceKind", "kmsKeyId", "kmsKeyRegion", "additionalKmsKeys", "ownerAccountId", "accountIds", "resourceDirectoryId", "folderPaths", "policyName", "maxSessionDuration"],
};

/** Reads one list of the config, checking each entry's keys; every problem at once. */
export function readEntries(config: pulumi.Config, key: "snapshotShares" | "imageShares" | "shareRoles"): ShareEntry[] {
    const value = config.getObject<unknown>(key) ?? [];
    const problems: string[] = [];
    if (!Array.isArray(value)) {
        throw new Error(`alicloud-sharing:${key} must be a list; got ${JSON.stringify(value)}`);
    }
    const allowed = new Set([...(key === "shareRoles" ? [] : ALLOWED.common), ...ALLOWED[key]]);
    value.forEach((entry, i) => {
        if (typeof entry !== "object" || entry === null || typeof (entry as ShareEntry).name !== "string") {
            problems.push(`${key}[${i}] must be an object with a name`);
            return;
        }
        for (const k of Object.keys(entry)) {
            if (!allowed.has(k)) {
                problems.push(`${key}[${i}] (${(entry as ShareEntry).name}) has an unknown key ${k}; allowed: ${[...allowed].join(", ")}`);
            }
        }
    });
    if (problems.length > 0) {
        throw new Error(`the stack config is not valid:\n  ${problems.join("\n  ")}`);
    }
    return value as ShareEntry[];
}
