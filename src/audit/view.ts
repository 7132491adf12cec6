/**
 * What was read, as the raw-resource view the policy pack judges: each live object as the `@pulumi/alicloud` resource
 * that would make it, with its props under that resource's names, its provider's `region` and `accountId`, and the
 * property dependencies a stack would have (shared resources and targets on their share, permissions on their image,
 * attachments on their role and policy, sources and policies on their keys), so that the pack's policies judge a live
 * account exactly as they judge a stack. Every value is a plain, known value.
 */
import { parseKmsArn } from "../alibaba/arn";
import { isAccountId, isSnapshotId } from "../alibaba/ids";
import { RESOURCE_KINDS, ResourceKind, SHARE_ROLE_NAME } from "../alibaba/names";
import { TYPES } from "../alibaba/resourceTypes";
import { sharedResourceKind } from "../policy/adapters";
import { analyzePermissionPolicy } from "../ram/analyze";
import type { PolicyConfig } from "./judge";
import { AccountRead, LiveSnapshot, sharesInEffect } from "./model";

/** A live object as a raw resource: a `TestResource` for `runPolicies` and a `RawResource` for the stack view and the map. */
export interface AuditResource {
    readonly type: string;
    /** The object's natural id: `rs-…`, `rs-…/<resource or target>`, `m-…/<account>`, `key-…`, the role or policy name… */
    readonly name: string;
    /** `urn:pulumi:audit::<account>::<type>::<name>` */
    readonly urn: string;
    readonly props: Record<string, unknown>;
    /** `{ region, accountId }` (RAM is global: `{ accountId }`). */
    readonly providerProps: Record<string, unknown>;
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    /**
     * When what it makes was made, as the API answers it (`YYYY-MM-DDTHH:MM:SSZ`): a share's target or resource (the
     * association's `CreateTime`), an image's share permission (`SharedTime`). Not a prop: no resource has it as an input.
     */
    readonly since?: string;
}

/** The URN of a live object in the view. */
export const auditUrn = (accountId: string, type: string, name: string): string => `urn:pulumi:audit::${accountId}::${type}::${name}`;

const NONE: string[] = Object.freeze([]) as unknown as string[];
const NO_PROPERTY_DEPENDENCIES: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;

