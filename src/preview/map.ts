/** The sharing map: who gets what, from the stack view of the captured resources. */
import { parseKmsArn } from "../alibaba/arn";
import { isAccountId, isFolderId, isResourceDirectoryId, isRootFolderId } from "../alibaba/ids";
import { RESOURCE_KINDS } from "../alibaba/names";
import { analyzePermissionPolicy, analyzeTrustPolicy } from "../ram/analyze";
import { roleFields } from "../policy/adapters";
import { encryptionOf, regionOf, stackView } from "../policy/stack";
import { RawResource } from "../policy/resources";

export interface MapRecipient {
    readonly id: string;
    readonly kind: "account" | "directory" | "folder" | "root folder" | "unknown";
}

export interface MapShare {
    /** The resource share's name, or the image permissions' image. */
    readonly name: string;
    readonly via: "resource share" | "image permission";
    readonly kind: string;
    readonly region: string;
    /** `customer key <id>`, `customer key (through the share role)`, `service key` or `none`. */
    readonly encryption: string;
    readonly resources: readonly string[];
    readonly recipients: readonly MapRecipient[];
}

export interface MapRole {
    readonly name: string;
    readonly trusts: readonly string[];
    readonly keys: readonly string[];
}

export interface SharingMap {
    readonly owner: string;
    readonly shares: readonly MapShare[];
    readonly roles: readonly MapRole[];
}

function recipient(id: string | undefined): MapRecipient {
    if (id === undefined) {
        return { id: "(unknown)", kind: "unknown" };
    }
    const kind = isAccountId(id) ? "account" : isResourceDirectoryId(id) ? "directory" : isFolderId(id) ? "folder" : isRootFolderId(id) ? "root folder" : "unknown";
    return { id, kind };
}

const shown = (value: string | undefined, fallback: string): string => value ?? fallback;

/** Draws the map of a program's resources. */
export function sharingMap(resources: readonly RawResource[], owner: string, defaultRegion: string): SharingMap {
    const view = stackView(resources);
    const shares: MapShare[] = [];
    for (const share of view.shares) {
        const kind = share.kind;
        const dependsOnRole = kind !== undefined && share.roleDependencies.has(kind);
        const encryptions = share.items.map((item) => encryptionOf(item, dependsOnRole));
        const encryption = encryptions.find((e) => e.kind !== "none") ?? { kind: "none" as const };
        shares.push({
            name: shown(typeof share.share?.props.resourceShareName === "string" ? share.share.props.resourceShareName : undefined, share.share?.name ?? share.key),
            via: "resource share",
            kind: kind ?? "resource",
            region: regionOf(share.share ?? share.items[0]?.via).value ?? defaultRegion,
            encryption:
                encryption.kind === "customerKey"
                    ? `customer key ${encryption.keyId.value ?? "(through the share role)"}`
                    : encryption.kind === "serviceKey"
                      ? "service key"
                      : "none",
            resources: share.items.map((i) => i.id.value ?? `(from ${i.source?.name ?? "unknown"})`),
            recipients: share.targets.map((t) => recipient(t.value.value)),
        });
    }
    for (const { item, accounts, roleDependency } of view.permissions.values()) {
        const encryption = encryptionOf(item, roleDependency);
        shares.push({
            name: item.id.value ?? item.source?.name ?? item.key,
            via: "image permission",
            kind: "image",
            region: regionOf(item.via).value ?? defaultRegion,
            encryption: encryption.kind === "customerKey" ? (encryption.keyId.value === undefined ? "customer key (through the share role)" : `customer key ${encryption.keyId.value}`) : encryption.kind === "serviceKey" ? "service key" : "none",
            resources: [item.id.value ?? `(from ${item.source?.name ?? "unknown"})`],
            recipients: accounts.map((a) => recipient(a.value.value)),
        });
    }
    const roles: MapRole[] = [];
    for (const kind of RESOURCE_KINDS) {
        for (const role of view.roles.get(kind) ?? []) {
            const trust = analyzeTrustPolicy(roleFields(role).trust.value);
            const keys = view
                .attachedPolicies(role)
                .flatMap((p) => analyzePermissionPolicy(p.props.policyDocument ?? p.props.document).grants.flatMap((g) => g.resources.filter((r) => parseKmsArn(r)?.keyId !== undefined)));
            roles.push({ name: roleFields(role).roleName.value ?? role.name, trusts: [...trust.accountIds, ...trust.conditionalAccounts.map((c) => `${c.accountId} (under a directory condition)`), ...trust.directoryIds, ...trust.folderPathPatterns, ...(trust.unsafe.length > 0 ? ["(not provably safe)"] : [])], keys: [...new Set(keys)] });
        }
    }
    return { owner, shares, roles };
}
