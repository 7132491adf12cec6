/**
 * The pack's reader: raw `@pulumi/alicloud` resources of a stack (or of an audited account, which the audit presents the
 * same way) into the sharing graph, in one pass. Relations are matched as Alibaba Cloud matches them: by the resource a
 * property's value comes from (its property dependencies), by explicit dependency, and by name or value (a policy
 * attached by its name, a share role by its well-known name in its account, a key by its id).
 */
import { isImageId, isSnapshotId } from "../alibaba/ids";
import { KINDS, ResourceKind, SHARE_ROLE_NAME } from "../alibaba/names";
import { parseKmsArn } from "../alibaba/arn";
import { at, Located } from "../intent/model";
import { accountKey, accountOfProvider, DEFAULT_ACCOUNT } from "../graph/accounts";
import { ACKNOWLEDGED_TAG, isAcknowledgedTag, isEncryptedTag } from "../graph/declarations";
import { AccountKey, EncryptionSource, ItemKind, Origin, ShareNode, SharingGraph, emptyGraph } from "../graph/model";
import { shareRoleKind, sharedResourceKind, roleFields } from "./adapters";
import { RawResource, TYPES, firstProp, isUnknown, locatedString, rawList } from "./resources";

export { ACKNOWLEDGED_TAG };

/** What the reader takes from the pack's settings. */
export interface ReaderSettings {
    /** The owner account of every resource, when one is configured (else each provider's `accountId`). */
    readonly ownerAccountIds?: readonly string[];
    /** Snapshots shared with the stack's account by another (C10). */
    readonly receivedSnapshots?: readonly { readonly snapshotId: string }[];
    /** Share-role kinds managed outside the stack (S4). */
    readonly existingShareRoles?: readonly ResourceKind[];
}

const originOf = (r: RawResource): Origin => ({ urn: r.urn, name: r.name, type: r.type });

/** The resources a kind of node is made by. */
const KEY_TYPES = new Set<string>([TYPES.kmsKey]);
const DISK_TYPES = new Set<string>([TYPES.ecsDisk, TYPES.disk, TYPES.instance]);
const SNAPSHOT_TYPES = new Set<string>(KINDS.snapshot.madeBy);
const IMAGE_TYPES = new Set<string>(KINDS.image.madeBy);
const SHARE_TYPES = new Set<string>([TYPES.resourceShare]);
const ROLE_TYPES = new Set<string>([TYPES.role]);
const POLICY_TYPES = new Set<string>([TYPES.policy]);
const INSTANCE_TYPES = new Set<string>([TYPES.instance]);

/** A reference from one resource's property to another node: the resource its value comes from, else its value. */
interface Reference {
    /** The URN of the resource of the given types the value comes from. */
    readonly node?: string;
    /** The value, when known and a string. */
    readonly value?: string;
    /** The value is unknown at preview and comes from no resource of the given types. */
    readonly unknown: boolean;
}

/** Reads a property as a reference to a node made by one of `types`. */
function referenceOf(r: RawResource, property: string, types: ReadonlySet<string>, byUrn: ReadonlyMap<string, RawResource>, value: unknown = r.props[property]): Reference {
    const sources = (r.propertyDependencies[property] ?? []).filter((u) => types.has(byUrn.get(u)?.type ?? ""));
    if (sources.length === 1) {
        return { node: sources[0], unknown: false };
    }
    if (typeof value === "string" && !isUnknown(value) && value !== "") {
        return { value, unknown: false };
    }
    return { unknown: isUnknown(value) };
}

