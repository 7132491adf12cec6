/** From one raw resource to the intents the rules judge. */
import { KINDS, RESOURCE_KINDS, RESOURCE_SHARING_TYPE, ResourceKind, SHARED_SNAPSHOT_TAG, SHARE_ROLE_NAME, sharedSnapshotTagValue } from "../alibaba/names";
import { Located, RoleIntent, at, partialShareIntent } from "../intent/model";
import { analyzeTrustPolicy } from "../ram/analyze";
import { Subject } from "./framework";
import { RawResource, TYPES, firstProp, isUnknown, locatedString, rawList } from "./resources";
import { PolicySettings } from "./settings";

/** The kind of share role a role name is, when it is one of the two well-known names. */
export function shareRoleKind(name: unknown): ResourceKind | undefined {
    return RESOURCE_KINDS.find((k) => SHARE_ROLE_NAME[k] === name);
}

/** The kind of a Resource Sharing resource type, when it is exactly one of the type strings (C31). */
export function sharingKind(resourceType: unknown): ResourceKind | undefined {
    return RESOURCE_KINDS.find((k) => RESOURCE_SHARING_TYPE[k] === resourceType);
}

/**
 * The kind of a shared resource: its exact type, else what its id looks like (`s-…`, `m-…`), else what its type
 * resembles, so a misspelt or missing type (C31) is still judged as the snapshot or image it shares. A missing type
 * with an id of no known shape is judged as a snapshot; another type (`VSwitch`, …) is not a snapshot or image at all.
 */
export function sharedResourceKind(resourceType: unknown, resourceId: unknown): ResourceKind | undefined {
    const exact = sharingKind(resourceType);
    if (exact !== undefined) {
        return exact;
    }
    const byId = RESOURCE_KINDS.find((k) => typeof resourceId === "string" && KINDS[k].id.test(resourceId));
    if (byId !== undefined) {
        return byId;
    }
    if (resourceType === undefined || resourceType === null) {
        return "snapshot";
    }
    const lower = typeof resourceType === "string" ? resourceType.toLowerCase() : "";
    return RESOURCE_KINDS.find((k) => lower.startsWith(k));
}

/** The owner of a resource: configured, or the `accountId` of its provider. */
export function ownerOf(resource: RawResource, settings: PolicySettings): Located<string> {
    if (settings.ownerAccountIds.length === 1) {
        return at("ownerAccountId", settings.ownerAccountIds[0]);
    }
    const fromProvider = resource.providerProps?.accountId;
    return typeof fromProvider === "string" && !isUnknown(fromProvider) ? at("provider.accountId", fromProvider) : at<string>("ownerAccountId", undefined);
}

/** The role's name and trust policy, under their current or deprecated property names. */
export function roleFields(role: RawResource): { roleName: Located<string>; trust: Located<unknown> } {
    const name = firstProp(role.props, "roleName", "name");
    const trust = firstProp(role.props, "assumeRolePolicyDocument", "document");
    return { roleName: locatedString(name.name, name.value), trust: at<unknown>(trust.name, isUnknown(trust.value) ? undefined : trust.value) };
}

/**
 * A role as a share role, or undefined when it is none: a share role has a well-known name, or names ECS's service in
 * its trust (`<uid>@ecs.aliyuncs.com`, `*@ecs.aliyuncs.com`, or any other form): then it must have a well-known name (S4).
 */
export function roleIntentOf(role: RawResource): RoleIntent | undefined {
    const { roleName, trust } = roleFields(role);
    const kind = shareRoleKind(roleName.value);
    const analysis = trust.value === undefined ? undefined : analyzeTrustPolicy(trust.value);
    const trustsEcs = analysis?.mentionsEcs;
    // A role whose name is unknown may be a share role: judged (and S6-reported), not skipped, when its trust is unknown
    // too or may admit ECS of any account (a wildcard principal).
    const unknowable = roleName.value === undefined && (analysis === undefined || analysis.mayAdmitAnyService);
    if (kind === undefined && trustsEcs !== true && !unknowable) {
        return undefined;
    }
    const duration = role.props.maxSessionDuration;
    return {
        kind,
        roleName,
        trustPolicy: trust,
        ...(duration === undefined || duration === null ? {} : { maxSessionDuration: at("maxSessionDuration", typeof duration === "number" ? duration : undefined) }),
    };
}

/** ram.Role: the share role it is, if any. */
export function roleSubjects(role: RawResource): Subject[] {
    const intent = roleIntentOf(role);
    return intent === undefined ? [] : [{ kind: "role", subject: intent, urn: role.urn, name: role.name, type: role.type }];
}

