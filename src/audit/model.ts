/** What the audit read from an account, as plain data: the readers fill it, the converter and the drift read it. */

/** A resource share this account owns, with what it shares and with whom, in every state but gone. */
export interface LiveShare {
    /** `rs-…` */
    readonly id: string;
    readonly name: string;
    readonly region: string;
    /** `Active`, `Pending` or `Deleting` (deleted shares are left out). */
    readonly status: string;
    readonly allowExternalTargets: boolean;
    /**
     * Its resources, id and Resource Sharing type (`Snapshot`, `Image`, …), in every association state but
     * `Disassociated`; `since`: when the resource was added to the share (its `CreateTime`), when well formed.
     */
    readonly resources: readonly { readonly id: string; readonly type: string; readonly status: string; readonly since?: string }[];
    /**
     * Its targets (account, directory or folder ids), in every association state but `Disassociated`; `external` as
     * the API reports it (false: a member of the owner's resource directory); `since`: when the association was made
     * (its `CreateTime`, `YYYY-MM-DDTHH:MM:SSZ`), when the answer gives a well-formed time.
     */
    readonly targets: readonly { readonly id: string; readonly external?: boolean; readonly status: string; readonly since?: string }[];
}

/** Association states that share: associated, or about to be. Others (`Failed`, `Disassociating`…) are shown, not judged. */
export const ASSOCIATIONS_IN_EFFECT: ReadonlySet<string> = new Set(["Associated", "Associating"]);
/** Share states that share (a `Deleting` share is shown, not judged). */
export const SHARES_IN_EFFECT: ReadonlySet<string> = new Set(["Active", "Pending"]);

/** The shares in effect, each with its associations in effect only: what is judged, drawn and compared with the stack. */
export function sharesInEffect(shares: readonly LiveShare[]): LiveShare[] {
    return shares
        .filter((s) => SHARES_IN_EFFECT.has(s.status))
        .map((s) => ({ ...s, resources: s.resources.filter((r) => ASSOCIATIONS_IN_EFFECT.has(r.status)), targets: s.targets.filter((t) => ASSOCIATIONS_IN_EFFECT.has(t.status)) }));
}

/** Something of a share that is not in effect: the share itself (`Deleting`), or one association (`Failed`, `Disassociating`…). */
export interface NotInEffect {
    readonly shareId: string;
    readonly shareName: string;
    readonly region: string;
    readonly kind: "share" | "resource" | "target";
    /** The resource or target id (the share's id for the share itself). */
    readonly id: string;
    readonly status: string;
}

/** What the shares hold that is not in effect, share by share: shown as such in the report and the drift, never judged as sharing. */
export function notInEffect(shares: readonly LiveShare[]): NotInEffect[] {
    return shares.flatMap((s) => {
        const of = (kind: NotInEffect["kind"], id: string, status: string): NotInEffect => ({ shareId: s.id, shareName: s.name, region: s.region, kind, id, status });
        if (!SHARES_IN_EFFECT.has(s.status)) {
            return [of("share", s.id, s.status)];
        }
        return [
            ...s.resources.filter((r) => !ASSOCIATIONS_IN_EFFECT.has(r.status)).map((r) => of("resource", r.id, r.status)),
            ...s.targets.filter((t) => !ASSOCIATIONS_IN_EFFECT.has(t.status)).map((t) => of("target", t.id, t.status)),
        ];
    });
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
    /** When each of those accounts was granted the image (`SharedTime`, `YYYY-MM-DDTHH:MM:SSZ`), for those the answer gives a well-formed time. */
    readonly sharedSince?: ReadonlyMap<string, string>;
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
    /**
     * Whether every region of the account was read (false when the regions were given): shares in regions not read
     * are never counted as missing, nor is trust they may need judged stale.
     */
    readonly allRegions: boolean;
    /** What was not read because the API's answer was not valid (an id that does not fit its grammar…): the audit is incomplete. */
    readonly incomplete: readonly string[];
}
