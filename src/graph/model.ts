/**
 * The sharing graph: one model of what an organization shares, as data. Accounts hold keys, disks, snapshots, images,
 * roles, policies and shares; items carry where their encryption comes from (none, the service key, a key node, or the
 * items they were made from); shares link items to recipients; attachments link policies to roles. Three readers build
 * it (the components from their arguments, the pack from raw resources, the audit from what it reads, through the
 * pack's reader) and the relational rules judge what `resolve` derives from it: every enforcement point judges the same
 * relations.
 */
import type { ResourceKind } from "../alibaba/names";
import type { Located } from "../intent/model";

/** Where a node comes from: a resource of a stack (its URN), a component's argument, a live object. */
export interface Origin {
    readonly urn: string;
    readonly name: string;
    /** The type token of the resource or component. */
    readonly type: string;
}

/**
 * Which account something lives in: `account:<16 digits>` when a provider, a setting or an argument names it, else
 * `default`: the stack's own account, whichever it is. See `accounts.ts`.
 */
export type AccountKey = string;

/** What an item of the graph is: a disk, a snapshot or an image (a copy is an image or snapshot made from another). */
export type ItemKind = "disk" | "snapshot" | "image";

/**
 * Where an item's encryption comes from, as its reader knows it:
 * - `none`: known not to be encrypted;
 * - `serviceKey`: encrypted with the region's service (default) key;
 * - `key`: encrypted with the customer-managed key of a key node;
 * - `unknown`: encrypted or not, decided only at deploy time (an unknown `encrypted` at preview);
 * - `inherit`: as the items it was made from (a snapshot from its disk, an image from its snapshots); `viaCopy` when it
 *   is a copy made without a key of its own (an encrypted source's copy is on the destination's service key);
 * - `undeclared`: nothing says (a literal id of something made outside the stack).
 */
export type EncryptionSource =
    | { readonly kind: "none"; readonly path: string }
    | { readonly kind: "serviceKey"; readonly path: string }
    | { readonly kind: "key"; readonly key: string; readonly path: string }
    | { readonly kind: "unknown"; readonly path: string }
    | { readonly kind: "inherit"; readonly from: readonly string[]; readonly path: string; readonly viaCopy?: boolean }
    | { readonly kind: "undeclared"; readonly path: string };

/** A KMS key: its id, region and account, and (when the stack makes it) its protection and state. */
export interface KeyNode {
    readonly id: string;
    readonly keyId: Located<string>;
    readonly region: Located<string>;
    readonly account: AccountKey;
    readonly deletionProtection?: Located<string>;
    readonly status?: Located<string>;
    /** The resource that makes the key, when the stack does. */
    readonly origin?: Origin;
}

/** A disk, snapshot or image, with where it lives and where its encryption comes from. */
export interface ItemNode {
    readonly id: string;
    readonly kind: ItemKind;
    /** Its id (`s-…`, `m-…`, `d-…`), unknown while the stack has not made it. */
    readonly resourceId: Located<string>;
    readonly region: Located<string>;
    readonly account: AccountKey;
    readonly encryption: EncryptionSource;
    /** Shared with this account by another (C10, C16). */
    readonly received: boolean;
    readonly origin?: Origin;
}

/** A RAM role: its name, account and trust; `declared` when it exists outside the stack (known only by its name). */
export interface RoleNode {
    readonly id: string;
    /** The kind of share role its name makes it, if any. */
    readonly kind?: ResourceKind;
    readonly name: Located<string>;
    readonly account: AccountKey;
    /** Its trust policy; absent for a role outside the stack. */
    readonly trust?: Located<unknown>;
    readonly maxSessionDuration?: Located<number>;
    readonly declared: boolean;
    readonly origin?: Origin;
}

/** A custom RAM policy: its name, account, document and the keys of the stack its document was built from. */
export interface PolicyNode {
    readonly id: string;
    readonly name: Located<string>;
    readonly account: AccountKey;
    readonly document: Located<unknown>;
    /** Key nodes the document depends on (through the resources that made its ARNs). */
    readonly keys: readonly string[];
    readonly origin?: Origin;
}

/** A policy attached to a role, through `ram.RolePolicyAttachment` or Resource Manager's `PolicyAttachment`. */
export interface AttachmentNode {
    readonly id: string;
    readonly account: AccountKey;
    /** The role, by node (when the attachment's value comes from it) and by name. */
    readonly role: { readonly node?: string; readonly name: Located<string> };
    /** The policy, by node and by name; `system` for Alibaba's own policies. */
    readonly policy: { readonly node?: string; readonly name: Located<string>; readonly system: boolean | undefined };
    readonly origin: Origin;
}

/** One item of a share, and the resource (or argument) that puts it there. */
export interface ShareItem {
    /** The item node. */
    readonly item: string;
    readonly via: Origin;
    /** Its id as the share gives it (`resourceId`, `snapshotIds[2]`…), unknown while it is. */
    readonly id: Located<string>;
}

/** One recipient of a share, and the resource (or argument) that names it. */
export interface ShareRecipient {
    readonly value: Located<string>;
    readonly via: Origin;
}

/**
 * A grant of items to recipients: a resource share (its shared resources and targets), or the image permissions of
 * one image (`method: "imagePermission"`).
 */
export interface ShareNode {
    readonly id: string;
    readonly kind?: ResourceKind;
    readonly method: "resourceShare" | "imagePermission";
    readonly account: AccountKey;
    /** The region it is made in (Resource Sharing and image permissions are regional). */
    readonly region: Located<string>;
    readonly items: ShareItem[];
    readonly recipients: ShareRecipient[];
    /** Share-role kinds the share or its parts wait for: the owner says they are encrypted. */
    readonly roleDependencies: Set<ResourceKind>;
    /** The role nodes it waits for, when it names them (a dependency on the role or its attachment): the role it uses. */
    readonly roleNodes?: Set<string>;
    /** The owner declared the shared data unencrypted and fit to share (C23, C33). */
    acknowledged: boolean;
    /** The owner declared the shared data encrypted with a customer-managed key (the share needs its role). */
    declaredEncrypted?: boolean;
    /** The resource share, when the stack makes it (or the first resource that names the share). */
    origin?: Origin;
    allowExternalTargets?: Located<boolean>;
}

/** The whole graph. Nodes by id; every reader adds to one. */
export interface SharingGraph {
    readonly keys: Map<string, KeyNode>;
    readonly items: Map<string, ItemNode>;
    readonly roles: Map<string, RoleNode>;
    readonly policies: Map<string, PolicyNode>;
    readonly attachments: Map<string, AttachmentNode>;
    readonly shares: Map<string, ShareNode>;
}

/** How an origin reads in a message: a component as `SharedSnapshot "dr"`, a resource by its URN. */
export function describeOrigin(origin: Origin): string {
    return origin.urn.startsWith("component:") ? `${origin.type.split(":").pop()} "${origin.name}"` : origin.urn;
}

/** An empty graph. */
export function emptyGraph(): SharingGraph {
    return { keys: new Map(), items: new Map(), roles: new Map(), policies: new Map(), attachments: new Map(), shares: new Map() };
}
