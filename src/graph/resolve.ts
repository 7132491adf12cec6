/**
 * What the graph's relations say, computed once per graph: where each item's encryption comes from (followed through
 * disks, snapshots, images and copies), how each share is encrypted, which share role each share uses (by dependency
 * or by its well-known name in its account), which policies are attached to each role (by node or by name, every
 * attachment path), and who receives each item. The relational rules read these; no reader computes them again.
 */
import { kmsKeyArn } from "../alibaba/arn";
import { isAccountId } from "../alibaba/ids";
import { RESOURCE_KINDS, ResourceKind } from "../alibaba/names";
import { accountIdOf, mayBeSameAccount } from "./accounts";
import type { Located } from "../intent/model";
import { AccountKey, AttachmentNode, ItemNode, KeyNode, Origin, PolicyNode, RoleNode, ShareItem, ShareNode, SharingGraph } from "./model";

/** Where an item's encryption comes from, once its sources are followed. */
export interface ResolvedEncryption {
    readonly kind: "none" | "serviceKey" | "key" | "unknown" | "undeclared";
    /** The property that decided it, on `item`. */
    readonly path: string;
    /** The key node, for `key`. */
    readonly key?: KeyNode;
    /** The item whose own property decided it (the disk of a snapshot, the snapshot of an image…). */
    readonly item: ItemNode;
}

/** How a share is encrypted, and why the pack believes it. */
export interface ShareEncryption {
    readonly kind: "none" | "serviceKey" | "key" | "unknown";
    /** For `none`: whether the owner declared it (a known unencrypted source, or the acknowledgement). */
    readonly declared: boolean;
    /** The items' resolved encryptions, in item order. */
    readonly items: readonly ResolvedEncryption[];
    /** The keys of the items (for `key`), distinct. */
    readonly keys: readonly KeyNode[];
    /** How the share is known to be encrypted with a key: from its items, by waiting for the share role, or by the role's name in its account. */
    readonly because?: "items" | "dependency" | "roleName";
    /** The first item (and its resolution) that decided a `serviceKey` or `unknown`. */
    readonly decisive?: ResolvedEncryption;
}

/** Worst first: what a combination of several sources is taken as. */
const ORDER: readonly ResolvedEncryption["kind"][] = ["serviceKey", "unknown", "key", "undeclared", "none"];

/**
 * The share roles a share uses: its account's of its kind (by the well-known name, as ECS finds it), and those it
 * waits for, which are that role too.
 */
export function rolesOfShare(relations: Relations, share: ShareNode): RoleNode[] {
    if (share.kind === undefined) {
        return [];
    }
    // A role it waits for in another account is not its account's role (ECS uses the role of the share's account).
    const named = [...(share.roleNodes ?? [])]
        .map((id) => relations.graph.roles.get(id))
        .filter((r): r is RoleNode => r !== undefined && r.kind === share.kind && mayBeSameAccount(r.account, share.account));
    return [...new Set([...named, ...relations.rolesFor(share.account, share.kind)])];
}

/** What the encrypted shares of one account and kind need of its share role. */
export interface RoleNeeds {
    readonly account: AccountKey;
    readonly kind: ResourceKind;
    /** The recipients of the encrypted shares, as given (account ids, directory ids, folder paths or ids). */
    readonly targets: Set<string>;
    /** The ARNs of the keys of the encrypted shares (a region or account unknown is `*`). */
    readonly keyArns: Set<string>;
    readonly shares: ShareNode[];
}

/** One recipient's reach to one shared item: who can use what, through which share, with which key, where. */
export interface Reach {
    readonly recipient: string;
    /** The resource (or argument) that names the recipient on the share. */
    readonly via: Origin;
    /** The item node, and its id as the share gives it (and the resource or argument that puts it on the share). */
    readonly item: string;
    readonly itemVia: Origin;
    readonly resourceId: Located<string>;
    readonly kind: ResourceKind;
    readonly share: ShareNode;
    /** The region it is shared in. */
    readonly region: Located<string>;
    /** How it is protected: its resolved encryption, and the key when a key node is known. */
    readonly encryption: ResolvedEncryption["kind"];
    readonly key?: KeyNode;
}

