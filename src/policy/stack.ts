/**
 * The whole-stack view, built in one pass and indexed by key so every stack policy stays near-linear: resource shares
 * with their shared resources and targets (grouped through property dependencies, or by the share id when it is a
 * plain value), image permissions grouped by image, share roles and their attached policies by owner account, and
 * the KMS keys behind encrypted shared resources.
 */
import { kmsKeyArn } from "../alibaba/arn";
import { isAccountId } from "../alibaba/ids";
import { CUSTOM_POLICY_TYPE, ResourceKind } from "../alibaba/names";
import { Encryption, Located, at } from "../intent/model";
import { roleFields, shareRoleKind, sharedResourceKind } from "./adapters";
import { RawResource, TYPES, isUnknown, locatedString } from "./resources";
import { PolicySettings } from "./settings";

/** A shared snapshot or image: its id (or the URN of the resource that makes it) and where it comes from. */
export interface StackSharedItem {
    /** The grouping key: the URN the id comes from, or the id itself. */
    readonly key: string;
    readonly id: Located<string>;
    /** The resource that makes it, when in the stack (an ecs.ImageCopy, an ecs.Image…). */
    readonly source?: RawResource;
    /** The SharedResource or ImageSharePermission that shares it. */
    readonly via: RawResource;
}

export interface StackShare {
    readonly key: string;
    /** The ResourceShare, when in the stack. */
    readonly share?: RawResource;
    readonly kind?: ResourceKind;
    readonly items: StackSharedItem[];
    readonly targets: { readonly value: Located<string>; readonly via: RawResource }[];
    /** Share-role kinds the share or its children depend on (a component's shares wait for the role). */
    readonly roleDependencies: Set<ResourceKind>;
    /** The owner account (or its provider) of the share: see `ownerKeyOf`. */
    readonly owner: string;
}

/** The permissions of one image: which accounts it is granted to, each through which resource. */
export interface PermissionGroup {
    readonly item: StackSharedItem;
    readonly accounts: { readonly value: Located<string>; readonly via: RawResource }[];
    readonly owner: string;
    /** Whether a permission waits for the image share role (a component's permissions do). */
    roleDependency: boolean;
}

export interface StackView {
    readonly byUrn: ReadonlyMap<string, RawResource>;
    readonly shares: readonly StackShare[];
    /** Image permissions by image key. */
    readonly permissions: ReadonlyMap<string, PermissionGroup>;
    /** Share roles by kind. */
    readonly roles: ReadonlyMap<ResourceKind, RawResource[]>;
    readonly attachments: readonly RawResource[];
    readonly policies: readonly RawResource[];
    /** The owner key of a resource (see `ownerKeyOf`). */
    ownerOf(resource: RawResource): string;
    /** The custom policies attached to a role (by the attachment's role and policy, through their sources or their names in the role's account). */
    attachedPolicies(role: RawResource): RawResource[];
    /** The System policies attached to a role. */
    systemAttachments(role: RawResource): RawResource[];
}

/**
 * Which account a resource is in, as a key: the configured owner when there is one, else the account its provider
 * names (`accountId`). Resources whose account nobody names are taken as one account, the stack's: the stricter
 * reading (limits counted together, one role per name), which naming the account on other accounts' providers lifts.
 */
export function ownerKeyOf(resource: RawResource, settings?: Pick<PolicySettings, "ownerAccountIds">): string {
    if (settings !== undefined && settings.ownerAccountIds.length === 1) {
        return `account:${settings.ownerAccountIds[0]}`;
    }
    const account = resource.providerProps?.accountId;
    return typeof account === "string" && !isUnknown(account) ? `account:${account}` : "default";
}

/** The owner account id of an owner key, when the key names one. */
export const ownerAccountOfKey = (key: string): string | undefined => (key.startsWith("account:") && isAccountId(key.slice(8)) ? key.slice(8) : undefined);

/** The URN a property's value comes from, when exactly one resource of the stack makes it. */
function sourceOf(resource: RawResource, property: string, byUrn: ReadonlyMap<string, RawResource>): RawResource | undefined {
    const deps = (resource.propertyDependencies[property] ?? []).map((u) => byUrn.get(u)).filter((r): r is RawResource => r !== undefined);
    return deps.length === 1 ? deps[0] : undefined;
}