/** Builds the graph of a stack's resources (linear in their number). */
export function readStack(resources: readonly RawResource[], settings: ReaderSettings = {}): SharingGraph {
    const graph = emptyGraph();
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const accountOf = (r: RawResource): AccountKey => accountOfProvider(r.providerProps?.accountId, settings.ownerAccountIds ?? []);
    const regionOf = (r: RawResource): Located<string> => locatedString("provider.region", r.providerProps?.region);
    const received = new Set((settings.receivedSnapshots ?? []).map((s) => s.snapshotId));

    /** A key node for a reference: the stack's key, or a key known by its id alone. */
    const keyFor = (ref: Reference, r: RawResource, path: string): string | undefined => {
        if (ref.node !== undefined) {
            return ref.node;
        }
        if (ref.value === undefined) {
            return undefined;
        }
        const id = `key:${ref.value}`;
        if (!graph.keys.has(id)) {
            // A key encrypts only in its own region: a key known by its id alone is taken to be in the region of what uses it.
            graph.keys.set(id, { id, keyId: at(path, ref.value), region: regionOf(r), account: accountOf(r) });
        }
        return id;
    };
    /** The encryption a `kmsKeyId` / `encrypted` pair says, or undefined when they say nothing. */
    /** `part` reads a nested value (a data disk's) instead of the resource's own properties. */
    const ownEncryption = (r: RawResource, keyProp: string, encryptedProp: string, part?: { keyValue: unknown; encrypted: unknown; keyPath: string; encryptedPath: string }): EncryptionSource | undefined => {
        const keyValue = part === undefined ? r.props[keyProp] : part.keyValue;
        const encrypted = part === undefined ? r.props[encryptedProp] : part.encrypted;
        const keyPath = part?.keyPath ?? keyProp;
        const encryptedPath = part?.encryptedPath ?? encryptedProp;
        const ref = referenceOf(r, keyProp, KEY_TYPES, byUrn, keyValue);
        const key = keyFor(ref, r, keyPath);
        if (key !== undefined) {
            return { kind: "key", key, path: keyPath };
        }
        if (ref.unknown) {
            return { kind: "unknown", path: keyPath };
        }
        if (encrypted === true) {
            return { kind: "serviceKey", path: encryptedPath };
        }
        if (isUnknown(encrypted)) {
            return { kind: "unknown", path: encryptedPath };
        }
        return undefined;
    };
    /** An item node for a reference: the stack's item, or one known by its id alone (made outside the stack). */
    const itemFor = (ref: Reference, kind: ItemKind, r: RawResource, path: string): string => {
        if (ref.node !== undefined) {
            return ref.node;
        }
        const id = ref.value !== undefined ? `item:${ref.value}` : `unknown:${r.urn}#${path}`;
        if (!graph.items.has(id)) {
            graph.items.set(id, {
                id,
                kind: ref.value !== undefined && isSnapshotId(ref.value) ? "snapshot" : ref.value !== undefined && isImageId(ref.value) ? "image" : kind,
                resourceId: at(path, ref.value),
                region: at<string>("region", undefined),
                account: accountOf(r),
                // What the stack does not make, nothing declares: unless the id was unknown (made by something not judged).
                encryption: ref.unknown ? { kind: "unknown", path } : { kind: "undeclared", path },
                received: ref.value !== undefined && received.has(ref.value),
            });
        }
        return id;
    };
    const addItem = (r: RawResource, kind: ItemKind, encryption: EncryptionSource): void => {
        graph.items.set(r.urn, { id: r.urn, kind, resourceId: at<string>("id", undefined), region: regionOf(r), account: accountOf(r), encryption, received: false, origin: originOf(r) });
    };
    /** `encrypted: false`, said outright. */
    const declaredNone = (r: RawResource): EncryptionSource | undefined => (r.props.encrypted === false ? { kind: "none", path: "encrypted" } : undefined);
    const inherit = (from: string[], path: string, viaCopy = false): EncryptionSource =>
        from.length === 0 ? { kind: "undeclared", path } : ({ kind: "inherit", from, path, ...(viaCopy ? { viaCopy } : {}) } as EncryptionSource);

    const shareFor = (key: string, r: RawResource): ShareNode => {
        let s = graph.shares.get(key);
        if (s === undefined) {
            s = { id: key, method: "resourceShare", account: accountOf(r), region: regionOf(r), items: [], recipients: [], roleDependencies: new Set(), acknowledged: false };
            graph.shares.set(key, s);
        }
        return s;
    };
    /** The share roles a resource waits for (the role, or an attachment to it), by kind and by node. */
    const roleDependenciesOf = (r: RawResource, share: ShareNode): void => {
        for (const dep of r.dependencies) {
            const d = byUrn.get(dep);
            if (d === undefined) {
                continue;
            }
            const name = d.type === TYPES.role ? roleFields(d).roleName.value : d.type === TYPES.rolePolicyAttachment ? d.props.roleName : d.type === TYPES.resourceManagerPolicyAttachment ? d.props.principalName : undefined;
            const kind = shareRoleKind(name);
            if (kind === undefined) {
                continue;
            }
            share.roleDependencies.add(kind);
            const roleProp = d.type === TYPES.resourceManagerPolicyAttachment ? "principalName" : "roleName";
            const node = d.type === TYPES.role ? d.urn : referenceOf(d, roleProp, ROLE_TYPES, byUrn).node;
            if (node !== undefined) {
                ((share as { roleNodes?: Set<string> }).roleNodes ??= new Set()).add(node);
            }
        }
    };
    const shareKeyOf = (r: RawResource): string => {
        const ref = referenceOf(r, "resourceShareId", SHARE_TYPES, byUrn);
        if (ref.node !== undefined || ref.value !== undefined) {
            return ref.node ?? `share:${ref.value}`;
        }
        // An id unknown at preview from something else (a share of another stack, through a StackReference): the parts
        // whose id comes from the same resources are taken as one share (the stricter reading for limits).
        const from = [...(r.propertyDependencies.resourceShareId ?? [])].sort();
        return from.length > 0 ? `from:${from.join(",")}` : `unknown:${r.urn}`;
    };

    for (const r of resources) {
        switch (r.type) {
            case TYPES.kmsKey: {
                const status = firstProp(r.props, "status", "keyState");
                const enabled = r.props.isEnabled;
                graph.keys.set(r.urn, {
                    id: r.urn,
                    // A key's id is known once it is made; the audit's keys carry it in their ARN.
                    keyId: at("arn", parseKmsArn(r.props.arn)?.keyId),
                    region: regionOf(r),
                    account: accountOf(r),
                    deletionProtection: r.props.deletionProtection === undefined || r.props.deletionProtection === null ? at("deletionProtection", "Disabled") : locatedString("deletionProtection", r.props.deletionProtection),
                    status: status.value !== undefined ? locatedString(status.name, status.value) : enabled === false ? at("isEnabled", "Disabled") : at("status", "Enabled"),
                    origin: originOf(r),
                });
                break;
            }
            case TYPES.ecsDisk:
            case TYPES.disk: {
                const own = ownEncryption(r, "kmsKeyId", "encrypted");
                const snapshot = referenceOf(r, "snapshotId", SNAPSHOT_TYPES, byUrn);
                addItem(r, "disk", own ?? (snapshot.node !== undefined || snapshot.value !== undefined ? inherit([itemFor(snapshot, "snapshot", r, "snapshotId")], "snapshotId") : { kind: "none", path: "encrypted" }));
                break;
            }
            case TYPES.instance: {
                // An instance's disks: the system disk and each data disk, judged as the worst of them.
                const parts: string[] = [];
                const part = (suffix: string, encryption: EncryptionSource) => {
                    const id = `${r.urn}#${suffix}`;
                    graph.items.set(id, { id, kind: "disk", resourceId: at<string>(suffix, undefined), region: regionOf(r), account: accountOf(r), encryption, received: false, origin: originOf(r) });
                    parts.push(id);
                };
                part("systemDisk", ownEncryption(r, "systemDiskKmsKeyId", "systemDiskEncrypted") ?? { kind: "none", path: "systemDiskEncrypted" });
                (rawList(r.props.dataDisks) ?? []).forEach((d, i) => {
                    const disk = typeof d === "object" && d !== null ? (d as Record<string, unknown>) : {};
                    const paths = { keyPath: `dataDisks[${i}].kmsKeyId`, encryptedPath: `dataDisks[${i}].encrypted` };
                    part(`dataDisks[${i}]`, ownEncryption(r, "dataDisks", "dataDisks", { keyValue: disk.kmsKeyId, encrypted: disk.encrypted, ...paths }) ?? { kind: "none", path: paths.encryptedPath });
                });
                addItem(r, "disk", inherit(parts, "systemDiskEncrypted"));
                break;
            }
            case TYPES.ecsSnapshot:
            case TYPES.snapshot: {
                // Its own encryption when given (the audit reads it), else its disk's.
                const disk = referenceOf(r, "diskId", DISK_TYPES, byUrn);
                addItem(r, "snapshot", ownEncryption(r, "kmsKeyId", "encrypted") ?? declaredNone(r) ?? inherit(disk.node !== undefined || disk.value !== undefined || disk.unknown ? [itemFor(disk, "disk", r, "diskId")] : [], "diskId"));
                break;
            }
            case TYPES.image: {
                const sources: string[] = [];
                const snapshot = referenceOf(r, "snapshotId", SNAPSHOT_TYPES, byUrn);
                if (snapshot.node !== undefined || snapshot.value !== undefined || snapshot.unknown) {
                    sources.push(itemFor(snapshot, "snapshot", r, "snapshotId"));
                }
                // The mappings' snapshots: those of the stack their property depends on (all of them: which mapping each
                // is does not change the image's worst encryption), and the ids given as values.
                const mappings = rawList(r.props.diskDeviceMappings) ?? [];
                const madeSnapshots = (r.propertyDependencies.diskDeviceMappings ?? []).filter((u) => SNAPSHOT_TYPES.has(byUrn.get(u)?.type ?? ""));
                sources.push(...madeSnapshots);
                mappings.forEach((m, i) => {
                    const value = typeof m === "object" && m !== null ? (m as Record<string, unknown>).snapshotId : undefined;
                    if (value !== undefined && !(isUnknown(value) && madeSnapshots.length > 0)) {
                        sources.push(itemFor(referenceOf(r, "diskDeviceMappings", SNAPSHOT_TYPES, byUrn, value), "snapshot", r, `diskDeviceMappings[${i}].snapshotId`));
                    }
                });
                const instance = referenceOf(r, "instanceId", INSTANCE_TYPES, byUrn);
                if (instance.node !== undefined || instance.value !== undefined || instance.unknown) {
                    sources.push(itemFor(instance, "disk", r, "instanceId"));
                }
                addItem(r, "image", ownEncryption(r, "kmsKeyId", "encrypted") ?? declaredNone(r) ?? inherit(sources, "snapshotId"));
                break;
            }
            case TYPES.imageCopy:
            case TYPES.copyImage: {
                const source = referenceOf(r, "sourceImageId", IMAGE_TYPES, byUrn);
                addItem(r, "image", ownEncryption(r, "kmsKeyId", "encrypted") ?? inherit([itemFor(source, "image", r, "sourceImageId")], "encrypted", true));
                break;
            }
            case TYPES.resourceShare: {
                const s = shareFor(r.urn, r);
                // The share itself says whose and where it is, whichever of its parts came first.
                Object.assign(s, { account: accountOf(r), region: regionOf(r) });
                s.origin = originOf(r);
                s.acknowledged = isAcknowledgedTag(r.props.tags);
                s.declaredEncrypted = isEncryptedTag(r.props.tags);
                const external = r.props.allowExternalTargets;
                s.allowExternalTargets = at("allowExternalTargets", isUnknown(external) ? undefined : external === true);
                roleDependenciesOf(r, s);
                break;
            }
            case TYPES.sharedResource: {
                // A type unknown at preview: the kind of the resource its id comes from, else a snapshot (judged, not skipped).
                const source = (r.propertyDependencies.resourceId ?? []).map((u) => byUrn.get(u)?.type).find((t) => t !== undefined && (SNAPSHOT_TYPES.has(t) || IMAGE_TYPES.has(t)));
                const kind =
                    sharedResourceKind(r.props.resourceType, r.props.resourceId) ??
                    (isUnknown(r.props.resourceType) ? (source !== undefined && IMAGE_TYPES.has(source) ? "image" : "snapshot") : undefined);
                if (kind === undefined) {
                    // Another kind of shared resource (a VSwitch, a prefix list…): not this pack's concern.
                    break;
                }
                const s = shareFor(shareKeyOf(r), r);
                (s as { kind?: ResourceKind }).kind ??= kind;
                const ref = referenceOf(r, "resourceId", kind === "snapshot" ? SNAPSHOT_TYPES : IMAGE_TYPES, byUrn);
                s.items.push({ item: itemFor(ref, kind, r, "resourceId"), via: originOf(r), id: locatedString("resourceId", r.props.resourceId) });
                s.origin ??= originOf(r);
                roleDependenciesOf(r, s);
                break;
            }
            case TYPES.sharedTarget: {
                const s = shareFor(shareKeyOf(r), r);
                s.recipients.push({ value: locatedString("targetId", r.props.targetId), via: originOf(r) });
                s.origin ??= originOf(r);
                roleDependenciesOf(r, s);
                break;
            }
            case TYPES.imageSharePermission: {
                const ref = referenceOf(r, "imageId", IMAGE_TYPES, byUrn);
                const item = itemFor(ref, "image", r, "imageId");
                const key = `permission:${item}`;
                let s = graph.shares.get(key);
                if (s === undefined) {
                    s = { id: key, kind: "image", method: "imagePermission", account: accountOf(r), region: regionOf(r), items: [{ item, via: originOf(r), id: locatedString("imageId", r.props.imageId) }], recipients: [], roleDependencies: new Set(), acknowledged: false, origin: originOf(r) };
                    graph.shares.set(key, s);
                }
                s.recipients.push({ value: locatedString("accountId", r.props.accountId), via: originOf(r) });
                roleDependenciesOf(r, s);
                break;
            }
            case TYPES.role: {
                const { roleName, trust } = roleFields(r);
                const duration = r.props.maxSessionDuration;
                graph.roles.set(r.urn, {
                    id: r.urn,
                    kind: shareRoleKind(roleName.value),
                    name: roleName,
                    account: accountOf(r),
                    trust,
                    ...(duration === undefined || duration === null ? {} : { maxSessionDuration: at("maxSessionDuration", typeof duration === "number" ? duration : undefined) }),
                    declared: false,
                    origin: originOf(r),
                });
                break;
            }
            case TYPES.policy: {
                const name = firstProp(r.props, "policyName", "name");
                const document = firstProp(r.props, "policyDocument", "document");
                const keys = (r.propertyDependencies[document.name] ?? []).filter((u) => byUrn.get(u)?.type === TYPES.kmsKey);
                graph.policies.set(r.urn, {
                    id: r.urn,
                    name: locatedString(name.name, name.value),
                    account: accountOf(r),
                    document: at<unknown>(`${r.name}.${document.name}`, isUnknown(document.value) ? undefined : document.value),
                    keys,
                    origin: originOf(r),
                });
                break;
            }
            case TYPES.rolePolicyAttachment:
            case TYPES.resourceManagerPolicyAttachment: {
                const rm = r.type === TYPES.resourceManagerPolicyAttachment;
                if (rm && r.props.principalType !== "ServiceRole" && !isUnknown(r.props.principalType)) {
                    // Attached to a user or group: no role of this pack's.
                    break;
                }
                const roleProp = rm ? "principalName" : "roleName";
                const role = referenceOf(r, roleProp, ROLE_TYPES, byUrn);
                const policy = referenceOf(r, "policyName", POLICY_TYPES, byUrn);
                const type = r.props.policyType;
                graph.attachments.set(r.urn, {
                    id: r.urn,
                    account: accountOf(r),
                    role: { node: role.node, name: locatedString(roleProp, r.props[roleProp]) },
                    policy: { node: policy.node, name: locatedString("policyName", r.props.policyName), system: isUnknown(type) ? undefined : type === "System" },
                    origin: originOf(r),
                });
                break;
            }
        }
    }
    declareRoles(graph, settings.existingShareRoles ?? []);
    return graph;
}

