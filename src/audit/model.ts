/** What the audit read from an account, as plain data: the readers fill it, the converter and the drift read it. */

/** A resource share this account owns, with what it shares and with whom (associations in effect only). */
export interface LiveShare {
    /** `rs-…` */
    readonly id: string;
    readonly name: string;
    readonly region: string;
    /** `Active` or `Pending` (deleted shares are left out). */
    readonly status: string;
    readonly allowExternalTargets: boolean;
    /** Associated (or associating) resources: id and Resource Sharing type (`Snapshot`, `Image`, …). */
    readonly resources: readonly { readonly id: string; readonly type: string; readonly status: string }[];
    /** Associated (or associating) targets: account, directory or folder ids; `external` when outside the directory. */
    readonly targets: readonly { readonly id: string; readonly external?: boolean; readonly status: string }[];
}

/** A resource share another account shares with this one, and the resources it holds. */
export interface ReceivedShare {
    readonly id: string;
    readonly name?: string;
    readonly region: string;
    /** The owner account. */
    readonly owner?: string;
    readonly status?: string;
    readonly resources: readonly { readonly id: string; readonly type: string; readonly status?: string }[];
}

/** A custom image of this account, with its share permissions. */
export interface LiveImage {
    readonly id: string;
    readonly name?: string;
    readonly region: string;
    readonly status?: string;
    /** The snapshots of its disks (system first), with their sizes and disk types. */
    readonly disks: readonly { readonly snapshotId: string; readonly size?: string; readonly type?: string }[];
    /** Accounts granted through image share permissions. */
    readonly accounts: readonly string[];
    /** Share groups (`all`: every account). */
    readonly groups: readonly string[];
}

/** A snapshot, as far as sharing needs it. */
export interface LiveSnapshot {
    readonly id: string;
    readonly name?: string;
    readonly region: string;
    readonly status?: string;
    readonly encrypted: boolean;
    /** The KMS key, when encrypted with one (absent: the service key, or unencrypted). */
    readonly kmsKeyId?: string;
}

/** A policy attached to a share role; its default version's document for custom policies. */
export interface LiveAttachedPolicy {
    readonly name: string;
    /** `Custom` or `System`. */
    readonly type: string;
    readonly defaultVersion?: string;
    /** The default version's document (custom policies only). */
    readonly document?: string;
}

/** One of the two share roles, when the account has it. */
export interface LiveRole {
    readonly name: string;
    readonly document: string;
    readonly maxSessionDuration?: number;
    readonly description?: string;
    readonly policies: readonly LiveAttachedPolicy[];
}

/** A KMS key behind a shared encrypted resource or granted to a share role. */
export interface LiveKey {
    readonly id: string;
    readonly region: string;
    readonly arn?: string;
    /** `Enabled` or `Disabled`. */
    readonly deletionProtection: string;
    readonly state?: string;
}

/** Everything read from an account. */
export interface AccountRead {
    readonly accountId: string;
    /** The regions audited. */
    readonly regions: readonly string[];
    /** Of those, the regions where Resource Sharing is offered (the others were read through ECS only). */
    readonly sharingRegions: readonly string[];
    readonly shares: readonly LiveShare[];
    readonly received: readonly ReceivedShare[];
    /** Custom images that are shared (by permission or by a resource share). */
    readonly images: readonly LiveImage[];
    /** Snapshots shared by resource shares, and the snapshots of shared images. */
    readonly snapshots: readonly LiveSnapshot[];
    readonly roles: readonly LiveRole[];
    readonly keys: readonly LiveKey[];
    /** What the reading could not cover, said plainly (a region without Resource Sharing…). */
    readonly notes: readonly string[];
}
