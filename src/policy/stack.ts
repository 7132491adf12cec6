/**
 * The whole-stack view: resource shares with their shared resources and targets (grouped through property
 * dependencies, or by the share id when it is a plain value), image permissions grouped by image, share roles,
 * their attachments and policies, and the KMS keys behind encrypted shared resources.
 */
import { ResourceKind } from "../alibaba/names";
import { Encryption, Located, at } from "../intent/model";
import { roleFields, shareRoleKind, sharingKind } from "./adapters";
import { RawResource, TYPES, isUnknown, locatedString } from "./resources";

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
}

export interface StackView {
    readonly byUrn: ReadonlyMap<string, RawResource>;
    readonly shares: readonly StackShare[];
    /** Image permissions by image key. */
    readonly permissions: ReadonlyMap<string, { item: StackSharedItem; accounts: Located<string>[] }>;
    /** Share roles by kind. */
    readonly roles: ReadonlyMap<ResourceKind, RawResource[]>;
    readonly attachments: readonly RawResource[];
    readonly policies: readonly RawResource[];
}

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

/** The share-role kinds a resource depends on, directly or through its parent component's role. */
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

/** Builds the view in one pass over the resources (linear in their number). */
export function stackView(resources: readonly RawResource[]): StackView {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const shares = new Map<string, StackShare>();
    const shareFor = (key: string, share?: RawResource): StackShare => {
        let s = shares.get(key);
        if (s === undefined) {
            s = { key, share, items: [], targets: [], roleDependencies: new Set() };
            shares.set(key, s);
        }
        return s;
    };
    const permissions = new Map<string, { item: StackSharedItem; accounts: Located<string>[] }>();
    const roles = new Map<ResourceKind, RawResource[]>();
    const attachments: RawResource[] = [];
    const policies: RawResource[] = [];
    for (const r of resources) {
        switch (r.type) {
            case TYPES.resourceShare: {
                const s = shareFor(r.urn, r);
                (s as { share?: RawResource }).share = r;
                roleKindsOf(r, byUrn).forEach((k) => s.roleDependencies.add(k));
                break;
            }
            case TYPES.sharedResource: {
                const kind = sharingKind(r.props.resourceType);
                const s = shareFor(keyOf(r, "resourceShareId", byUrn).key);
                if (kind !== undefined) {
                    (s as { kind?: ResourceKind }).kind = kind;
                }
                const { key, source } = keyOf(r, "resourceId", byUrn);
                s.items.push({ key, id: locatedString("resourceId", r.props.resourceId), source, via: r });
                roleKindsOf(r, byUrn).forEach((k) => s.roleDependencies.add(k));
                break;
            }
            case TYPES.sharedTarget: {
                const s = shareFor(keyOf(r, "resourceShareId", byUrn).key);
                s.targets.push({ value: locatedString("targetId", r.props.targetId), via: r });
                roleKindsOf(r, byUrn).forEach((k) => s.roleDependencies.add(k));
                break;
            }
            case TYPES.imageSharePermission: {
                const { key, source } = keyOf(r, "imageId", byUrn);
                let p = permissions.get(key);
                if (p === undefined) {
                    p = { item: { key, id: locatedString("imageId", r.props.imageId), source, via: r }, accounts: [] };
                    permissions.set(key, p);
                }
                p.accounts.push(locatedString("accountId", r.props.accountId));
                break;
            }
            case TYPES.role: {
                const kind = shareRoleKind(roleFields(r).roleName.value);
                if (kind !== undefined) {
                    roles.set(kind, [...(roles.get(kind) ?? []), r]);
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
    return { byUrn, shares: [...shares.values()], permissions, roles, attachments, policies };
}

/** How a shared item is encrypted, as far as the stack shows: its source's key, or the share role it waits for. */
export function encryptionOf(item: StackSharedItem, roleDependency: boolean): Encryption {
    const source = item.source;
    if (source !== undefined && (source.type === TYPES.imageCopy || source.type === TYPES.image)) {
        const keyId = source.props.kmsKeyId;
        if (keyId !== undefined && keyId !== null && keyId !== "") {
            const region = source.providerProps?.region;
            return { kind: "customerKey", keyId: locatedString("kmsKeyId", keyId), keyRegion: locatedString("region", region) };
        }
        if (source.props.encrypted === true) {
            return { kind: "serviceKey", path: "encrypted" };
        }
    }
    return roleDependency ? { kind: "customerKey", keyId: at<string>("kmsKeyId", undefined), keyRegion: at<string>("region", undefined) } : { kind: "none" };
}

/** The region a resource is in: its explicit provider's region, when the engine sent it. */
export function regionOf(resource: RawResource | undefined): Located<string> {
    const region = resource?.providerProps?.region;
    return region === undefined ? at<string>("region", undefined) : locatedString("provider.region", region);
}
