/** Well-known names, actions and strings of the sharing APIs. Written once, used everywhere. */

import { KINDS, RESOURCE_KINDS, ResourceKind, byKind } from "./kinds";

export { KINDS, RESOURCE_KINDS };
export type { ResourceKind };

/** C31: Resource Sharing's resource type strings (exact, case-sensitive). */
export const RESOURCE_SHARING_TYPE = byKind((k) => k.sharingType);

/** C9 / C21 / S4: the role ECS assumes to share an encrypted resource. The name is fixed. */
export const SHARE_ROLE_NAME = byKind((k) => k.shareRole.name);

/** The constraint that requires each share role. */
export const SHARE_ROLE_CONSTRAINT = byKind((k) => k.shareRole.constraint);

/** C9: the service principal of ECS in a sharee account, and the wildcard one (C21). */
export const ECS_SERVICE_SUFFIX = "@ecs.aliyuncs.com";
export const ecsServicePrincipal = (accountId: string): string => `${accountId}${ECS_SERVICE_SUFFIX}`;
export const ANY_ECS_SERVICE_PRINCIPAL = `*${ECS_SERVICE_SUFFIX}`;

/** C21: the STS condition keys that narrow the wildcard principal to a directory or folder. */
export const RD_ID_CONDITION_KEY = "sts:ServiceOwnerRDId";
export const RD_PATH_CONDITION_KEY = "sts:ServiceOwnerRDPath";

/** C9: the KMS actions the share role needs: one on the key list, six on the key itself. */
export const KMS_LIST_ACTION = "kms:List*";
export const KMS_KEY_ACTIONS: readonly string[] = Object.freeze([
    "kms:DescribeKey",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:GenerateDataKey",
]);

/** C25: what a sharee's RAM users need to see and to launch from a shared image. */
export const SHAREE_DESCRIBE_ACTIONS: readonly string[] = Object.freeze(["ecs:DescribeImages"]);
export const SHAREE_LAUNCH_ACTIONS: readonly string[] = Object.freeze(["ecs:RunInstances", "ecs:CreateInstance"]);

/** C10: the tag a snapshot shared with an account carries there. */
export const SHARED_FROM_TAG_PREFIX = "acs:ecs:sharedFrom:";

/** RAM policy types of an attachment. */
export const CUSTOM_POLICY_TYPE = "Custom";

/**
 * The tag SharedSnapshotDisk puts on its disk, so the policy pack knows the snapshot was shared with the account and
 * whether it is encrypted (C11): `encrypted` or `unencrypted`. The pack's `receivedSnapshots` config, when it lists the
 * snapshot, says instead.
 */
export const SHARED_SNAPSHOT_TAG = "alicloud-sharing-shared-snapshot";
export const sharedSnapshotTagValue = (encrypted: boolean): string => (encrypted ? "encrypted" : "unencrypted");
