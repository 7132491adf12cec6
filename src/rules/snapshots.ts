/** Rules on snapshot shares (C5–C8, C10) and on what a sharee does with a shared snapshot (C11, C12). */
import { DEFAULT_LIMITS } from "../alibaba/limits";
import { at } from "../intent/model";
import { SHARE_COMPONENTS } from "./enforcement";
import { defineRule, Problem, quoteValue } from "./types";
import { locatedAccountTargets } from "./targets";

export const grantMethod = defineRule({
    id: "grant-method",
    constraints: ["C5", "C17"],
    severity: "error",
    title: "Snapshots go through Resource Sharing; images through a resource share or image permissions",
    description:
        "A snapshot has no share permission of its own: it is shared as a `Snapshot` resource of a resource share (C5). " +
        'An image is shared either way: `"resourceShare"` or `"imagePermission"` (one grant per image and account, C17).',
    subject: "share",
    enforcement: { components: ["SharedImage"], policies: { reason: "`method` is a component argument; raw resources are the method itself" } },
    check: (intent) => {
        const method = intent.method.value;
        const allowed = intent.kind === "snapshot" ? ["resourceShare"] : ["resourceShare", "imagePermission"];
        return method !== undefined && !allowed.includes(method)
            ? [{ path: intent.method.path, message: `${intent.kind}s cannot be shared by method ${quoteValue(method)}.`, fix: `Use ${allowed.map((m) => `"${m}"`).join(" or ")}.` }]
            : [];
    },
});

export const snapshotAccountLimit = defineRule({
    id: "snapshot-account-limit",
    constraints: ["C6"],
    severity: "error",
    title: "Accounts per snapshot stay within the limit",
    description: `One snapshot can be shared with at most ${DEFAULT_LIMITS.maxAccountsPerSnapshot} accounts (configurable as \`maxAccountsPerSnapshot\`), counted across every share of the stack.`,
    subject: "share",
    kinds: ["snapshot"],
    enforcement: { components: ["SharedSnapshot"], policies: ["sharing-limits"] },
    check: (intent, { limits }) => {
        const accounts = locatedAccountTargets(intent);
        if (accounts.length <= limits.maxAccountsPerSnapshot) {
            return [];
        }
        return [{
            // The first account beyond the limit.
            path: accounts[limits.maxAccountsPerSnapshot].path,
            message: `the snapshots are shared with ${accounts.length} accounts; the limit is ${limits.maxAccountsPerSnapshot} per snapshot.`,
            fix: "Share with a resource directory or folder instead of listing accounts, or drop accounts.",
        }];
    },
});

export const snapshotOwnerQuota = defineRule({
    id: "snapshot-owner-quota",
    constraints: ["C7"],
    severity: "error",
    title: "Shared snapshots per owner stay within the quota",
    description:
        `An owner account shares at most ${DEFAULT_LIMITS.maxSharedSnapshotsPerOwner.toLocaleString("en-US")} snapshots in all (\`maxSharedSnapshotsPerOwner\`). ` +
        "Shares outside this program are invisible here: configure how many are already used (`sharedSnapshotsInUse`). The pack counts each owner account apart.",
    subject: "share",
    kinds: ["snapshot"],
    enforcement: { components: ["SharedSnapshot"], policies: ["sharing-limits"] },
    check: (intent, { limits }) => {
        const total = intent.resources.length + limits.sharedSnapshotsInUse;
        if (total <= limits.maxSharedSnapshotsPerOwner) {
            return [];
        }
        return [{
            // The first snapshot beyond the quota.
            path: intent.resources[Math.max(0, limits.maxSharedSnapshotsPerOwner - limits.sharedSnapshotsInUse)]?.path ?? "snapshotIds",
            message: `${intent.resources.length} snapshots shared here plus ${limits.sharedSnapshotsInUse} already shared make ${total}; an owner shares at most ${limits.maxSharedSnapshotsPerOwner}.`,
            fix: "Share fewer snapshots, or unshare old ones and lower `sharedSnapshotsInUse`.",
        }];
    },
});

