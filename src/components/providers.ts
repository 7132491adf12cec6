/**
 * The two sharee-side steps that have no resource in @pulumi/alicloud, as Pulumi dynamic providers: accepting a
 * share invitation (C13) and copying a snapshot with a customer-managed key (C8, C12). Each provider reads its
 * credentials when it runs (the standard environment variables, else the stack's `alicloud:` config); they are never
 * inputs or outputs of the resources.
 */
import * as pulumi from "@pulumi/pulumi";

/** The SDK module, loaded by package name when a provider runs (so the provider serializes as a reference to it). */
type Sdk = typeof import("../sdk");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadSdk = (): Sdk => require("alicloud-sharing/sdk");

/** Inputs every provider takes besides its own: where to call, and how patiently. */
export interface ApiInputs {
    /** The region to call. Defaults to the stack's `alicloud:region`. */
    readonly region?: string;
    /** An endpoint override (`host:port`, plain HTTP): for tests against a local emulator. */
    readonly endpoint?: string;
    /** Per request, in seconds. Defaults to 30. */
    readonly timeoutSeconds?: number;
    /** Retries on throttling, 5xx and network errors. Defaults to 5. */
    readonly maxRetries?: number;
}

/** The settings, with the credentials read now from the environment or the stack's `alicloud:` config. */
function settingsOf(sdk: Sdk, inputs: ApiInputs) {
    let alicloudConfig: Record<string, string | undefined> = {};
    try {
        const config = new pulumi.Config("alicloud");
        alicloudConfig = { accessKey: config.get("accessKey"), secretKey: config.get("secretKey"), securityToken: config.get("securityToken"), region: config.get("region") };
    } catch {
        // Outside a Pulumi program (a provider under test): the environment alone.
    }
    return sdk.apiSettings({
        env: process.env,
        alicloudConfig,
        region: inputs.region,
        endpoint: inputs.endpoint,
        timeoutMs: inputs.timeoutSeconds === undefined ? undefined : inputs.timeoutSeconds * 1000,
        maxRetries: inputs.maxRetries,
    });
}

export interface ShareAcceptanceInputs extends ApiInputs {
    readonly resourceShareId: string;
    readonly insideResourceDirectory?: boolean;
}

/** Accepts the invitation on create; reports the status; on delete, does nothing (a sharee cannot leave a share by API). */
export const shareAcceptanceProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: ShareAcceptanceInputs) {
        const sdk = loadSdk();
        const result = await sdk.ensureAccepted(settingsOf(sdk, inputs), inputs.resourceShareId, { insideResourceDirectory: inputs.insideResourceDirectory === true });
        return { id: `${inputs.resourceShareId}:accepted`, outs: { ...inputs, status: result.status, invitationId: result.invitationId ?? "" } };
    },
    async diff(_id, olds: ShareAcceptanceInputs, news: ShareAcceptanceInputs) {
        const replaces = olds.resourceShareId !== news.resourceShareId ? ["resourceShareId"] : [];
        return { changes: replaces.length > 0 || olds.insideResourceDirectory !== news.insideResourceDirectory, replaces };
    },
    async delete() {
        // Nothing to do: Resource Sharing offers the sharee no call to leave a share; the owner removes the target.
    },
};

export interface SnapshotCopyInputs extends ApiInputs {
    readonly sourceSnapshotId: string;
    readonly kmsKeyId: string;
    readonly sourceRegionId?: string;
    readonly destinationRegionId?: string;
    readonly snapshotName?: string;
    /** Makes a retried create find the first copy instead of making a second one. */
    readonly clientToken: string;
    /** Between progress polls, in seconds. Defaults to 10. */
    readonly pollSeconds?: number;
    /** How long a copy may take, in seconds. Defaults to 6 hours. */
    readonly copyTimeoutSeconds?: number;
}

/** Copies on create and waits until accomplished (progress logged); deletes the copy on delete. */
export const snapshotCopyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: SnapshotCopyInputs) {
        const sdk = loadSdk();
        const settings = settingsOf(sdk, inputs);
        const sourceRegionId = inputs.sourceRegionId ?? settings.region;
        const destinationRegionId = inputs.destinationRegionId ?? sourceRegionId;
        const snapshotId = await sdk.copySnapshot(
            settings,
            { sourceSnapshotId: inputs.sourceSnapshotId, sourceRegionId, destinationRegionId, kmsKeyId: inputs.kmsKeyId, snapshotName: inputs.snapshotName, clientToken: inputs.clientToken },
            { pollIntervalMs: (inputs.pollSeconds ?? 10) * 1000, timeoutMs: (inputs.copyTimeoutSeconds ?? 6 * 3600) * 1000, log: (m) => void pulumi.log.info(m) },
        );
        return { id: snapshotId, outs: { ...inputs, sourceRegionId, destinationRegionId, snapshotId } };
    },
    async diff(_id, olds: SnapshotCopyInputs, news: SnapshotCopyInputs) {
        const replaces = (["sourceSnapshotId", "kmsKeyId", "sourceRegionId", "destinationRegionId", "snapshotName"] as const).filter(
            (k) => news[k] !== undefined && olds[k] !== news[k],
        );
        return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
    },
    async delete(id: string, outs: SnapshotCopyInputs & { destinationRegionId: string }) {
        const sdk = loadSdk();
        await sdk.deleteSnapshot(settingsOf(sdk, outs), outs.destinationRegionId, id);
    },
};
