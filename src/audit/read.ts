/**
 * Reads what an account shares, read only: the caller's account, the regions (given, or every region the account has),
 * per region the shares it owns and receives and its shared custom images and snapshots, the two share roles, and the
 * KMS keys behind shared encrypted resources and in the share roles' grants. Requests run concurrently, bounded by
 * the context's limiter.
 */
import { parseKmsArn } from "../alibaba/arn";
import { sharedResourceKind } from "../policy/adapters";
import { isKmsKeyId, isRegionId, isSnapshotId } from "../alibaba/ids";
import { analyzePermissionPolicy } from "../ram/analyze";
import { AuditContext, mapAll } from "./clients";
import { describeImageSharePermission, describeOwnImages, describeRegions, describeSnapshots } from "./ecs";
import { describeKey } from "./kms";
import { AccountRead, LiveImage, LiveKey, LiveRole, LiveShare, LiveSnapshot, ReceivedShare, sharesInEffect } from "./model";
import { readShareRoles } from "./ram";
import { listOwnedShares, listReceivedShares, sharingRegions } from "./resourceSharing";
import { callerAccountId } from "./sts";

/**
 * Where Resource Sharing's own region list is asked: a region that offers it (the audit's home region may not, and a
 * regional endpoint that does not exist cannot answer).
 */
export const SHARING_REGIONS_ASKED_IN = "cn-hangzhou";

/** Whether a shared resource of a share is a snapshot or an image (by its exact type, else by its id). */
const kindOf = (r: LiveShare["resources"][number]) => sharedResourceKind(r.type, r.id);

/** The key id of a `KMSKeyId` (a key id, or a key ARN). */
const keyIdOf = (value: string): string => parseKmsArn(value)?.keyId ?? value;

interface RegionRead {
    readonly shares: LiveShare[];
    readonly received: ReceivedShare[];
    readonly images: LiveImage[];
    readonly snapshots: LiveSnapshot[];
}

/** Reads one region: its shares (when Resource Sharing is offered there), its shared images, and the snapshots they share. */
async function readRegion(ctx: AuditContext, region: string, withSharing: boolean): Promise<RegionRead> {
    const [shares, received, images] = await Promise.all([
        withSharing ? listOwnedShares(ctx, region) : Promise.resolve([]),
        withSharing ? listReceivedShares(ctx, region) : Promise.resolve([]),
        describeOwnImages(ctx, region).then((own) => mapAll(own, async (image) => ({ ...image, ...(await describeImageSharePermission(ctx, region, image.id)) }))),
    ]);
    const effective = sharesInEffect(shares);
    const sharedImageIds = new Set(effective.flatMap((s) => s.resources.filter((r) => kindOf(r) === "image").map((r) => r.id)));
    const sharedImages = images.filter((i) => i.accounts.length > 0 || i.groups.length > 0 || sharedImageIds.has(i.id));
    const snapshotIds = [...effective.flatMap((s) => s.resources.filter((r) => kindOf(r) === "snapshot").map((r) => r.id)), ...sharedImages.flatMap((i) => i.disks.map((d) => d.snapshotId))];
    const snapshots = snapshotIds.length === 0 ? [] : await describeSnapshots(ctx, region, snapshotIds);
    return { shares, received, images: sharedImages, snapshots };
}

/** The keys of this account a share role's custom policies grant, as region and key id. */
function keysGrantedToRoles(roles: readonly LiveRole[], accountId: string): { region: string; keyId: string }[] {
    return roles.flatMap((role) =>
        role.policies.flatMap((p) =>
            analyzePermissionPolicy(p.document ?? "{}").grants.flatMap((g) =>
                g.resources.flatMap((resource) => {
                    const arn = parseKmsArn(resource);
                    return arn?.keyId !== undefined && arn.ownerAccountId === accountId ? [{ region: arn.region, keyId: arn.keyId }] : [];
                }),
            ),
        ),
    );
}

/**
 * Reads the account. `regions` are the regions to audit; none means every region the account has (ECS
 * DescribeRegions, asked in the context's region). Resource Sharing is read in those of them where it is offered (its
 * own DescribeRegions, asked in {@link SHARING_REGIONS_ASKED_IN}).
 */
export async function readAccount(ctx: AuditContext, regions: readonly string[] = []): Promise<AccountRead> {
    const home = ctx.settings.region;
    const rolesRead = readShareRoles(ctx);
    // Not left unhandled if the regions fail first: awaited below.
    rolesRead.catch(() => undefined);
    const [accountId, accountRegions, offered] = await Promise.all([
        callerAccountId(ctx),
        regions.length > 0 ? Promise.resolve([...new Set(regions)]) : describeRegions(ctx, home).then((rs) => [...new Set(rs)].sort()),
        sharingRegions(ctx, SHARING_REGIONS_ASKED_IN),
    ]);
    const withSharing = accountRegions.filter((r) => offered.includes(r));
    const notes = accountRegions
        .filter((r) => !offered.includes(r))
        .map((r) => `Resource Sharing is not offered in ${r}: only its image share permissions were read there.`);
    const perRegion = await mapAll(accountRegions, (region) => readRegion(ctx, region, withSharing.includes(region)));
    const roles = await rolesRead;
    for (const share of perRegion.flatMap((r) => r.received)) {
        for (const r of share.resources.filter((r) => sharedResourceKind(r.type, r.id) === "snapshot" && !isSnapshotId(r.id))) {
            ctx.incomplete.push(`the share ${JSON.stringify(share.id)} received in ${share.region} names the snapshot ${JSON.stringify(r.id)}, which is not a snapshot id: not judged as received.`);
        }
    }
    const snapshots = perRegion.flatMap((r) => r.snapshots);
    const wanted = new Map<string, { region: string; keyId: string }>();
    for (const k of [...snapshots.filter((s) => s.kmsKeyId !== undefined).map((s) => ({ region: s.region, keyId: keyIdOf(s.kmsKeyId!) })), ...keysGrantedToRoles(roles, accountId)]) {
        wanted.set(`${k.region}|${k.keyId}`, k);
    }
    const valid = [...wanted.values()].filter((k) => {
        const ok = isKmsKeyId(k.keyId) && isRegionId(k.region);
        if (!ok) {
            ctx.incomplete.push(`the KMS key ${JSON.stringify(k.keyId)} in ${JSON.stringify(k.region)} (named by a shared snapshot or a share role's policy) is not a key id in a region id: the key was not read.`);
        }
        return ok;
    });
    const keys: LiveKey[] = await mapAll(valid.sort((a, b) => `${a.region}|${a.keyId}`.localeCompare(`${b.region}|${b.keyId}`)), (k) => describeKey(ctx, k.region, k.keyId));
    return {
        accountId,
        regions: accountRegions,
        sharingRegions: withSharing,
        shares: perRegion.flatMap((r) => r.shares),
        received: perRegion.flatMap((r) => r.received),
        images: perRegion.flatMap((r) => r.images),
        snapshots,
        roles,
        keys,
        notes,
        allRegions: regions.length === 0,
        incomplete: [...ctx.incomplete],
    };
}