export const snapshotServiceKey = defineRule({
    id: "snapshot-service-key",
    constraints: ["C8"],
    severity: "error",
    title: "Snapshots on the service key cannot be shared",
    description: "A snapshot encrypted with the service (default) key cannot be shared: copy it with a customer-managed key and share the copy.",
    subject: "share",
    kinds: ["snapshot"],
    enforcement: { components: ["SharedSnapshot"], policies: ["sharing-encrypted-images"] },
    reads: (intent) => (intent.encryption.kind === "unknown" ? [at<string>(intent.encryption.path, undefined)] : []),
    check: (intent) =>
        intent.encryption.kind === "serviceKey"
            ? [{
                  path: intent.encryption.path,
                  message: "snapshots encrypted with the service key cannot be shared.",
                  fix: "Copy each snapshot with a customer-managed key and share the copies: set `kmsKeyId` and `copyServiceKeySnapshots: true` (or copy with SnapshotCopy yourself).",
              }]
            : [],
});

export const noReshare = defineRule({
    id: "no-reshare",
    constraints: ["C10", "C16"],
    severity: "error",
    title: "What was shared with you cannot be shared on",
    description:
        "A snapshot or image another account shared with this one (snapshots carry the `acs:ecs:sharedFrom:` tag) " +
        "cannot be shared again; only resources created in the owner's account can. The pack knows received snapshots from its " +
        "`receivedSnapshots` setting.",
    subject: "share",
    enforcement: { components: SHARE_COMPONENTS, policies: ["sharing-resource-share"] },
    check: (intent) =>
        intent.sharedWithThisAccount.value === true
            ? [{
                  path: intent.sharedWithThisAccount.path,
                  message: `the ${intent.kind}s were shared with this account by another; they cannot be shared on.`,
                  fix: `Copy each ${intent.kind} into this account first and share the copies.`,
              }]
            : [],
});

export const noImageFromSharedSnapshot = defineRule({
    id: "no-image-from-shared-snapshot",
    constraints: ["C10"],
    severity: "error",
    title: "No custom image from a snapshot shared with you",
    description:
        "A sharee cannot create a custom image from a snapshot shared with it (nor roll a disk back with it): copy the snapshot first. " +
        "The pack looks at an image's `snapshotId` and every `diskDeviceMappings[].snapshotId`.",
    subject: "imageSource",
    enforcement: { components: { reason: "no component makes custom images; the pack judges ecs.Image" }, policies: ["sharing-sharee-disk"] },
    reads: (source) => [source.snapshotId],
    check: (source) =>
        source.sharedWithThisAccount
            ? [{
                  path: source.snapshotId.path,
                  message: `snapshot ${source.snapshotId.value ?? ""} was shared with this account; a custom image cannot be made from it.`,
                  fix: "Copy the snapshot with a key of your own (SnapshotCopy) and make the image from the copy.",
              }]
            : [],
});

