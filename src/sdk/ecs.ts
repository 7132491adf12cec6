/** ECS through Alibaba's official SDK: copying a snapshot with a customer-managed key, waiting for it, deleting it. */
import { createHash } from "crypto";
import Ecs, * as ecsModels from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { ApiSettings } from "./settings";
import { AlibabaApiError, withRetries } from "./errors";

/** An ECS client for the settings. RPC signing (HMAC-SHA1), the ECS API's own style; credentials resolved per request. */
export function ecsClient(settings: ApiSettings): Ecs {
    return new Ecs(
        new $OpenApiUtil.Config({
            credential: settings.credential,
            regionId: settings.region,
            endpoint: settings.endpoint ?? `ecs.${settings.region}.aliyuncs.com`,
            protocol: settings.protocol,
            readTimeout: settings.timeoutMs,
            connectTimeout: settings.timeoutMs,
            signatureAlgorithm: "v2",
        }),
    );
}

/** What to copy, where, with which key. */
export interface SnapshotCopyRequest {
    readonly sourceSnapshotId: string;
    readonly sourceRegionId: string;
    readonly destinationRegionId: string;
    readonly kmsKeyId: string;
    readonly snapshotName?: string;
    /**
     * Makes a retried request return the copy the first one started instead of starting a second one: one per
     * intended copy and generation (see {@link copyClientToken}), at most 64 ASCII characters. The copy carries it as
     * a tag too, so that a create whose answer was lost finds it.
     */
    readonly clientToken: string;
}

/** How to wait for a copy. */
export interface SnapshotCopyWait {
    /** Between polls, in milliseconds. */
    readonly pollIntervalMs: number;
    /** Gives up after this long, in milliseconds. */
    readonly timeoutMs: number;
    readonly log: (message: string) => void;
}

/**
 * What identifies one intended copy, the same in every run: where it belongs (the resource that makes it: its URN),
 * what is copied how, and its generation (0, or more when earlier copies of the same intended copy still exist: the
 * copy of the resource a replacement replaces).
 */
export interface SnapshotCopyIdentity {
    /** The resource the copy belongs to: its URN (stack, project and name), the same in every run. */
    readonly scope: string;
    readonly generation: number;
    readonly sourceSnapshotId: string;
    readonly sourceRegionId: string;
    readonly destinationRegionId: string;
    readonly kmsKeyId: string;
    readonly snapshotName?: string;
}

/** The CopySnapshot ClientToken of an intended copy: the SHA-256 (hex, 64 ASCII characters, the API's limit) of its identity. */
export function copyClientToken(identity: SnapshotCopyIdentity): string {
    const { scope, generation, sourceSnapshotId, sourceRegionId, destinationRegionId, kmsKeyId, snapshotName } = identity;
    return createHash("sha256")
        .update(JSON.stringify(["alicloud-sharing:SnapshotCopy:2", scope, generation, sourceSnapshotId, sourceRegionId, destinationRegionId, kmsKeyId, snapshotName ?? ""]))
        .digest("hex");
}

/** The tags every copy carries: its ClientToken (so that a create whose answer was lost finds it), and whether its create finished. */
export const COPY_TOKEN_TAG = "alicloud-sharing:copy-token";
export const COPY_STATE_TAG = "alicloud-sharing:copy-state";
/** A copy whose create has not finished (it may be adopted by a create of the same intended copy). */
export const COPYING = "copying";
/** A copy a resource holds (a create of the same intended copy makes another: a replacement's). */
export const CREATED = "created";

const describeWhere = (request: SnapshotCopyRequest): string => `snapshot ${request.sourceSnapshotId} (${request.sourceRegionId} -> ${request.destinationRegionId})`;

/** A copy found by its token: its id, status, and whether its create finished. */
export interface FoundCopy {
    readonly snapshotId: string;
    readonly status?: string;
    readonly state?: string;
}

