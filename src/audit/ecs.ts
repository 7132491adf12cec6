/** ECS through Alibaba's official SDK (`@alicloud/ecs20140526`), read only: regions, custom images and their share permissions, snapshots. */
import * as ecsModels from "@alicloud/ecs20140526";
import { isImageId, isRegionId, isSnapshotId } from "../alibaba/ids";
import { withRetries } from "../sdk/errors";
import { readAllPages } from "../sdk/paging";
import { listOf, malformedAnswer, utcTimeOf } from "../sdk/answers";
import { AuditContext, mapAll } from "./clients";
import { LiveImage, LiveSnapshot } from "./model";

/** The largest page the ECS APIs return. */
const PAGE_SIZE = 100;
/** The most snapshot ids one DescribeSnapshots takes. */
const SNAPSHOT_IDS_PER_CALL = 100;
/** Every image state: a deprecated or unavailable image can still be shared. */
const IMAGE_STATES = "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated";

/** Every item of a PageNumber list, through the paging helper (which refuses a list whose pages do not add up). */
function allPages<T>(ctx: AuditContext, action: string, resource: string, key: (item: T) => string, fetch: (pageNumber: number) => Promise<{ items: readonly T[]; total?: number; requestId?: string }>): Promise<T[]> {
    return readAllPages<T>({
        action,
        resource,
        style: "number",
        pageSize: PAGE_SIZE,
        maxPages: ctx.maxPages,
        key,
        onPage: (n) => ctx.itemsRead(n),
        fetch: async ({ number }) => {
            const { items, total, requestId } = await fetch(number);
            return { items, totalCount: total, requestId };
        },
    });
}

/** The regions of the account (DescribeRegions), asked in one region; ids that are not region ids are reported, not used. */
export async function describeRegions(ctx: AuditContext, region: string): Promise<string[]> {
    const client = ctx.ecs(region);
    const resource = `ECS regions (asked in ${region})`;
    const response = await withRetries("DescribeRegions", resource, ctx.settings, () => client.describeRegions(new ecsModels.DescribeRegionsRequest({})));
    const listed = listOf(response.body?.regions?.region, "Regions.Region", "DescribeRegions", resource, response.body?.requestId);
    // Every account has regions (the one asked in, at least): an empty list would read as an account of nothing.
    if (listed.length === 0) {
        throw malformedAnswer("DescribeRegions", resource, "the answer listed no region, though it was asked in one", response.body?.requestId);
    }
    const ids = listed.map((r) => r.regionId);
    for (const bad of ids.filter((r) => !isRegionId(r))) {
        ctx.incomplete.push(`ECS DescribeRegions named ${JSON.stringify(bad) ?? "nothing"}, which is not a region id: that region was not read.`);
    }
    return ids.filter(isRegionId);
}

/** The account's own custom images in a region, in every state, with their disks (every page). */
export async function describeOwnImages(ctx: AuditContext, region: string): Promise<Omit<LiveImage, "accounts" | "groups">[]> {
    const client = ctx.ecs(region);
    const images = await allPages(ctx, "DescribeImages", `custom images of ${region}`, (i: { imageId?: string }) => i.imageId ?? "(no id)", async (pageNumber) => {
        const response = await withRetries("DescribeImages", `custom images of ${region} (page ${pageNumber})`, ctx.settings, () =>
            client.describeImages(new ecsModels.DescribeImagesRequest({ regionId: region, imageOwnerAlias: "self", status: IMAGE_STATES, pageNumber, pageSize: PAGE_SIZE })),
        );
        return { items: listOf(response.body?.images?.image, "Images.Image", "DescribeImages", `custom images of ${region} (page ${pageNumber})`, response.body?.requestId), total: response.body?.totalCount, requestId: response.body?.requestId };
    });
    for (const bad of images.filter((i) => !isImageId(i.imageId))) {
        ctx.incomplete.push(`ECS DescribeImages in ${region} named the image ${JSON.stringify(bad.imageId) ?? "(no id)"}, which is not an image id: its share permissions were not read.`);
    }
    return images
        .filter((i) => isImageId(i.imageId))
        .map((i) => ({
            id: i.imageId!,
            name: i.imageName,
            region,
            status: i.status,
            disks: (i.diskDeviceMappings?.diskDeviceMapping ?? [])
                .filter((d) => typeof d.snapshotId === "string" && d.snapshotId !== "")
                .map((d) => ({ snapshotId: d.snapshotId!, size: d.size, type: d.type })),
        }));
}

/** Whom an image is shared with through share permissions: accounts (and since when, when the answer says) and share groups (every page). */
export async function describeImageSharePermission(ctx: AuditContext, region: string, imageId: string): Promise<{ accounts: string[]; sharedSince: Map<string, string>; groups: string[] }> {
    const client = ctx.ecs(region);
    const groups = new Set<string>();
    const granted = await allPages(ctx, "DescribeImageSharePermission", `image ${imageId} (${region})`, (a: { id: string }) => a.id, async (pageNumber) => {
        const response = await withRetries("DescribeImageSharePermission", `image ${imageId} (${region}, page ${pageNumber})`, ctx.settings, () =>
            client.describeImageSharePermission(new ecsModels.DescribeImageSharePermissionRequest({ regionId: region, imageId, pageNumber, pageSize: PAGE_SIZE })),
        );
        (response.body?.shareGroups?.shareGroup ?? []).forEach((g) => g.group && groups.add(g.group));
        const items = listOf(response.body?.accounts?.account, "Accounts.Account", "DescribeImageSharePermission", `image ${imageId} (${region}, page ${pageNumber})`, response.body?.requestId).map((a) => ({
            id: typeof a.aliyunId === "string" ? a.aliyunId : "",
            since: utcTimeOf(a.sharedTime),
        }));
        return { items, total: response.body?.totalCount, requestId: response.body?.requestId };
    });
    const accounts = granted.filter((a) => a.id !== "");
    const sharedSince = new Map(accounts.filter((a) => a.since !== undefined).map((a) => [a.id, a.since!]));
    return { accounts: accounts.map((a) => a.id), sharedSince, groups: [...groups].sort() };
}

