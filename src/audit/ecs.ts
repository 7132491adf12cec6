/** ECS through Alibaba's official SDK (`@alicloud/ecs20140526`), read only: regions, custom images and their share permissions, snapshots. */
import * as ecsModels from "@alicloud/ecs20140526";
import { withRetries } from "../sdk/errors";
import { AuditContext, mapAll } from "./clients";
import { LiveImage, LiveSnapshot } from "./model";

/** The largest page the ECS APIs return. */
const PAGE_SIZE = 100;
/** The most snapshot ids one DescribeSnapshots takes. */
const SNAPSHOT_IDS_PER_CALL = 100;
/** Every image state: a deprecated or unavailable image can still be shared. */
const IMAGE_STATES = "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated";

/** Follows PageNumber pages until the total is reached or a page comes back empty. */
async function allPages<T>(fetch: (pageNumber: number) => Promise<{ items: T[]; total?: number }>): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
        const { items, total } = await fetch(page);
        all.push(...items);
        if (items.length === 0 || total === undefined || all.length >= total) {
            return all;
        }
    }
}

/** The regions of the account (DescribeRegions), asked in one region. */
export async function describeRegions(ctx: AuditContext, region: string): Promise<string[]> {
    const client = ctx.ecs(region);
    const response = await withRetries("DescribeRegions", `ECS regions (asked in ${region})`, ctx.settings, () => client.describeRegions(new ecsModels.DescribeRegionsRequest({})));
    return (response.body?.regions?.region ?? []).map((r) => r.regionId).filter((r): r is string => typeof r === "string" && r !== "");
}

/** The account's own custom images in a region, in every state, with their disks (every page). */
export async function describeOwnImages(ctx: AuditContext, region: string): Promise<Omit<LiveImage, "accounts" | "groups">[]> {
    const client = ctx.ecs(region);
    return allPages(async (pageNumber) => {
        const response = await withRetries("DescribeImages", `custom images of ${region} (page ${pageNumber})`, ctx.settings, () =>
            client.describeImages(new ecsModels.DescribeImagesRequest({ regionId: region, imageOwnerAlias: "self", status: IMAGE_STATES, pageNumber, pageSize: PAGE_SIZE })),
        );
        const items = (response.body?.images?.image ?? [])
            .filter((i) => typeof i.imageId === "string")
            .map((i) => ({
                id: i.imageId!,
                name: i.imageName,
                region,
                status: i.status,
                disks: (i.diskDeviceMappings?.diskDeviceMapping ?? [])
                    .filter((d) => typeof d.snapshotId === "string" && d.snapshotId !== "")
                    .map((d) => ({ snapshotId: d.snapshotId!, size: d.size, type: d.type })),
            }));
        return { items, total: response.body?.totalCount };
    });
}

/** Whom an image is shared with through share permissions: accounts and share groups (every page). */
export async function describeImageSharePermission(ctx: AuditContext, region: string, imageId: string): Promise<{ accounts: string[]; groups: string[] }> {
    const client = ctx.ecs(region);
    const groups = new Set<string>();
    const accounts = await allPages(async (pageNumber) => {
        const response = await withRetries("DescribeImageSharePermission", `image ${imageId} (${region}, page ${pageNumber})`, ctx.settings, () =>
            client.describeImageSharePermission(new ecsModels.DescribeImageSharePermissionRequest({ regionId: region, imageId, pageNumber, pageSize: PAGE_SIZE })),
        );
        (response.body?.shareGroups?.shareGroup ?? []).forEach((g) => g.group && groups.add(g.group));
        const items = (response.body?.accounts?.account ?? []).map((a) => a.aliyunId).filter((a): a is string => typeof a === "string" && a !== "");
        return { items, total: response.body?.totalCount };
    });
    return { accounts: [...new Set(accounts)], groups: [...groups].sort() };
}

/** The given snapshots of a region (ids that no longer exist are left out), 100 ids a call, every page. */
export async function describeSnapshots(ctx: AuditContext, region: string, snapshotIds: readonly string[]): Promise<LiveSnapshot[]> {
    const client = ctx.ecs(region);
    const ids = [...new Set(snapshotIds)];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += SNAPSHOT_IDS_PER_CALL) {
        chunks.push(ids.slice(i, i + SNAPSHOT_IDS_PER_CALL));
    }
    const found = await mapAll(chunks, (chunk) =>
        allPages(async (pageNumber) => {
            const response = await withRetries("DescribeSnapshots", `${chunk.length} snapshots of ${region} (${chunk[0]}…, page ${pageNumber})`, ctx.settings, () =>
                client.describeSnapshots(new ecsModels.DescribeSnapshotsRequest({ regionId: region, snapshotIds: JSON.stringify(chunk), pageNumber, pageSize: PAGE_SIZE })),
            );
            const items = (response.body?.snapshots?.snapshot ?? [])
                .filter((s) => typeof s.snapshotId === "string")
                .map((s) => ({
                    id: s.snapshotId!,
                    name: s.snapshotName || undefined,
                    region,
                    status: s.status,
                    encrypted: s.encrypted === true,
                    kmsKeyId: s.KMSKeyId || undefined,
                }));
            return { items, total: response.body?.totalCount };
        }),
    );
    return found.flat();
}