/** Builds the view of an account. */
export function auditView(read: AccountRead): AuditResource[] {
    // Only what shares is judged: a share being deleted, a failed or leaving association are shown, not judged.
    const shares = sharesInEffect(read.shares);
    const out: AuditResource[] = [];
    const byUrn = new Set<string>();
    // One provider per region (and one for RAM), as a stack has: shared by its resources, never changed.
    const providers = new Map<string, Record<string, unknown>>();
    const providerOf = (region: string | undefined): Record<string, unknown> => {
        let provider = providers.get(region ?? "");
        if (provider === undefined) {
            provider = Object.freeze(region === undefined ? { accountId: read.accountId } : { region, accountId: read.accountId });
            providers.set(region ?? "", provider);
        }
        return provider;
    };
    const add = (
        type: string,
        name: string,
        region: string | undefined,
        props: Record<string, unknown>,
        dependencies: string[] = NONE,
        propertyDependencies: Record<string, string[]> = NO_PROPERTY_DEPENDENCIES,
        since?: string,
    ): string => {
        const urn = auditUrn(read.accountId, type, name);
        if (!byUrn.has(urn)) {
            byUrn.add(urn);
            // Undefined values are left out, as the engine leaves them out.
            const defined: Record<string, unknown> = {};
            for (const key in props) {
                if (props[key] !== undefined) {
                    defined[key] = props[key];
                }
            }
            out.push({ type, name, urn, props: defined, providerProps: providerOf(region), dependencies, propertyDependencies, ...(since === undefined ? {} : { since }) });
        }
        return urn;
    };

    // Keys: named by their id (the pack names a key by its resource's name).
    const keyUrns = new Map<string, string>();
    for (const k of read.keys) {
        keyUrns.set(k.id, add(TYPES.kmsKey, k.id, k.region, { deletionProtection: k.deletionProtection, status: k.state, arn: k.arn }));
    }
    const keyDeps = (keyId: string | undefined): Record<string, string[]> => (keyId !== undefined && keyUrns.has(keyId) ? { kmsKeyId: [keyUrns.get(keyId)!] } : {});

    // Share roles, their custom policies (depending on the keys they grant) and their attachments.
    const roleUrns = new Map<ResourceKind, string>();
    const policyUrns = new Map<string, string>();
    for (const role of read.roles) {
        const roleUrn = add(TYPES.role, role.name, undefined, { roleName: role.name, assumeRolePolicyDocument: role.document, maxSessionDuration: role.maxSessionDuration, description: role.description });
        const kind = RESOURCE_KINDS.find((k) => SHARE_ROLE_NAME[k] === role.name);
        if (kind !== undefined) {
            roleUrns.set(kind, roleUrn);
        }
        for (const p of role.policies) {
            let policyUrn: string | undefined;
            if (p.type === "Custom") {
                const granted = analyzePermissionPolicy(p.document ?? "{}")
                    .grants.flatMap((g) => g.resources.map((r) => parseKmsArn(r)))
                    .filter((arn) => arn?.keyId !== undefined && arn.ownerAccountId === read.accountId && keyUrns.has(arn.keyId))
                    .map((arn) => keyUrns.get(arn!.keyId!)!);
                policyUrn =
                    policyUrns.get(p.name) ??
                    add(TYPES.policy, p.name, undefined, { policyName: p.name, policyDocument: p.document, defaultVersion: p.defaultVersion }, [], granted.length === 0 ? {} : { policyDocument: [...new Set(granted)] });
                policyUrns.set(p.name, policyUrn);
            }
            add(TYPES.rolePolicyAttachment, `${role.name}/${p.type}/${p.name}`, undefined, { roleName: role.name, policyName: p.name, policyType: p.type }, [roleUrn], {
                roleName: [roleUrn],
                ...(policyUrn === undefined ? {} : { policyName: [policyUrn] }),
            });
        }
    }

    // The snapshots resource shares share, with their key.
    const snapshots = new Map<string, LiveSnapshot>(read.snapshots.map((s) => [s.id, s]));
    const sharedSnapshotIds = new Set(shares.flatMap((s) => s.resources.filter((r) => sharedResourceKind(r.type, r.id) === "snapshot").map((r) => r.id)));
    const snapshotUrns = new Map<string, string>();
    for (const s of read.snapshots.filter((s) => sharedSnapshotIds.has(s.id))) {
        snapshotUrns.set(s.id, add(TYPES.ecsSnapshot, s.id, s.region, { snapshotName: s.name, status: s.status, encrypted: s.encrypted, kmsKeyId: s.kmsKeyId }, [], keyDeps(s.kmsKeyId)));
    }

    // Shared custom images, with the key of their disks' snapshots.
    const imageUrns = new Map<string, string>();
    for (const image of read.images) {
        const disks = image.disks.map((d) => snapshots.get(d.snapshotId)).filter((s): s is LiveSnapshot => s !== undefined);
        const kmsKeyId = disks.find((s) => s.kmsKeyId !== undefined)?.kmsKeyId;
        imageUrns.set(
            image.id,
            add(
                TYPES.image,
                image.id,
                image.region,
                {
                    imageName: image.name,
                    status: image.status,
                    diskDeviceMappings: image.disks.map((d) => ({
                        snapshotId: d.snapshotId,
                        ...(d.type === undefined ? {} : { diskType: d.type }),
                        ...(d.size === undefined || Number.isNaN(Number(d.size)) ? {} : { size: Number(d.size) }),
                    })),
                    encrypted: disks.some((s) => s.encrypted),
                    kmsKeyId,
                },
                [],
                keyDeps(kmsKeyId),
            ),
        );
    }

    // Resource shares, each shared resource and target on its share. A shared snapshot encrypted with a customer key
    // depends on the snapshot share role, as a component's shares wait for it.
    for (const share of shares) {
        const shareUrn = add(TYPES.resourceShare, share.id, share.region, { resourceShareName: share.name, allowExternalTargets: share.allowExternalTargets, status: share.status });
        for (const r of share.resources) {
            const kind = sharedResourceKind(r.type, r.id);
            const source = kind === "snapshot" ? snapshotUrns.get(r.id) : kind === "image" ? imageUrns.get(r.id) : undefined;
            const snapshot = kind === "snapshot" ? snapshots.get(r.id) : undefined;
            const role = snapshot?.kmsKeyId !== undefined ? roleUrns.get("snapshot") : undefined;
            add(
                TYPES.sharedResource,
                `${share.id}/${r.id}`,
                share.region,
                { resourceShareId: share.id, resourceId: r.id, resourceType: r.type, status: r.status },
                role === undefined ? [] : [role],
                { resourceShareId: [shareUrn], ...(source === undefined ? {} : { resourceId: [source] }) },
                r.since,
            );
        }
        // The targets of a share have one dependency, on it: one object for all (nothing changes it).
        const onShare = { resourceShareId: [shareUrn] };
        for (const t of share.targets) {
            add(TYPES.sharedTarget, `${share.id}/${t.id}`, share.region, { resourceShareId: share.id, targetId: t.id, status: t.status }, NONE, onShare, t.since);
        }
    }

    // Image share permissions, each on its image; a share group (`all`) is a permission to that group.
    for (const image of read.images) {
        const onImage = { imageId: [imageUrns.get(image.id)!] };
        for (const accountId of [...image.accounts, ...image.groups]) {
            add(TYPES.imageSharePermission, `${image.id}/${accountId}`, image.region, { imageId: image.id, accountId }, NONE, onImage, image.sharedSince?.get(accountId));
        }
    }
    return out;
}