/** The copy a ClientToken made, found by the token's tag in the copy's region; undefined when there is none. */
export async function findCopy(settings: ApiSettings, regionId: string, clientToken: string): Promise<FoundCopy | undefined> {
    const client = ecsClient({ ...settings, region: regionId });
    const response = await withRetries("DescribeSnapshots", `snapshot copies tagged ${COPY_TOKEN_TAG} (${regionId})`, settings, () =>
        client.describeSnapshots(new ecsModels.DescribeSnapshotsRequest({ regionId, tag: [new ecsModels.DescribeSnapshotsRequestTag({ key: COPY_TOKEN_TAG, value: clientToken })] })),
    );
    const snapshot = response.body?.snapshots?.snapshot?.find((s) => s.snapshotId !== undefined);
    if (snapshot === undefined) {
        return undefined;
    }
    const state = snapshot.tags?.tag?.find((t) => t.tagKey === COPY_STATE_TAG)?.tagValue;
    return { snapshotId: snapshot.snapshotId!, status: snapshot.status, ...(state === undefined ? {} : { state }) };
}

/** Marks a copy as held by a resource (its create finished): a later create of the same intended copy makes another. */
export async function markCopyCreated(settings: ApiSettings, regionId: string, snapshotId: string): Promise<void> {
    const client = ecsClient({ ...settings, region: regionId });
    await withRetries("TagResources", `snapshot copy ${snapshotId} (${regionId})`, settings, () =>
        client.tagResources(new ecsModels.TagResourcesRequest({ regionId, resourceType: "snapshot", resourceId: [snapshotId], tag: [new ecsModels.TagResourcesRequestTag({ key: COPY_STATE_TAG, value: CREATED })] })),
    );
}

/** How a create whose answer was lost looks for the copy it may have made: this many times, this far apart. */
export interface LostAnswerSearch {
    readonly attempts: number;
    readonly intervalMs: number;
}

/**
 * Starts a copy, encrypted with the given key and tagged with its token, and returns its id (the same id for every
 * retry with the same token). When every attempt failed without an answer (a time-out, a reset, an unreadable or
 * throttled answer), the copy may still have been made: it is looked for by its token, and adopted when found.
 */
export async function startSnapshotCopy(settings: ApiSettings, request: SnapshotCopyRequest, search: LostAnswerSearch): Promise<string> {
    const client = ecsClient({ ...settings, region: request.sourceRegionId });
    const where = describeWhere(request);
    let response;
    try {
        response = await withRetries("CopySnapshot", where, settings, () =>
            client.copySnapshot(
                new ecsModels.CopySnapshotRequest({
                    regionId: request.sourceRegionId,
                    snapshotId: request.sourceSnapshotId,
                    destinationRegionId: request.destinationRegionId,
                    destinationSnapshotName: request.snapshotName,
                    encrypted: true,
                    KMSKeyId: request.kmsKeyId,
                    clientToken: request.clientToken,
                    tag: [new ecsModels.CopySnapshotRequestTag({ key: COPY_TOKEN_TAG, value: request.clientToken }), new ecsModels.CopySnapshotRequestTag({ key: COPY_STATE_TAG, value: COPYING })],
                }),
            ),
        );
    } catch (e) {
        // An answer refused (throttling, an error of the API) made nothing; no answer, or one that could not be read, may have.
        const answerLost = e instanceof AlibabaApiError && e.retryable && (e.statusCode === undefined || e.code === "InvalidResponse");
        if (!answerLost) {
            throw e;
        }
        for (let attempt = 0; attempt < search.attempts; attempt++) {
            const found = await findCopy(settings, request.destinationRegionId, request.clientToken).catch(() => undefined);
            if (found !== undefined) {
                return found.snapshotId;
            }
            await new Promise((r) => setTimeout(r, search.intervalMs));
        }
        throw new AlibabaApiError({ ...e, fix: `${e.fix} If the copy was made after all, the next pulumi up finds it by its token and adopts it.` });
    }
    const copyId = response.body?.snapshotId;
    if (!copyId) {
        throw new AlibabaApiError({
            action: "CopySnapshot",
            resource: where,
            code: "InvalidResponse",
            detail: "the answer carried no snapshot id",
            fix: "Look for the copy in the console before trying again.",
            retryable: false,
            requestId: response.body?.requestId,
        });
    }
    return copyId;
}