/** The relations of a graph, computed once. */
export class Relations {
    private readonly encryptions = new Map<string, ResolvedEncryption>();
    private readonly shareEncryptions = new Map<string, ShareEncryption>();
    private readonly rolesByKind = new Map<ResourceKind, RoleNode[]>();
    private readonly attachmentsByRoleNode = new Map<string, AttachmentNode[]>();
    private readonly attachmentsByRoleName = new Map<string, AttachmentNode[]>();
    private readonly policiesByName = new Map<string, PolicyNode[]>();

    constructor(readonly graph: SharingGraph) {
        for (const role of graph.roles.values()) {
            if (role.kind !== undefined) {
                push(this.rolesByKind, role.kind, role);
            }
        }
        for (const a of graph.attachments.values()) {
            if (a.role.node !== undefined) {
                push(this.attachmentsByRoleNode, a.role.node, a);
            }
            if (a.role.name.value !== undefined) {
                push(this.attachmentsByRoleName, a.role.name.value, a);
            }
        }
        for (const p of graph.policies.values()) {
            if (p.name.value !== undefined) {
                push(this.policiesByName, p.name.value, p);
            }
        }
    }

    /**
     * Where an item's encryption comes from, following what it was made from (memoized; a cycle is `unknown`). Iterative:
     * a chain of any length (copies of copies) is followed without recursion.
     */
    encryptionOf(itemId: string): ResolvedEncryption {
        const known = this.encryptions.get(itemId);
        if (known !== undefined) {
            return known;
        }
        const onPath = new Set<string>();
        const stack: string[] = [itemId];
        while (stack.length > 0) {
            const id = stack[stack.length - 1];
            if (this.encryptions.has(id)) {
                stack.pop();
                continue;
            }
            const item = this.graph.items.get(id);
            if (item === undefined) {
                this.encryptions.set(id, { kind: "unknown", path: "id", item: placeholderItem(id) });
                stack.pop();
                continue;
            }
            const own = item.encryption;
            if (own.kind !== "inherit") {
                this.encryptions.set(id, own.kind === "key" ? { kind: "key", path: own.path, item, key: this.graph.keys.get(own.key) } : { kind: own.kind, path: own.path, item });
                stack.pop();
                continue;
            }
            const pending = own.from.filter((f) => !this.encryptions.has(f));
            const cyclic = pending.filter((f) => onPath.has(f));
            if (cyclic.length > 0) {
                // Made from itself (a cycle of dependencies): nothing can say how it is encrypted.
                cyclic.forEach((f) => this.encryptions.set(f, { kind: "unknown", path: own.path, item }));
            }
            const next = pending.filter((f) => !onPath.has(f));
            if (next.length > 0 && !onPath.has(id)) {
                onPath.add(id);
                stack.push(...next);
                continue;
            }
            if (next.length > 0) {
                next.forEach((f) => this.encryptions.set(f, { kind: "unknown", path: own.path, item }));
            }
            onPath.delete(id);
            const worst = worstOf(own.from.map((f) => this.encryptions.get(f)!)) ?? { kind: "undeclared", path: own.path, item };
            // A copy made without a key of its own: an encrypted source's copy is on the destination's service key.
            this.encryptions.set(id, own.viaCopy && worst.kind === "key" ? { kind: "serviceKey", path: own.path, item } : worst);
            stack.pop();
        }
        return this.encryptions.get(itemId)!;
    }

    /** The share roles of a kind that may be the one of an account: its own, else one that may be in the same account. */
    rolesFor(account: AccountKey, kind: ResourceKind): RoleNode[] {
        const all = this.rolesByKind.get(kind) ?? [];
        const own = all.filter((r) => r.account === account);
        return own.length > 0 ? own : all.filter((r) => mayBeSameAccount(r.account, account));
    }

