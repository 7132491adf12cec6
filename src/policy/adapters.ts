/** From one raw resource to the intents the rules judge. */
import { RESOURCE_KINDS, RESOURCE_SHARING_TYPE, ResourceKind, SHARED_SNAPSHOT_TAG, SHARE_ROLE_NAME } from "../alibaba/names";
import { Located, RoleIntent, at, partialShareIntent } from "../intent/model";
import { analyzeTrustPolicy } from "../ram/analyze";
import { Subject } from "./framework";
import { RawResource, firstProp, isUnknown, locatedString, rawList } from "./resources";
import { PolicySettings } from "./settings";

/** The kind of share role a role name is, when it is one of the two well-known names. */
export function shareRoleKind(name: unknown): ResourceKind | undefined {
    return RESOURCE_KINDS.find((k) => SHARE_ROLE_NAME[k] === name);
}

/** The kind of a Resource Sharing resource type, compared without case so a typo is still judged (C31). */
export function sharingKind(resourceType: unknown): ResourceKind | undefined {
    return typeof resourceType === "string" ? RESOURCE_KINDS.find((k) => RESOURCE_SHARING_TYPE[k].toLowerCase() === resourceType.toLowerCase()) : undefined;
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
 * A role as a share role, or undefined when it is none: a share role has a well-known name, or trusts ECS in some
 * account (`<uid>@ecs.aliyuncs.com`) or everywhere (`*@ecs.aliyuncs.com`): then it must have a well-known name (S4).
 */
export function roleIntentOf(role: RawResource): RoleIntent | undefined {
    const { roleName, trust } = roleFields(role);
    const kind = shareRoleKind(roleName.value);
    if (kind === undefined) {
        if (trust.value === undefined) {
            return undefined;
        }
        const analysis = analyzeTrustPolicy(trust.value);
        const trustsEcs = analysis.accountIds.length + analysis.directoryIds.length + analysis.folderPathPatterns.length > 0 ||
            analysis.openPrincipals.some((p) => p.endsWith("@ecs.aliyuncs.com"));
        if (!trustsEcs) {
            return undefined;
        }
    }
    const duration = role.props.maxSessionDuration;
    return {
        kind,
        roleName,
        trustPolicy: trust,
        maxSessionDuration: at("maxSessionDuration", typeof duration === "number" ? duration : undefined),
    };
}

/** ram.Role: the share role it is, if any. */
export function roleSubjects(role: RawResource): Subject[] {
    const intent = roleIntentOf(role);
    return intent === undefined ? [] : [{ kind: "role", subject: intent, urn: role.urn, name: role.name }];
}

/** ram.RolePolicyAttachment: a system policy on a share role. */
export function attachmentSubjects(attachment: RawResource): Subject[] {
    const kind = shareRoleKind(attachment.props.roleName);
    if (kind === undefined || attachment.props.policyType !== "System") {
        return [];
    }
    return [{
        kind: "role",
        subject: {
            kind,
            roleName: at("roleName", SHARE_ROLE_NAME[kind]),
            trustPolicy: at<unknown>("trustPolicy", undefined),
            systemPolicies: [locatedString("policyName", attachment.props.policyName)],
        },
        urn: attachment.urn,
        name: attachment.name,
    }];
}

/** The inline lists a resource share sets. */
function inlineLists(share: RawResource): string[] {
    return ["targets", "resources", "resourceArns"].filter((k) => {
        const list = rawList(share.props[k]);
        return isUnknown(share.props[k]) || (list !== undefined && list.length > 0);
    });
}

/** Resource Sharing resources: the share (name, inline lists), a shared resource (type, id), a target (principal). */
export function resourceSharingSubjects(resource: RawResource, settings: PolicySettings): Subject[] {
    const where = { urn: resource.urn, name: resource.name };
    switch (resource.type) {
        case "alicloud:resourcemanager/resourceShare:ResourceShare": {
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
        case "alicloud:resourcemanager/sharedResource:SharedResource": {
            const type = resource.props.resourceType;
            const kind = sharingKind(type);
            if (kind === undefined) {
                return [];
            }
            return [{
                kind: "share",
                subject: partialShareIntent(kind, { resources: [locatedString("resourceId", resource.props.resourceId)], resourceType: locatedString("resourceType", type) }),
                ...where,
            }];
        }
        case "alicloud:resourcemanager/sharedTarget:SharedTarget":
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
    }];
}


/** ecs.EcsDisk / ecs.Disk made from a snapshot shared with the account (C11). */
export function diskSubjects(disk: RawResource, settings: PolicySettings): Subject[] {
    const snapshotId = disk.props.snapshotId;
    const tags = disk.props.tags;
    const tagged = typeof tags === "object" && tags !== null && SHARED_SNAPSHOT_TAG in tags;
    const received = settings.receivedSnapshots.find((r) => r.snapshotId === snapshotId);
    if (!tagged && received === undefined) {
        return [];
    }
    const category = firstProp(disk.props, "category");
    const kmsKeyId = disk.props.kmsKeyId;
    return [{
        kind: "disk",
        subject: {
            snapshotId: locatedString("snapshotId", snapshotId),
            category: category.value === undefined ? at("category", "cloud_efficiency") : locatedString("category", category.value),
            sourceEncrypted: true,
            sourceKmsKeyId: received?.kmsKeyId === undefined ? undefined : at("receivedSnapshots.kmsKeyId", received.kmsKeyId),
            encrypted: at("encrypted", isUnknown(disk.props.encrypted) ? undefined : disk.props.encrypted === true),
            kmsKeyId: kmsKeyId === undefined || kmsKeyId === null ? undefined : locatedString("kmsKeyId", kmsKeyId),
        },
        urn: disk.urn,
        name: disk.name,
    }];
}

/** ecs.Image made from a snapshot shared with the account (C10). */
export function imageSourceSubjects(image: RawResource, settings: PolicySettings): Subject[] {
    const snapshotId = image.props.snapshotId;
    if (typeof snapshotId !== "string") {
        return [];
    }
    return [{
        kind: "imageSource",
        subject: { snapshotId: locatedString("snapshotId", snapshotId), sharedWithThisAccount: settings.receivedSnapshots.some((r) => r.snapshotId === snapshotId) },
        urn: image.urn,
        name: image.name,
    }];
}
