/** ECS through Alibaba's official SDK: copying a snapshot with a customer-managed key, waiting for it, deleting it. */
import Ecs, * as ecsModels from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { ApiSettings } from "./settings";
import { withRetries } from "./errors";

/** An ECS client for the settings. RPC signing (HMAC-SHA1), the ECS API's own style. */
export function ecsClient(settings: ApiSettings): Ecs {
    return new Ecs(
        new $OpenApiUtil.Config({
            accessKeyId: settings.accessKeyId,
            accessKeySecret: settings.accessKeySecret,
            securityToken: settings.securityToken,
            regionId: settings.region,
            endpoint: settings.endpoint ?? `ecs.${settings.region}.aliyuncs.com`,
            protocol: settings.protocol,
            readTimeout: settings.timeoutMs,
            connectTimeout: settings.timeoutMs,
            signatureAlgorithm: "v2",
        }),
    );
}

export interface SnapshotCopyRequest {
    readonly sourceSnapshotId: string;
    readonly sourceRegionId: string;
    readonly destinationRegionId: string;
    readonly kmsKeyId: string;
    readonly snapshotName?: string;
    /** Makes a retried create return the first copy instead of making a second one. */
    readonly clientToken: string;
}

export interface SnapshotCopyWait {
    /** Between polls, in milliseconds. */
    readonly pollIntervalMs: number;
    /** Gives up after this long, in milliseconds. */
    readonly timeoutMs: number;
    readonly log: (message: string) => void;
}

/** Copies a snapshot, encrypted with the given key, and waits until the copy is accomplished. Returns its id. */
export async function copySnapshot(settings: ApiSettings, request: SnapshotCopyRequest, wait: SnapshotCopyWait): Promise<string> {
    const client = ecsClient(settings);
    const where = `snapshot ${request.sourceSnapshotId} (${request.sourceRegionId} -> ${request.destinationRegionId})`;
    const response = await withRetries("CopySnapshot", where, settings, () =>
        client.copySnapshot(
            new ecsModels.CopySnapshotRequest({
                regionId: request.sourceRegionId,
                snapshotId: request.sourceSnapshotId,
                destinationRegionId: request.destinationRegionId,
                destinationSnapshotName: request.snapshotName,
                encrypted: true,
                KMSKeyId: request.kmsKeyId,
                clientToken: request.clientToken,
            }),
        ),
    );
    const copyId = response.body?.snapshotId;
    if (!copyId) {
        throw new Error(`CopySnapshot on ${where} returned no snapshot id.`);
    }
    await waitForSnapshot(settings, request.destinationRegionId, copyId, wait);
    return copyId;
}

/** Polls DescribeSnapshots until the snapshot is accomplished; a failed copy or a timeout is an error. */
export async function waitForSnapshot(settings: ApiSettings, regionId: string, snapshotId: string, wait: SnapshotCopyWait): Promise<void> {
    const client = ecsClient({ ...settings, region: regionId });
    const deadline = Date.now() + wait.timeoutMs;
    for (;;) {
        const response = await withRetries("DescribeSnapshots", `snapshot ${snapshotId}`, settings, () =>
            client.describeSnapshots(new ecsModels.DescribeSnapshotsRequest({ regionId, snapshotIds: JSON.stringify([snapshotId]) })),
        );
        const snapshot = response.body?.snapshots?.snapshot?.[0];
        if (snapshot === undefined) {
            throw new Error(`DescribeSnapshots on snapshot ${snapshotId} found no such snapshot in ${regionId}: the copy disappeared. Create it again.`);
        }
        wait.log(`snapshot copy ${snapshotId}: ${snapshot.status} ${snapshot.progress ?? ""}`.trim());
        if (snapshot.status === "accomplished") {
            return;
        }
        if (snapshot.status === "failed") {
            throw new Error(`CopySnapshot of ${snapshotId} failed in ${regionId}. Check the source snapshot and the key (a key of the destination region, usable by ECS), then create the copy again.`);
        }
        if (Date.now() > deadline) {
            throw new Error(`CopySnapshot of ${snapshotId} was not accomplished within ${wait.timeoutMs} ms (${snapshot.progress ?? "no progress"}). Raise the timeout, or look at the copy in the console.`);
        }
        await new Promise((r) => setTimeout(r, wait.pollIntervalMs));
    }
}

/** Deletes a snapshot; one that is already gone counts as deleted. */
export async function deleteSnapshot(settings: ApiSettings, regionId: string, snapshotId: string): Promise<void> {
    const client = ecsClient({ ...settings, region: regionId });
    try {
        await withRetries("DeleteSnapshot", `snapshot ${snapshotId}`, settings, () => client.deleteSnapshot(new ecsModels.DeleteSnapshotRequest({ snapshotId, force: true })));
    } catch (e) {
        if (!/InvalidSnapshotId\.NotFound/.test((e as Error).message)) {
            throw e;
        }
    }
}