/**
 * Copies a snapshot, encrypted with the given key, and waits until the copy is accomplished; returns its id. A copy
 * that ends `failed` is deleted before the error (code `SnapshotCopyFailed`) is thrown, so that nothing adopts it.
 */
export async function copySnapshot(settings: ApiSettings, request: SnapshotCopyRequest, wait: SnapshotCopyWait): Promise<string> {
    const copyId = await startSnapshotCopy(settings, request, { attempts: 3, intervalMs: wait.pollIntervalMs });
    try {
        await waitForSnapshot(settings, request.destinationRegionId, copyId, wait);
    } catch (e) {
        throw e instanceof AlibabaApiError && e.code === "SnapshotCopyFailed" ? await discardFailedCopy(settings, request.destinationRegionId, copyId, e) : e;
    }
    return copyId;
}

/** Deletes a copy that ended failed; returns the error to throw, saying whether the failed copy is gone. */
export async function discardFailedCopy(settings: ApiSettings, regionId: string, copyId: string, failure: AlibabaApiError): Promise<AlibabaApiError> {
    let outcome: string;
    try {
        await deleteSnapshot(settings, regionId, copyId);
        outcome = `The failed copy ${copyId} was deleted.`;
    } catch (e) {
        outcome = `The failed copy ${copyId} could not be deleted (${(e as Error).message}): delete it in the console.`;
    }
    return new AlibabaApiError({ ...failure, fix: `${outcome} ${failure.fix}` });
}

/**
 * Polls DescribeSnapshots until the snapshot is accomplished. A failed copy (code `SnapshotCopyFailed`), a copy that
 * disappeared (`InvalidSnapshotId.NotFound`) or a timeout (`SnapshotCopyTimeout`) is an {@link AlibabaApiError}.
 */
export async function waitForSnapshot(settings: ApiSettings, regionId: string, snapshotId: string, wait: SnapshotCopyWait): Promise<void> {
    const client = ecsClient({ ...settings, region: regionId });
    const deadline = Date.now() + wait.timeoutMs;
    const where = `snapshot copy ${snapshotId} (${regionId})`;
    for (;;) {
        const response = await withRetries("DescribeSnapshots", where, settings, () =>
            client.describeSnapshots(new ecsModels.DescribeSnapshotsRequest({ regionId, snapshotIds: JSON.stringify([snapshotId]) })),
        );
        const snapshot = response.body?.snapshots?.snapshot?.[0];
        const requestId = response.body?.requestId;
        if (snapshot === undefined) {
            throw new AlibabaApiError({ action: "DescribeSnapshots", resource: where, code: "InvalidSnapshotId.NotFound", detail: "the copy no longer exists", fix: "Create the copy again (replace the resource).", retryable: false, requestId });
        }
        wait.log(`snapshot copy ${snapshotId}: ${snapshot.status} ${snapshot.progress ?? ""}`.trim());
        if (snapshot.status === "accomplished") {
            return;
        }
        if (snapshot.status === "failed") {
            throw new AlibabaApiError({
                action: "CopySnapshot",
                resource: where,
                code: "SnapshotCopyFailed",
                detail: "the copy ended failed",
                fix: "Check the source snapshot and the key (a key of the destination region, usable by ECS), then create the copy again.",
                retryable: false,
                requestId,
            });
        }
        if (Date.now() > deadline) {
            throw new AlibabaApiError({
                action: "CopySnapshot",
                resource: where,
                code: "SnapshotCopyTimeout",
                detail: `not accomplished within ${wait.timeoutMs} ms (${snapshot.progress || "no progress"})`,
                fix: "Raise copyTimeoutSeconds, or look at the copy in the console; the next update waits for it again.",
                retryable: true,
                requestId,
            });
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
        if (!(e instanceof AlibabaApiError && e.code === "InvalidSnapshotId.NotFound")) {
            throw e;
        }
    }
}