/**
 * ram.RolePolicyAttachment, or Resource Manager's PolicyAttachment to a role (`principalType: "ServiceRole"`): a system
 * policy on a share role (or on a role whose name is unknown, which may be one).
 */
export function attachmentSubjects(attachment: RawResource): Subject[] {
    if (attachment.type === TYPES.resourceManagerPolicyAttachment) {
        const principalType = attachment.props.principalType;
        if (principalType !== "ServiceRole" && !isUnknown(principalType)) {
            return [];
        }
    }
    const nameProp = attachment.type === TYPES.resourceManagerPolicyAttachment ? "principalName" : "roleName";
    const roleName = locatedString(nameProp, attachment.props[nameProp]);
    const kind = shareRoleKind(roleName.value);
    const system = attachment.props.policyType === "System" || isUnknown(attachment.props.policyType);
    if (!system || (kind === undefined && roleName.value !== undefined)) {
        return [];
    }
    return [{
        kind: "role",
        subject: { kind, roleName: kind === undefined ? roleName : at("roleName", SHARE_ROLE_NAME[kind]), systemPolicies: [locatedString("policyName", attachment.props.policyName)] },
        urn: attachment.urn,
        name: attachment.name,
        type: attachment.type,
    }];
}

/** The inline lists a resource share sets. */
function inlineLists(share: RawResource): string[] {
    return ["targets", "resources", "resourceArns"].filter((k) => {
        const list = rawList(share.props[k]);
        return isUnknown(share.props[k]) || (list !== undefined && list.length > 0);
    });
}

/** A raw resource type: unknown is `undefined`, absent is `""` (no type given, C31). */
function resourceTypeOf(value: unknown): Located<string> {
    return value === undefined || value === null ? at("resourceType", "") : locatedString("resourceType", value);
}

/** Resource Sharing resources: the share (name, inline lists), a shared resource (type, id, received), a target (principal). */
export function resourceSharingSubjects(resource: RawResource, settings: PolicySettings): Subject[] {
    const where = { urn: resource.urn, name: resource.name, type: resource.type };
    switch (resource.type) {
        case TYPES.resourceShare: {
            const targets = (rawList(resource.props.targets) ?? []).map((t, i) => locatedString(`targets[${i}]`, t));
            const name = firstProp(resource.props, "resourceShareName");
            return [{
                kind: "share",
                subject: partialShareIntent("snapshot", {
                    shareName: locatedString(name.name, name.value),
                    inlineLists: inlineLists(resource),
                    targets,
                    targetsAreSharingIds: true,
                    ownerAccountId: ownerOf(resource, settings),
                }),
                ...where,
            }];
        }
        case TYPES.sharedResource: {
            const type = resource.props.resourceType;
            const resourceId = resource.props.resourceId;
            // A type unknown at preview may be a snapshot's or an image's: judged (S6), not skipped.
            const kind = sharedResourceKind(type, resourceId) ?? (isUnknown(type) ? "snapshot" : undefined);
            if (kind === undefined) {
                return [];
            }
            const received = kind === "snapshot" && typeof resourceId === "string" && settings.receivedSnapshots.some((r) => r.snapshotId === resourceId);
            return [{
                kind: "share",
                subject: partialShareIntent(kind, {
                    resources: [locatedString("resourceId", resourceId)],
                    resourceType: resourceTypeOf(type),
                    sharedWithThisAccount: at("resourceId", received),
                }),
                ...where,
            }];
        }
        case TYPES.sharedTarget:
            return [{
                kind: "share",
                subject: partialShareIntent("snapshot", {
                    targets: [locatedString("targetId", resource.props.targetId)],
                    targetsAreSharingIds: true,
                    ownerAccountId: ownerOf(resource, settings),
                }),
                ...where,
            }];
        default:
            return [];
    }
}

/** ecs.ImageSharePermission: one image to one account. */
export function imagePermissionSubjects(permission: RawResource, settings: PolicySettings): Subject[] {
    return [{
        kind: "share",
        subject: partialShareIntent("image", {
            resources: [locatedString("imageId", permission.props.imageId)],
            targets: [locatedString("accountId", permission.props.accountId)],
            method: at("method", "imagePermission"),
            ownerAccountId: ownerOf(permission, settings),
        }),
        urn: permission.urn,
        name: permission.name,
        type: permission.type,
    }];
}