    /** How a share is encrypted: its items' worst, then its dependency on the share role, then the role's name in its account. */
    shareEncryption(share: ShareNode): ShareEncryption {
        const known = this.shareEncryptions.get(share.id);
        if (known !== undefined) {
            return known;
        }
        const items = share.items.map((i) => this.encryptionOf(i.item));
        const keys = [...new Set(items.filter((e) => e.kind === "key" && e.key !== undefined).map((e) => e.key!))];
        const worst = worstOf(items);
        const kind = share.kind;
        let result: ShareEncryption;
        const waitsForRole = kind !== undefined && share.roleDependencies.has(kind);
        if (worst?.kind === "serviceKey" || (worst?.kind === "unknown" && !waitsForRole && !share.declaredEncrypted)) {
            result = { kind: worst.kind, declared: true, items, keys, decisive: worst };
        } else if (worst?.kind === "key") {
            result = { kind: "key", declared: true, items, keys, because: "items" };
        } else if (share.acknowledged) {
            result = { kind: "none", declared: true, items, keys };
        } else if (waitsForRole || share.declaredEncrypted) {
            // The owner says so: by waiting for the share role, or by the tag. An item unknown at preview (a copy made
            // at deploy time) takes what the owner says.
            result = { kind: "key", declared: true, items, keys, because: "dependency" };
        } else if (worst?.kind === "undeclared" && share.method === "resourceShare" && kind !== undefined && this.rolesFor(share.account, kind).length > 0) {
            // Nothing says whether the items are encrypted, and the owner's account holds the share role ECS would use. A
            // resource share can say it is not (the acknowledgement's tag); an image permission cannot, so it is not
            // taken as encrypted by the role's name alone.
            result = { kind: "key", declared: false, items, keys, because: "roleName" };
        } else {
            result = { kind: "none", declared: worst?.kind === "none", items, keys };
        }
        this.shareEncryptions.set(share.id, result);
        return result;
    }

    /** The attachments of a role: by the role node their value comes from, or by its name in an account it may share. */
    attachmentsOf(role: RoleNode): AttachmentNode[] {
        const byNode = this.attachmentsByRoleNode.get(role.id) ?? [];
        const byName = role.name.value === undefined ? [] : (this.attachmentsByRoleName.get(role.name.value) ?? []).filter((a) => a.role.node === undefined && mayBeSameAccount(a.account, role.account));
        return [...new Set([...byNode, ...byName])];
    }

    /** The custom policies attached to a role (system ones and attachments of another type left out). */
    customPoliciesOf(role: RoleNode): PolicyNode[] {
        const found = new Set<PolicyNode>();
        for (const a of this.attachmentsOf(role)) {
            if (a.policy.system === true) {
                continue;
            }
            const node = a.policy.node === undefined ? undefined : this.graph.policies.get(a.policy.node);
            if (node !== undefined) {
                found.add(node);
            } else if (a.policy.name.value !== undefined) {
                (this.policiesByName.get(a.policy.name.value) ?? []).filter((p) => mayBeSameAccount(p.account, a.account)).forEach((p) => found.add(p));
            }
        }
        return [...found];
    }

    /**
     * The attachments of a role whose custom policy is unknown at preview (neither a policy of the stack nor a name):
     * a document that may grant what the role needs, or more.
     */
    unknownPoliciesOf(role: RoleNode): AttachmentNode[] {
        return this.attachmentsOf(role).filter((a) => a.policy.system !== true && a.policy.node === undefined && a.policy.name.value === undefined);
    }

    /** What each account's encrypted shares need of its share role of each kind. */
    roleNeeds(): RoleNeeds[] {
        const needs = new Map<string, RoleNeeds>();
        for (const share of this.graph.shares.values()) {
            const encryption = this.shareEncryption(share);
            if (share.kind === undefined || encryption.kind !== "key") {
                continue;
            }
            const key = `${share.account}|${share.kind}`;
            let n = needs.get(key);
            if (n === undefined) {
                n = { account: share.account, kind: share.kind, targets: new Set(), keyArns: new Set(), shares: [] };
                needs.set(key, n);
            }
            n.shares.push(share);
            share.recipients.forEach((r) => r.value.value !== undefined && n!.targets.add(r.value.value));
            for (const k of encryption.keys) {
                const arn = keyArnOf(k, share.account);
                if (arn !== undefined) {
                    n.keyArns.add(arn);
                }
            }
        }
        return [...needs.values()];
    }