export const diskFromSharedSnapshot = defineRule({
    id: "disk-from-shared-encrypted-snapshot",
    constraints: ["C11"],
    severity: "error",
    title: "A disk from a shared encrypted snapshot is ESSD and encrypted with the sharee's own key",
    description:
        "A disk made from a shared encrypted snapshot must be of the ESSD family (`cloud_essd`, `cloud_auto`, `cloud_essd_entry`; " +
        "configurable as `essdCategories`) and encrypted with a key of the sharee's, not the source's key. Otherwise copy the snapshot first. " +
        "A disk from an unencrypted shared snapshot is not judged; the pack learns a received snapshot's encryption from `receivedSnapshots`.",
    subject: "disk",
    enforcement: { components: ["SharedSnapshotDisk"], policies: ["sharing-sharee-disk"] },
    reads: (disk) => (disk.sourceEncrypted.value === false ? [] : [disk.sourceEncrypted, disk.category, disk.encrypted, ...(disk.kmsKeyId === undefined ? [] : [disk.kmsKeyId])]),
    check: (disk, { limits }) => {
        // Unknown encryption is judged as encrypted: the stricter reading.
        if (disk.sourceEncrypted.value === false) {
            return [];
        }
        const problems: Problem[] = [];
        const category = disk.category.value;
        if (category !== undefined && !limits.essdCategories.includes(category)) {
            problems.push({
                path: disk.category.path,
                message: `category ${quoteValue(category)} is not of the ESSD family (${limits.essdCategories.join(", ")}).`,
                fix: "Use an ESSD category, or copy the snapshot with your own key first and make the disk from the copy.",
            });
        }
        if (disk.encrypted.value === false) {
            problems.push({ path: disk.encrypted.path, message: "the disk is not encrypted.", fix: "Encrypt the disk with a key of your own account." });
        }
        if (disk.kmsKeyId === undefined) {
            problems.push({ path: "kmsKeyId", message: "no key is given for the disk.", fix: "Give `kmsKeyId`, a customer-managed key of your own account." });
        } else if (disk.kmsKeyId.value !== undefined && disk.kmsKeyId.value === disk.sourceKmsKeyId?.value) {
            problems.push({
                path: disk.kmsKeyId.path,
                message: `key ${disk.kmsKeyId.value} is the shared snapshot's own key.`,
                fix: "Encrypt the disk with a key of your own account.",
            });
        }
        return problems;
    },
});

export const copyKey = defineRule({
    id: "copy-key",
    constraints: ["C8", "C12"],
    severity: "error",
    title: "A snapshot copy is encrypted with a customer-managed key other than the source's",
    description:
        "Copying is how a snapshot on the service key becomes shareable (C8) and how a sharee makes a shared encrypted snapshot its own (C12): " +
        "the copy needs a customer-managed key, different from the source's.",
    subject: "copy",
    enforcement: { components: ["SnapshotCopy"], policies: { reason: "copies are made only by SnapshotCopy (a dynamic resource, whose arguments it judges); @pulumi/alicloud has no snapshot-copy resource" } },
    check: (copy) => {
        if (copy.kmsKeyId.value !== undefined && copy.kmsKeyId.value === copy.sourceKmsKeyId?.value) {
            return [{ path: copy.kmsKeyId.path, message: `key ${copy.kmsKeyId.value} is the source snapshot's own key.`, fix: "Copy with another customer-managed key of yours." }];
        }
        return [];
    },
});

export const unencryptedSnapshotAcknowledged = defineRule({
    id: "unencrypted-snapshot-acknowledged",
    constraints: ["C33"],
    severity: "warning",
    title: "Sharing an unencrypted snapshot is confirmed",
    description:
        "Sharees of an unencrypted snapshot can read all of its data. A snapshot share that is not known to be encrypted is named, unless " +
        "the owner confirms it holds nothing sensitive: `unencryptedDataAcknowledged: true` on SharedSnapshot, which tags its resource share " +
        "`alicloud-sharing-unencrypted-data: acknowledged`; a raw resource share takes the same tag.",
    subject: "share",
    kinds: ["snapshot"],
    enforcement: { components: ["SharedSnapshot"], policies: ["sharing-unencrypted-snapshots"] },
    check: (intent) =>
        intent.encryption.kind === "none" && !intent.unencryptedDataAcknowledged
            ? [{
                  path: "unencryptedDataAcknowledged",
                  message: `the snapshots are not known to be encrypted: ${intent.targets.length === 1 ? "the recipient" : `each of the ${intent.targets.length} recipients`} can read all of their data.`,
                  fix:
                      "Make sure they hold no sensitive data and set `unencryptedDataAcknowledged: true` (on a raw resource share, the tag " +
                      "`alicloud-sharing-unencrypted-data: acknowledged`), or share snapshots encrypted with a customer-managed key (`kmsKeyId`).",
              }]
            : [],
});
