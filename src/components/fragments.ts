/**
 * What a component's arguments add to the sharing graph, built as the pack's reader builds the same nodes from the
 * resources the component makes: items known by their id (`item:<id>`, as raw shares name them), keys by their id,
 * one share per region, the role with its trust and its KMS policy attached. Only plain values are read; a value
 * that is an output is unknown here, as it is to the pack at preview.
 */
import { KINDS, ResourceKind, SHARE_ROLE_NAME } from "../alibaba/names";
import { accountKey } from "../graph/accounts";
import { EncryptionSource, ItemNode, KeyNode, Origin, ShareNode } from "../graph/model";
import { Located, at } from "../intent/model";
import { isKmsKeyId, isRegionId } from "../alibaba/ids";
import { kmsSharePolicy, renderDocument } from "../ram/documents";
import { known, targetsOf, ShareTargetsArgs } from "./common";
import { Fragment, componentOrigin } from "./programGraph";

/** The arguments of a share that its fragment reads. */
export interface ShareFragmentArgs extends ShareTargetsArgs {
    readonly kmsKeyId?: unknown;
    readonly kmsKeyRegion?: unknown;
    readonly serviceKeyEncrypted?: boolean;
    readonly ownerAccountId?: unknown;
    readonly region?: unknown;
    readonly sharedWithThisAccount?: boolean;
    readonly unencryptedDataAcknowledged?: boolean;
}

/** What a share component shares, as its fragment needs it. */
export interface ShareFragmentSpec {
    readonly type: string;
    readonly kind: ResourceKind;
    readonly resourceIds: readonly unknown[];
    readonly args: ShareFragmentArgs;
    readonly method?: string;
    readonly copyToRegions?: readonly string[];
    readonly copyKeyIds?: Readonly<Record<string, unknown>>;
    /** The node of the role the share creates for itself, which it waits for. */
    readonly roleNode?: string;
}

const plain = (v: unknown): string | undefined => known(v as string);

/** A key node known by its id (as the pack names a key given by its id), or one of this component's while unknown. */
function keyNode(origin: Origin, keyId: unknown, path: string, region: Located<string>, account: string): KeyNode {
    const id = plain(keyId);
    return { id: id === undefined ? `${origin.urn}#${path}` : `key:${id}`, keyId: at(path, id), region, account };
}

/** The nodes a share component adds: its items (and copies), their keys, and one share per region. */
export function shareFragment(spec: ShareFragmentSpec, name: string, scope: string): Fragment {
    const origin = componentOrigin(spec.type, name, scope);
    const { args, kind } = spec;
    const account = accountKey(plain(args.ownerAccountId));
    const region = at<string>("region", plain(args.region));
    const keys: KeyNode[] = [];
    const items: ItemNode[] = [];
    const shares: ShareNode[] = [];
    const encrypted = args.kmsKeyId !== undefined && args.serviceKeyEncrypted !== true;
    let encryption: EncryptionSource;
    if (args.serviceKeyEncrypted === true) {
        encryption = { kind: "serviceKey", path: "serviceKeyEncrypted" };
    } else if (args.kmsKeyId !== undefined) {
        const key = keyNode(origin, args.kmsKeyId, "kmsKeyId", at("kmsKeyRegion", plain(args.kmsKeyRegion) ?? region.value), account);
        keys.push(key);
        encryption = { kind: "key", key: key.id, path: "kmsKeyId" };
    } else {
        encryption = { kind: "undeclared", path: "kmsKeyId" };
    }
    const resourcePath = KINDS[kind].component.idsArgument;
    // As the grants are made: by image permission, accounts get permissions and the directory and folders a resource share.
    const byPermission = spec.method === "imagePermission";
    const recipients = targetsOf(args);
    const grant = (id: string, method: ShareNode["method"], where: Located<string>, itemIds: readonly { item: string; id: Located<string> }[], to: typeof recipients): ShareNode => ({
        id,
        kind,
        method,
        account,
        region: where,
        items: itemIds.map((i) => ({ item: i.item, via: origin, id: i.id })),
        recipients: to.map((value) => ({ value, via: origin })),
        roleDependencies: new Set(encrypted ? [kind] : []),
        ...(spec.roleNode === undefined ? {} : { roleNodes: new Set([spec.roleNode]) }),
        acknowledged: !encrypted && args.serviceKeyEncrypted !== true && args.unencryptedDataAcknowledged === true,
        origin,
    });
    const share = (id: string, where: Located<string>, itemIds: readonly { item: string; id: Located<string> }[]): ShareNode[] => {
        if (!byPermission) {
            return [grant(id, "resourceShare", where, itemIds, recipients)];
        }
        const accounts = recipients.filter((r) => r.expected === "account");
        const others = recipients.filter((r) => r.expected !== "account");
        return [
            ...(accounts.length > 0 ? [grant(`${id}#permissions`, "imagePermission", where, itemIds, accounts)] : []),
            ...(others.length > 0 ? [grant(id, "resourceShare", where, itemIds, others)] : []),
        ];
    };
    const sources = spec.resourceIds.map((raw, i) => {
        const value = plain(raw);
        const located = at(`${resourcePath}[${i}]`, value);
        const id = value === undefined ? `${origin.urn}#${located.path}` : `item:${value}`;
        items.push({ id, kind, resourceId: located, region, account, encryption, received: args.sharedWithThisAccount === true });
        return { item: id, id: located };
    });
    shares.push(...share(`${origin.urn}#share`, region, sources));
    for (const copyRegion of spec.copyToRegions ?? []) {
        const where = at("copyToRegions", copyRegion);
        let copyEncryption: (source: string) => EncryptionSource;
        if (encrypted) {
            const key = keyNode(origin, spec.copyKeyIds?.[copyRegion], `copyKmsKeyIds.${copyRegion}`, where, account);
            keys.push(key);
            copyEncryption = () => ({ kind: "key", key: key.id, path: key.keyId.path });
        } else {
            copyEncryption = (source) => ({ kind: "inherit", from: [source], path: "encrypted", viaCopy: true });
        }
        const copies = sources.map((s, i) => {
            const id = `${origin.urn}#copy:${copyRegion}:${i}`;
            items.push({ id, kind, resourceId: at<string>(`imageIdsByRegion.${copyRegion}[${i}]`, undefined), region: where, account, encryption: copyEncryption(s.item), received: false, origin });
            return { item: id, id: at<string>(`imageIdsByRegion.${copyRegion}[${i}]`, undefined) };
        });
        shares.push(...share(`${origin.urn}#share:${copyRegion}`, where, copies));
    }
    return { keys, items, shares };
}