/** The policies that read `resourceDirectoryAccountIds` (C30, C13). */
const DIRECTORY_MEMBER_POLICIES = ["sharing-share-contents"];

/**
 * The policy config with the accounts the API reports as members of the owner's resource directory (share targets
 * with `External: false`) added to `resourceDirectoryAccountIds`, besides those the config lists: the API's own word
 * on who is a member is not overruled by a config that does not list them. With `isMember` (the directory, read
 * whole), only the accounts it holds are added: an answer that contradicts the directory's own list is not trusted.
 */
export function withDirectoryMembers(config: PolicyConfig, read: AccountRead, isMember: (accountId: string) => boolean = () => true): PolicyConfig {
    const members = [...new Set(read.shares.flatMap((s) => s.targets.filter((t) => t.external === false && isAccountId(t.id) && isMember(t.id)).map((t) => t.id)))];
    if (members.length === 0) {
        return config;
    }
    const out: PolicyConfig = { ...config };
    for (const policy of DIRECTORY_MEMBER_POLICIES) {
        const own = (config[policy] ?? {}) as Record<string, unknown>;
        const listed = Array.isArray(own.resourceDirectoryAccountIds) ? (own.resourceDirectoryAccountIds as unknown[]) : [];
        out[policy] = { ...own, resourceDirectoryAccountIds: [...listed, ...members.filter((m) => !listed.includes(m))] };
    }
    return out;
}

/** The policies that read `receivedSnapshots` (C10, C11). */
export const RECEIVED_SNAPSHOT_POLICY_NAMES: readonly string[] = ["sharing-resource-share", "sharing-sharee-disk"];
const RECEIVED_SNAPSHOT_POLICIES = RECEIVED_SNAPSHOT_POLICY_NAMES;

/**
 * The policy config with the snapshots other accounts share with this one added to `receivedSnapshots` (as the pack's
 * settings ask them to be listed), besides those the config lists already.
 */
export function withReceivedSnapshots(config: PolicyConfig, read: AccountRead): PolicyConfig {
    // Ids that are not snapshot ids are the API's, not the config's: reported by the read, never put in the config.
    const received = read.received.flatMap((s) => s.resources.filter((r) => sharedResourceKind(r.type, r.id) === "snapshot" && isSnapshotId(r.id)).map((r) => r.id));
    if (received.length === 0) {
        return config;
    }
    const out: PolicyConfig = { ...config };
    for (const policy of RECEIVED_SNAPSHOT_POLICIES) {
        const own = (config[policy] ?? {}) as Record<string, unknown>;
        const listed = Array.isArray(own.receivedSnapshots) ? (own.receivedSnapshots as { snapshotId?: unknown }[]) : [];
        const known = new Set(listed.map((r) => r.snapshotId));
        out[policy] = { ...own, receivedSnapshots: [...listed, ...[...new Set(received)].filter((id) => !known.has(id)).map((snapshotId) => ({ snapshotId }))] };
    }
    return out;
}
