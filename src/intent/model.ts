/**
 * The share intent: what is shared, with whom, how it is protected and how it is granted.
 * Components build intents from their arguments; the policy pack rebuilds them from raw resources;
 * the rules judge them. A value that is not known yet (an output not resolved at preview) is
 * `undefined`; rules check what is concrete and leave the rest to a later, deferred check.
 */
import type { ResourceKind } from "../alibaba/names";

/** A value with the place it came from (an argument path such as `accountIds[2]`, or a resource). */
export interface Located<T> {
    /** The value, or undefined while it is unknown. */
    readonly value: T | undefined;
    /** Where the value came from, used as the property path of errors. */
    readonly path: string;
}

/** How the shared resources are grant-ed: a resource share, or one image permission per account (images only). */
export type GrantMethod = "resourceShare" | "imagePermission";

/** How the shared resources are protected; `unknown` while a value that decides it is unknown at preview. */
export type Encryption =
    | { readonly kind: "none" }
    | { readonly kind: "unknown"; readonly path: string }
    | { readonly kind: "serviceKey"; readonly path: string }
    | { readonly kind: "customerKey"; readonly keyId: Located<string>; readonly keyRegion: Located<string> };

/** One owner-side share: the subject of the share rules. */
export interface ShareIntent {
    readonly kind: ResourceKind;
    /** The snapshot or image ids. */
    readonly resources: readonly Located<string>[];
    /** The region the resources live in (and are shared in). */
    readonly region: Located<string>;
    /** The region of the provider a component was given, when it was given one (compared with `region`). */
    readonly providerRegion?: Located<string>;
    /** The account that owns the resources. */
    readonly ownerAccountId: Located<string>;
    /**
     * The account a component's provider names, once known, compared with the `ownerAccountId` it was given: absent
     * when either is not known yet or no owner was given.
     */
    readonly providerAccount?: ProviderAccountFact;
    /** The recipients: account ids, a directory id, folder paths (each with the kind its argument takes, when it says). */
    readonly targets: readonly Recipient[];
    readonly encryption: Encryption;
    readonly method: Located<string>;
    /** The resource share's name (C28), when a resource share is used. */
    readonly shareName?: Located<string>;
    /** The resource type string given to Resource Sharing (C31). */
    readonly resourceType?: Located<string>;
    /** Regions the resources are copied to and shared in too (C18, images). */
    readonly copyToRegions: readonly Located<string>[];
    /** The key each copy region encrypts copies with, by region (C18, C20). */
    readonly copyKeyIds: Readonly<Record<string, Located<string>>>;
    /** Whether the caller passed the component a provider, and the copy regions it gave a provider of their own (C18). */
    readonly copyRegionProviders?: { readonly explicit: boolean; readonly given: readonly string[] };
    /** The caller confirmed that sharing unencrypted data is intended (C23, C33). */
    readonly unencryptedDataAcknowledged: boolean;
    /** The resources were shared with this account by another (C10, C16): declared by the caller, or known to the pack. */
    readonly sharedWithThisAccount: Located<boolean>;
    /** The caller declared the image derives from a paid marketplace image (C26). */
    readonly derivedFromPaidImage: boolean;
    /**
     * Targets are Resource Sharing target ids (an account, `rd-…`, `r-…`, `fd-…`), as a raw `SharedTarget` holds
     * them, rather than the folder paths the components take.
     */
    readonly targetsAreSharingIds?: boolean;
    /** Whether a share role of this kind is known to exist (in the stack or declared); undefined when not judged (S4). */
    readonly shareRolePresent?: boolean;
    /** Inline lists set on the resource share (`targets`, `resources`, `resourceArns`), which act only at creation (C29). */
    readonly inlineLists?: readonly string[];
    /** Whether the resource share takes targets outside the owner's resource directory (C30); undefined when not judged. */
    readonly allowExternalTargets?: Located<boolean>;
    /** The regions the shared resources live in, when the graph knows where they were made (C18). */
    readonly resourceRegions?: readonly Located<string>[];
    /** Further keys with their regions, besides the resources' own (a share role's `additionalKmsKeys`). */
    readonly additionalKeys?: readonly KeyRef[];
}

/** The account a component's provider names (a provider's `accountId`, or the stack config `alicloud:accountId`). */
export interface ProviderAccountFact {
    /** The account id it names; undefined when it names none. */
    readonly accountId: string | undefined;
    /** Where it is named: a provider passed to the component (or to a parent), or the stack config (the default provider). */
    readonly source: "provider" | "config";
    /** The accounts the program's components name (the component's own among them), once the program has built its components. */
    readonly programAccounts?: readonly string[];
}

/** A recipient, located; `expected` is the kind of principal the argument it is given in takes (`accountIds` takes accounts). */
export type Recipient = Located<string> & { readonly expected?: "account" | "directory" | "folderPath" };

/** A KMS key and the region it lives in, each located. */
export interface KeyRef {
    readonly keyId: Located<string>;
    readonly region: Located<string>;
}