/**
 * ecs.EcsDisk / ecs.Disk made from a snapshot shared with the account (C11): one listed in `receivedSnapshots`, or
 * tagged by SharedSnapshotDisk. The snapshot's encryption comes from the config when it lists the snapshot, else from
 * the tag; unknown is judged as encrypted.
 */
export function diskSubjects(disk: RawResource, settings: PolicySettings): Subject[] {
    const snapshotId = disk.props.snapshotId;
    const tags = disk.props.tags;
    const tag = typeof tags === "object" && tags !== null ? (tags as Record<string, unknown>)[SHARED_SNAPSHOT_TAG] : undefined;
    const received = settings.receivedSnapshots.find((r) => r.snapshotId === snapshotId);
    if (tag === undefined && received === undefined) {
        return [];
    }
    const sourceEncrypted = received !== undefined ? at("receivedSnapshots.encrypted", received.encrypted !== false) : at("tags", tag !== sharedSnapshotTagValue(false));
    const category = firstProp(disk.props, "category");
    const kmsKeyId = disk.props.kmsKeyId;
    return [{
        kind: "disk",
        subject: {
            snapshotId: locatedString("snapshotId", snapshotId),
            category: category.value === undefined ? at("category", "cloud_efficiency") : locatedString("category", category.value),
            sourceEncrypted,
            sourceKmsKeyId: received?.kmsKeyId === undefined ? undefined : at("receivedSnapshots.kmsKeyId", received.kmsKeyId),
            encrypted: at("encrypted", isUnknown(disk.props.encrypted) ? undefined : disk.props.encrypted === true),
            kmsKeyId: kmsKeyId === undefined || kmsKeyId === null ? undefined : locatedString("kmsKeyId", kmsKeyId),
        },
        urn: disk.urn,
        name: disk.name,
        type: disk.type,
    }];
}

/** ecs.Instance data disks made from snapshots shared with the account (C11), each judged as a disk. */
export function instanceDiskSubjects(instance: RawResource, settings: PolicySettings): Subject[] {
    const disks = rawList(instance.props.dataDisks) ?? [];
    return disks.flatMap((d, i) => {
        if (typeof d !== "object" || d === null) {
            return [];
        }
        const disk = d as Record<string, unknown>;
        const received = settings.receivedSnapshots.find((r) => r.snapshotId === disk.snapshotId);
        if (received === undefined) {
            return [];
        }
        const at_ = (p: string) => `dataDisks[${i}].${p}`;
        return [{
            kind: "disk" as const,
            subject: {
                snapshotId: locatedString(at_("snapshotId"), disk.snapshotId),
                category: disk.category === undefined ? at(at_("category"), "cloud_efficiency") : locatedString(at_("category"), disk.category),
                sourceEncrypted: at("receivedSnapshots.encrypted", received.encrypted !== false),
                sourceKmsKeyId: received.kmsKeyId === undefined ? undefined : at("receivedSnapshots.kmsKeyId", received.kmsKeyId),
                encrypted: at(at_("encrypted"), isUnknown(disk.encrypted) ? undefined : disk.encrypted === true),
                kmsKeyId: disk.kmsKeyId === undefined || disk.kmsKeyId === null ? undefined : locatedString(at_("kmsKeyId"), disk.kmsKeyId),
            },
            urn: instance.urn,
            name: instance.name,
            type: instance.type,
        }];
    });
}

/** ecs.Image made from snapshots (its `snapshotId`, or the snapshots of its disk device mappings) shared with the account (C10). */
export function imageSourceSubjects(image: RawResource, settings: PolicySettings): Subject[] {
    // At preview only a resource of the stack makes a value unknown (a received snapshot is named by its id): an unknown
    // snapshot id is the stack's own, not received from another account, and not judged.
    const mappings = rawList(image.props.diskDeviceMappings) ?? [];
    const sources: Located<string>[] = [
        ...(image.props.snapshotId === undefined ? [] : [locatedString("snapshotId", image.props.snapshotId)]),
        ...mappings.flatMap((m, i) =>
            typeof m === "object" && m !== null && (m as Record<string, unknown>).snapshotId !== undefined ? [locatedString(`diskDeviceMappings[${i}].snapshotId`, (m as Record<string, unknown>).snapshotId)] : [],
        ),
    ].filter((s) => s.value !== undefined);
    return sources.map((snapshotId) => ({
        kind: "imageSource" as const,
        subject: { snapshotId, sharedWithThisAccount: settings.receivedSnapshots.some((r) => r.snapshotId === snapshotId.value) },
        urn: image.urn,
        name: image.name,
        type: image.type,
    }));
}