/** The arguments of a share role that its fragment reads. */
export interface RoleFragmentArgs {
    readonly ownerAccountId?: unknown;
    readonly kmsKeyId?: unknown;
    readonly kmsKeyRegion?: unknown;
    readonly additionalKmsKeys?: readonly { readonly keyId?: unknown; readonly region?: unknown }[];
}

/**
 * The account id the graph renders a role's KMS policy with while its owner is unknown (the provider's, known at deploy
 * time): the graph then matches the role's grants by key id and region (see `roleSubjects`). Never rendered into a
 * resource.
 */
const UNNAMED_OWNER = "0000000000000000";

/** The KMS policy the graph holds for a role: its grants on every key given as plain values, else unknown. */
function graphKmsPolicy(args: RoleFragmentArgs, regionOfKey: string | undefined): string | undefined {
    const owner = plain(args.ownerAccountId) ?? UNNAMED_OWNER;
    const keys = [
        { keyId: plain(args.kmsKeyId), region: plain(args.kmsKeyRegion) ?? regionOfKey },
        ...(Array.isArray(args.additionalKmsKeys) ? args.additionalKmsKeys : []).map((k) => ({ keyId: plain(k?.keyId), region: plain(k?.region) })),
    ];
    return keys.every((k): k is { keyId: string; region: string } => k.keyId !== undefined && k.region !== undefined && isKmsKeyId(k.keyId) && isRegionId(k.region))
        ? renderDocument(kmsSharePolicy(keys.map((k) => ({ ...k, ownerAccountId: owner }))))
        : undefined;
}

/** The nodes a share role adds: the role with its trust, its KMS policy (when every key is a plain value) and the attachment. */
export function roleFragment(name: string, scope: string, args: RoleFragmentArgs, plan: { kind: ResourceKind; trustPolicy: string; policyName: string }, regionOfKey?: string): Fragment {
    const origin = componentOrigin("EncryptedShareRole", name, scope);
    const account = accountKey(plain(args.ownerAccountId));
    const kmsPolicy = graphKmsPolicy(args, regionOfKey);
    const role = { id: `${origin.urn}#role`, kind: plan.kind, name: at("resourceKind", SHARE_ROLE_NAME[plan.kind]), account, trust: at<unknown>("trustPolicy", plan.trustPolicy), declared: false, origin };
    const policy = { id: `${origin.urn}#policy`, name: at("policyName", plan.policyName), account, document: at<unknown>("kmsKeyId", kmsPolicy), keys: [], origin };
    return {
        roles: [role],
        policies: [policy],
        attachments: [{ id: `${origin.urn}#attachment`, account, role: { node: role.id, name: role.name }, policy: { node: policy.id, name: policy.name, system: false }, origin }],
    };
}