/** A share role as configured: the subject of the role rules. */
export interface RoleIntent {
    /** What the role is for, when known (which well-known name it must have). */
    readonly kind: ResourceKind | undefined;
    /** The kind as the caller wrote it (a component's `resourceKind`), when it was given as a string to check. */
    readonly resourceKind?: Located<string>;
    readonly roleName: Located<string>;
    /** The trust policy, as JSON text or an object; absent when this subject is not about the trust (an attached policy). */
    readonly trustPolicy?: Located<unknown>;
    /** One KMS permission policy of the role, judged on its own: only the actions and exact ARNs of C9 (S2). */
    readonly kmsPolicy?: Located<unknown>;
    /**
     * Every custom policy attached to the role, judged together: they must grant the C9 actions completely on each key
     * (C9, S2). Undefined when not judged (no encrypted share uses the role).
     */
    readonly attachedKmsPolicies?: readonly Located<unknown>[];
    /** The principals the role must trust: the targets of the encrypted shares that use it (S5). */
    readonly expectedTargets?: readonly string[];
    /**
     * False while a program is still being built: a principal the role trusts that no share targets yet may be targeted
     * by a share still to come, so it is not judged stale. Defaults to true.
     */
    readonly expectedComplete?: boolean;
    /** The keys the role must be able to use (S2). */
    readonly expectedKeyArns?: readonly string[];
    readonly maxSessionDuration?: Located<number>;
    /** Other definitions of a role of the same name in the same account, in the same program (S4): the first few. */
    readonly otherDefinitions?: readonly string[];
    /** How many other definitions there are in all, when more than `otherDefinitions` lists. */
    readonly otherDefinitionCount?: number;
    /** The component that defines the role, when a component does (named in messages to the shares that use it). */
    readonly definedBy?: string;
    /** System policies attached to the role (a share role needs only its custom KMS policy, S2). */
    readonly systemPolicies?: readonly Located<string>[];
}

/** A KMS key behind shared encrypted resources: the subject of C27. */
export interface KeyIntent {
    readonly keyId: Located<string>;
    /** The key's deletion protection, `Enabled` or `Disabled`. */
    readonly deletionProtection: Located<string>;
    /** The key's state, `Enabled`, `Disabled` or `PendingDeletion`; absent when not judged. */
    readonly status?: Located<string>;
    /** What is shared with it, for the message. */
    readonly sharedResources: readonly string[];
}

/** An exemption from rules (S7). */
export interface ExemptionIntent {
    /** The resource URN or name pattern (`*` matches any run of characters). */
    readonly resource: Located<string>;
    /** Rule ids or constraint ids. */
    readonly rules: readonly Located<string>[];
    readonly reason: Located<string>;
    /** Expiry date, `YYYY-MM-DD`. */
    readonly expires: Located<string>;
}

/** A sharee's disk made from a shared snapshot: the subject of C11. */
export interface DiskIntent {
    readonly snapshotId: Located<string>;
    readonly category: Located<string>;
    /** Whether the shared snapshot is encrypted (undefined while unknown). */
    readonly sourceEncrypted: Located<boolean>;
    /** The key the shared snapshot is encrypted with, when the sharee knows it. */
    readonly sourceKmsKeyId?: Located<string>;
    readonly encrypted: Located<boolean>;
    /** The disk's own key; absent when none is given. */
    readonly kmsKeyId?: Located<string>;
}

/** A copy of a snapshot: the subject of C8 and C12. */
export interface CopyIntent {
    readonly sourceSnapshotId: Located<string>;
    readonly sourceKmsKeyId?: Located<string>;
    readonly kmsKeyId: Located<string>;
}

/**
 * A share intent with nothing but the given fields: unknown region and owner, no resources, recipients or
 * encryption. The base of intents built from a part of a share (a role's recipients, one raw resource).
 */
export function partialShareIntent(kind: ResourceKind, fields: Partial<ShareIntent>): ShareIntent {
    return {
        kind,
        resources: [],
        region: at<string>("region", undefined),
        ownerAccountId: at<string>("ownerAccountId", undefined),
        targets: [],
        encryption: { kind: "none" },
        method: at("method", "resourceShare"),
        copyToRegions: [],
        copyKeyIds: {},
        unencryptedDataAcknowledged: true,
        sharedWithThisAccount: at("sharedWithThisAccount", false),
        derivedFromPaidImage: false,
        ...fields,
    };
}

/** Shorthand for a located value. */
export function at<T>(path: string, value: T | undefined): Located<T> {
    return { value, path };
}

/** A sharee's grant of access to shared images to its RAM users, groups and roles: the subject of C25. */
export interface AccessIntent {
    /** The RAM users, groups and roles, each located (`userNames[0]`, …). */
    readonly principals: readonly Located<string>[];
    /** The policy document granted, as JSON text or an object. */
    readonly policy: Located<unknown>;
}

/** A custom image made from a snapshot: the subject of C10 when the snapshot was shared with the account. */
export interface ImageSourceIntent {
    readonly snapshotId: Located<string>;
    /** The snapshot was shared with this account by another one. */
    readonly sharedWithThisAccount: boolean;
}