/**
 * The given snapshots of a region (ids that no longer exist are left out), 100 ids a call, every page. Ids that are
 * not snapshot ids are reported, not asked for.
 */
export async function describeSnapshots(ctx: AuditContext, region: string, snapshotIds: readonly string[]): Promise<LiveSnapshot[]> {
    const client = ctx.ecs(region);
    const ids = [...new Set(snapshotIds)];
    for (const bad of ids.filter((id) => !isSnapshotId(id))) {
        ctx.incomplete.push(`the snapshot id ${JSON.stringify(bad)} (in ${region}) is not a snapshot id: the snapshot was not read.`);
    }
    const valid = ids.filter(isSnapshotId);
    const chunks: string[][] = [];
    for (let i = 0; i < valid.length; i += SNAPSHOT_IDS_PER_CALL) {
        chunks.push(valid.slice(i, i + SNAPSHOT_IDS_PER_CALL));
    }
    const found = await mapAll(chunks, (chunk) =>
        allPages(ctx, "DescribeSnapshots", `${chunk.length} snapshots of ${region} (${chunk[0]}…)`, (s: LiveSnapshot) => s.id, async (pageNumber) => {
            const response = await withRetries("DescribeSnapshots", `${chunk.length} snapshots of ${region} (${chunk[0]}…, page ${pageNumber})`, ctx.settings, () =>
                client.describeSnapshots(new ecsModels.DescribeSnapshotsRequest({ regionId: region, snapshotIds: JSON.stringify(chunk), pageNumber, pageSize: PAGE_SIZE })),
            );
            const items = listOf(response.body?.snapshots?.snapshot, "Snapshots.Snapshot", "DescribeSnapshots", `${chunk.length} snapshots of ${region} (${chunk[0]}…, page ${pageNumber})`, response.body?.requestId)
                .filter((s) => typeof s.snapshotId === "string")
                .map((s) => ({
                    id: s.snapshotId!,
                    name: s.snapshotName || undefined,
                    region,
                    status: s.status,
                    encrypted: s.encrypted === true,
                    kmsKeyId: s.KMSKeyId || undefined,
                }));
            return { items, total: response.body?.totalCount, requestId: response.body?.requestId };
        }),
    );
    return found.flat();
}

/** A disk created from a snapshot (DescribeDisks by `SnapshotId`). */
export interface LiveDisk {
    readonly id: string;
    readonly region: string;
    readonly snapshotId: string;
    readonly instanceId?: string;
    readonly category?: string;
}

/** An instance that runs an image (DescribeInstances by `ImageId`). */
export interface LiveInstance {
    readonly id: string;
    readonly region: string;
    readonly imageId: string;
    readonly name?: string;
    readonly status?: string;
}

/** The disks of a region created from a snapshot (every page). */
export async function describeDisksFromSnapshot(ctx: AuditContext, region: string, snapshotId: string): Promise<LiveDisk[]> {
    const client = ctx.ecs(region);
    const disks = await allPages(ctx, "DescribeDisks", `disks from ${snapshotId} (${region})`, (d: { diskId?: string }) => d.diskId ?? "(no id)", async (pageNumber) => {
        const response = await withRetries("DescribeDisks", `disks from ${snapshotId} (${region}, page ${pageNumber})`, ctx.settings, () =>
            client.describeDisks(new ecsModels.DescribeDisksRequest({ regionId: region, snapshotId, pageNumber, pageSize: PAGE_SIZE })),
        );
        return { items: listOf(response.body?.disks?.disk, "Disks.Disk", "DescribeDisks", `disks from ${snapshotId} (${region}, page ${pageNumber})`, response.body?.requestId), total: response.body?.totalCount, requestId: response.body?.requestId };
    });
    // Only what the filter asked for: a disk of another snapshot is the service's mistake, not a disk to lose.
    return disks
        .filter((d) => typeof d.diskId === "string" && d.diskId !== "" && d.sourceSnapshotId === snapshotId)
        .map((d) => ({ id: d.diskId!, region, snapshotId, ...(d.instanceId ? { instanceId: d.instanceId } : {}), ...(d.category ? { category: d.category } : {}) }));
}

/** The instances of a region that run an image (every page). */
export async function describeInstancesOfImage(ctx: AuditContext, region: string, imageId: string): Promise<LiveInstance[]> {
    const client = ctx.ecs(region);
    const instances = await allPages(ctx, "DescribeInstances", `instances of ${imageId} (${region})`, (i: { instanceId?: string }) => i.instanceId ?? "(no id)", async (pageNumber) => {
        const response = await withRetries("DescribeInstances", `instances of ${imageId} (${region}, page ${pageNumber})`, ctx.settings, () =>
            client.describeInstances(new ecsModels.DescribeInstancesRequest({ regionId: region, imageId, pageNumber, pageSize: PAGE_SIZE })),
        );
        return { items: listOf(response.body?.instances?.instance, "Instances.Instance", "DescribeInstances", `instances of ${imageId} (${region}, page ${pageNumber})`, response.body?.requestId), total: response.body?.totalCount, requestId: response.body?.requestId };
    });
    return instances
        .filter((i) => typeof i.instanceId === "string" && i.instanceId !== "" && i.imageId === imageId)
        .map((i) => ({ id: i.instanceId!, region, imageId, ...(i.instanceName ? { name: i.instanceName } : {}), ...(i.status ? { status: i.status } : {}) }));
}
