import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/alicloud/provider";
import { ShareAcceptance, SharedSnapshot, SharedSnapshotDisk, SnapshotCopy } from "alicloud-sharing";

const config = new pulumi.Config();
const recoveryAccountId = config.require("recoveryAccountId");
const snapshotIds = config.requireObject<string[]>("snapshotIds");

// Owner side: the snapshots, encrypted with a customer-managed key, shared with the recovery account. The share
// role AliyunECSShareEncryptSnapshotDefaultRole is created first, trusting exactly that account.
const backups = new SharedSnapshot("dr-backups", {
    snapshotIds,
    kmsKeyId: config.require("backupKeyId"),
    accountIds: [recoveryAccountId],
});

// Sharee side, in the recovery account (its own credentials profile; the two dynamic steps read the same
// credentials from the environment when they run). The recovery account is outside the owner's directory, so it
// accepts the invitation first (C13).
const recovery = new Provider("recovery", { region: "cn-shanghai", profile: "recovery" });
const accepted = new ShareAcceptance("accept-backups", { resourceShareId: backups.resourceShareId }, { provider: recovery });

// A disk from the first shared snapshot: ESSD, encrypted with the recovery account's own key (C11).
const restored = new SharedSnapshotDisk(
    "restored-data",
    { snapshotId: snapshotIds[0], zoneId: "cn-shanghai-l", kmsKeyId: config.require("recoveryKeyId"), sourceKmsKeyId: config.require("backupKeyId") },
    { provider: recovery, dependsOn: [accepted] },
);

// A copy of the second one, the recovery account's own, with its own key (C12): it outlives the share.
const kept = new SnapshotCopy(
    "kept-backup",
    { sourceSnapshotId: snapshotIds[1], kmsKeyId: config.require("recoveryKeyId"), sourceKmsKeyId: config.require("backupKeyId"), snapshotName: "dr-kept-backup" },
    { provider: recovery, dependsOn: [accepted] },
);

export const resourceShareId = backups.resourceShareId;
export const restoredDiskId = restored.diskId;
export const keptSnapshotId = kept.snapshotId;