    /**
     * Who can use what: for every share, item and recipient, the item's encryption and key and the share's region
     * (reachability, computed from the graph once per call; a recipient reached through two shares is listed twice).
     */
    reachability(): Reach[] {
        const reach: Reach[] = [];
        for (const share of this.graph.shares.values()) {
            if (share.kind === undefined) {
                continue;
            }
            const encryption = this.shareEncryption(share);
            share.items.forEach((i, index) => {
                const resolved = encryption.items[index];
                for (const r of share.recipients) {
                    if (r.value.value !== undefined) {
                        reach.push({
                            recipient: r.value.value,
                            via: r.via,
                            item: i.item,
                            itemVia: i.via,
                            resourceId: i.id,
                            kind: share.kind!,
                            share,
                            region: share.region,
                            encryption: resolved?.kind ?? "unknown",
                            ...(resolved?.key === undefined ? {} : { key: resolved.key }),
                        });
                    }
                }
            });
        }
        return reach;
    }

    /**
     * For each item shared, every recipient it has across the graph's shares, the shares, and where the first share
     * lists it. Linear in items and recipients: the recipients are gathered once for each set of shares, and items
     * shared by the same shares hold the same sets (read them, never change them).
     */
    recipientsByItem(): Map<string, ItemRecipients> {
        const byItem = new Map<string, { item: ItemNode | undefined; kind: ResourceKind; shares: ShareNode[]; first: ShareItem; accounts: Set<string>; organization: Set<string> }>();
        for (const share of this.graph.shares.values()) {
            if (share.kind === undefined) {
                continue;
            }
            for (const i of share.items) {
                const entry = byItem.get(i.item);
                if (entry === undefined) {
                    byItem.set(i.item, { item: this.graph.items.get(i.item), kind: share.kind, shares: [share], first: i, accounts: NO_RECIPIENTS, organization: NO_RECIPIENTS });
                } else if (!entry.shares.includes(share)) {
                    entry.shares.push(share);
                }
            }
        }
        const bySharesOf = new Map<string, { accounts: Set<string>; organization: Set<string> }>();
        for (const entry of byItem.values()) {
            const key = entry.shares.map((s) => s.id).join("\n");
            let sets = bySharesOf.get(key);
            if (sets === undefined) {
                sets = { accounts: new Set(), organization: new Set() };
                for (const share of entry.shares) {
                    for (const r of share.recipients) {
                        if (r.value.value !== undefined) {
                            (isAccountId(r.value.value) ? sets.accounts : sets.organization).add(r.value.value);
                        }
                    }
                }
                bySharesOf.set(key, sets);
            }
            entry.accounts = sets.accounts;
            entry.organization = sets.organization;
        }
        return byItem;
    }
}

/** Every recipient an item has across the graph's shares (sets shared between items of the same shares: read only). */
export interface ItemRecipients {
    readonly item: ItemNode | undefined;
    readonly kind: ResourceKind;
    readonly shares: ShareNode[];
    /** Where the first share that holds the item lists it. */
    readonly first: ShareItem;
    readonly accounts: ReadonlySet<string>;
    readonly organization: ReadonlySet<string>;
}

const NO_RECIPIENTS: Set<string> = new Set();

/** An item the graph does not hold (a dangling reference), for what its encryption is not. */
function placeholderItem(id: string): ItemNode {
    return { id, kind: "snapshot", resourceId: { value: undefined, path: "id" }, region: { value: undefined, path: "region" }, account: "default", encryption: { kind: "unknown", path: "id" }, received: false };
}

/** The ARN of a key when its id is known; a region or account still unknown is `*` (matched by the key id). */
export function keyArnOf(key: KeyNode, fallbackAccount: AccountKey): string | undefined {
    if (key.keyId.value === undefined) {
        return undefined;
    }
    return kmsKeyArn(key.region.value ?? "*", accountIdOf(key.account) ?? accountIdOf(fallbackAccount) ?? "*", key.keyId.value);
}

function worstOf(list: readonly ResolvedEncryption[]): ResolvedEncryption | undefined {
    for (const kind of ORDER) {
        const found = list.find((e) => e.kind === kind);
        if (found !== undefined) {
            return found;
        }
    }
    return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list === undefined) {
        map.set(key, [value]);
    } else {
        list.push(value);
    }
}

export { RESOURCE_KINDS };
