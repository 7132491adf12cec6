import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/alicloud/provider";
import { SharedSnapshot, SharedSnapshotDisk } from "alicloud-sharing";

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

// Sharee side, in the recovery account (its own credentials profile): a disk from the first shared snapshot,
// ESSD and encrypted with the recovery account's own key (C11). The recovery account accepts the share first.
const recovery = new Provider("recovery", { region: "cn-shanghai", profile: "recovery" });
const restored = new SharedSnapshotDisk(
    "restored-data",
    { snapshotId: snapshotIds[0], zoneId: "cn-shanghai-l", kmsKeyId: config.require("recoveryKeyId"), sourceKmsKeyId: config.require("backupKeyId") },
    { provider: recovery, dependsOn: [backups] },
);

export const resourceShareId = backups.resourceShareId;
export const restoredDiskId = restored.diskId;