function keyOf(resource: RawResource, property: string, byUrn: ReadonlyMap<string, RawResource>): { key: string; source?: RawResource } {
    const source = sourceOf(resource, property, byUrn);
    if (source !== undefined) {
        return { key: source.urn, source };
    }
    const value = resource.props[property];
    return { key: typeof value === "string" && !isUnknown(value) ? `id:${value}` : `unknown:${resource.urn}` };
}

/** The share-role kinds a resource depends on, directly. */
function roleKindsOf(resource: RawResource, byUrn: ReadonlyMap<string, RawResource>): ResourceKind[] {
    const kinds = new Set<ResourceKind>();
    for (const dep of resource.dependencies) {
        const d = byUrn.get(dep);
        if (d === undefined) {
            continue;
        }
        const kind = d.type === TYPES.role ? shareRoleKind(roleFields(d).roleName.value) : d.type === TYPES.rolePolicyAttachment ? shareRoleKind(d.props.roleName) : undefined;
        if (kind !== undefined) {
            kinds.add(kind);
        }
    }
    return [...kinds];
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
    const list = map.get(key);
    if (list === undefined) {
        map.set(key, [value]);
    } else {
        list.push(value);
    }
};

/** Builds the view in one pass over the resources (linear in their number), then indexes attachments and policies. */
export function stackView(resources: readonly RawResource[], settings?: Pick<PolicySettings, "ownerAccountIds">): StackView {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const ownerOf = (r: RawResource): string => ownerKeyOf(r, settings);
    const shares = new Map<string, StackShare>();
    const shareFor = (key: string, via: RawResource): StackShare => {
        let s = shares.get(key);
        if (s === undefined) {
            s = { key, items: [], targets: [], roleDependencies: new Set(), owner: ownerOf(via) };
            shares.set(key, s);
        }
        return s;
    };
    const permissions = new Map<string, PermissionGroup>();
    const roles = new Map<ResourceKind, RawResource[]>();
    const attachments: RawResource[] = [];
    const policies: RawResource[] = [];
    for (const r of resources) {
        switch (r.type) {
            case TYPES.resourceShare: {
                // The share itself says whose it is, whichever of its parts came first.
                const s = shareFor(r.urn, r) as StackShare & { share?: RawResource; owner: string };
                s.share = r;
                s.owner = ownerOf(r);
                roleKindsOf(r, byUrn).forEach((k) => s.roleDependencies.add(k));
                break;
            }
            case TYPES.sharedResource: {
                const kind = sharedResourceKind(r.props.resourceType, r.props.resourceId);
                if (kind === undefined) {
                    // Another kind of shared resource (a VSwitch, a prefix list…): not this pack's concern.
                    break;
                }
                const s = shareFor(keyOf(r, "resourceShareId", byUrn).key, r);
                if (s.kind === undefined) {
                    (s as { kind?: ResourceKind }).kind = kind;
                }
                const { key, source } = keyOf(r, "resourceId", byUrn);
                s.items.push({ key, id: locatedString("resourceId", r.props.resourceId), source, via: r });
                roleKindsOf(r, byUrn).forEach((k) => s.roleDependencies.add(k));
                break;
            }
            case TYPES.sharedTarget: {
                const s = shareFor(keyOf(r, "resourceShareId", byUrn).key, r);
                s.targets.push({ value: locatedString("targetId", r.props.targetId), via: r });
                roleKindsOf(r, byUrn).forEach((k) => s.roleDependencies.add(k));
                break;
            }
            case TYPES.imageSharePermission: {
                const { key, source } = keyOf(r, "imageId", byUrn);
                let p = permissions.get(key);
                if (p === undefined) {
                    p = { item: { key, id: locatedString("imageId", r.props.imageId), source, via: r }, accounts: [], owner: ownerOf(r), roleDependency: false };
                    permissions.set(key, p);
                }
                p.accounts.push({ value: locatedString("accountId", r.props.accountId), via: r });
                p.roleDependency ||= roleKindsOf(r, byUrn).includes("image");
                break;
            }
            case TYPES.role: {
                const kind = shareRoleKind(roleFields(r).roleName.value);
                if (kind !== undefined) {
                    push(roles, kind, r);
                }
                break;
            }
            case TYPES.rolePolicyAttachment:
                attachments.push(r);
                break;
            case TYPES.policy:
                policies.push(r);
                break;
        }
    }

    // Attachments by the role they name (its URN through the property's source, or its name in an account), policies by name in an account.
    const attachmentsByRoleUrn = new Map<string, RawResource[]>();
    const attachmentsByRoleName = new Map<string, RawResource[]>();
    for (const a of attachments) {
        for (const urn of a.propertyDependencies.roleName ?? []) {
            push(attachmentsByRoleUrn, urn, a);
        }
        if (typeof a.props.roleName === "string") {
            push(attachmentsByRoleName, `${ownerOf(a)}|${a.props.roleName}`, a);
        }
    }
    const policiesByName = new Map<string, RawResource[]>();
    for (const p of policies) {
        const name = p.props.policyName ?? p.props.name;
        if (typeof name === "string") {
            push(policiesByName, `${ownerOf(p)}|${name}`, p);
        }
    }
    const attachmentsOf = (role: RawResource): RawResource[] => {
        const roleName = roleFields(role).roleName.value;
        const byName = roleName === undefined ? [] : (attachmentsByRoleName.get(`${ownerOf(role)}|${roleName}`) ?? []);
        return [...new Set([...(attachmentsByRoleUrn.get(role.urn) ?? []), ...byName])];
    };
    const isSystem = (a: RawResource): boolean => a.props.policyType === "System";
    return {
        byUrn,
        shares: [...shares.values()],
        permissions,
        roles,
        attachments,
        policies,
        ownerOf,
        attachedPolicies(role) {
            const found = new Set<RawResource>();
            for (const a of attachmentsOf(role)) {
                if (isSystem(a) || (a.props.policyType !== undefined && a.props.policyType !== CUSTOM_POLICY_TYPE && !isUnknown(a.props.policyType))) {
                    continue;
                }
                for (const urn of a.propertyDependencies.policyName ?? []) {
                    const p = byUrn.get(urn);
                    if (p?.type === TYPES.policy) {
                        found.add(p);
                    }
                }
                if (typeof a.props.policyName === "string") {
                    (policiesByName.get(`${ownerOf(a)}|${a.props.policyName}`) ?? []).forEach((p) => found.add(p));
                }
            }
            return [...found];
        },
        systemAttachments: (role) => attachmentsOf(role).filter(isSystem),
    };
}