/**
 * Share roles the stack names but does not make: a role named by an attachment (the seeds make the role in the
 * console and attach its policy by name), and the kinds configured as existing. Each becomes a declared role node in
 * its account, so its attached policies are judged and the shares of its account find it.
 */
function declareRoles(graph: SharingGraph, existing: readonly ResourceKind[]): void {
    const made = new Set<string>();
    for (const role of graph.roles.values()) {
        if (role.kind !== undefined) {
            made.add(`${role.account}|${role.kind}`);
        }
    }
    const declare = (kind: ResourceKind, account: AccountKey, name: Located<string>) => {
        const key = `${account}|${kind}`;
        if (!made.has(key)) {
            made.add(key);
            graph.roles.set(`declared:${key}`, { id: `declared:${key}`, kind, name, account, declared: true });
        }
    };
    for (const a of graph.attachments.values()) {
        const kind = shareRoleKind(a.role.name.value);
        if (kind !== undefined && a.role.node === undefined) {
            declare(kind, a.account, a.role.name);
        }
    }
    for (const kind of existing) {
        declare(kind, DEFAULT_ACCOUNT, at("existingShareRoles", SHARE_ROLE_NAME[kind]));
    }
}

/** An account key from a plain account id, for readers that know the owner. */
export { accountKey };