/** The resources whose `kmsKeyId` / `encrypted` say how what they make is encrypted: image copies (both kinds), images, snapshots. */
const ENCRYPTED_SOURCES = new Set<string>([TYPES.imageCopy, TYPES.copyImage, TYPES.image, TYPES.ecsSnapshot, TYPES.snapshot]);

/** How a shared item is encrypted, as far as the stack shows: its source's key, or the share role it waits for. */
export function encryptionOf(item: StackSharedItem, roleDependency: boolean): Encryption {
    const source = item.source;
    if (source !== undefined && ENCRYPTED_SOURCES.has(source.type)) {
        const keyId = source.props.kmsKeyId;
        if (keyId !== undefined && keyId !== null && keyId !== "") {
            const region = source.providerProps?.region;
            return { kind: "customerKey", keyId: locatedString("kmsKeyId", keyId), keyRegion: locatedString("region", region) };
        }
        if (source.props.encrypted === true) {
            return { kind: "serviceKey", path: "encrypted" };
        }
        if (isUnknown(source.props.encrypted) && !roleDependency) {
            // Encrypted or not, with which key: decided only at deploy time (S6).
            return { kind: "unknown", path: `${source.name}.encrypted` };
        }
    }
    return roleDependency ? { kind: "customerKey", keyId: at<string>("kmsKeyId", undefined), keyRegion: at<string>("region", undefined) } : { kind: "none" };
}

/** The ARN of a shared item's key when its key id is known; a region or owner account still unknown is `*` (matched by the key id). */
export function keyArnOf(item: StackSharedItem, owner: string): string | undefined {
    const encryption = encryptionOf(item, false);
    if (encryption.kind !== "customerKey" || encryption.keyId.value === undefined) {
        return undefined;
    }
    return kmsKeyArn(encryption.keyRegion.value ?? "*", ownerAccountOfKey(owner) ?? "*", encryption.keyId.value);
}

/** The region a resource is in: its provider's region, when the engine sent it. */
export function regionOf(resource: RawResource | undefined): Located<string> {
    const region = resource?.providerProps?.region;
    return region === undefined ? at<string>("region", undefined) : locatedString("provider.region", region);
}
