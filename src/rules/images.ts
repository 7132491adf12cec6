/** Rules on custom-image shares (C17–C23, C26). */
import { isRegionId } from "../alibaba/ids";
import { DEFAULT_LIMITS, IMAGE_SHARE_ACCOUNTS_PER_CALL } from "../alibaba/limits";
import { at, ShareIntent } from "../intent/model";
import { defineRule, Problem, showValue, quoteValue } from "./types";
import { accountTargets, knownTargets, locatedAccountTargets } from "./targets";

const isImage = (intent: ShareIntent): boolean => intent.kind === "image";
const isEncrypted = (intent: ShareIntent): boolean => intent.encryption.kind !== "none";

export const imageAccountQuota = defineRule({
    id: "image-account-quota",
    constraints: ["C17"],
    severity: "error",
    title: "Accounts per image stay within the quota",
    description:
        `An image can be shared with as many accounts as the Quota Center quota allows (${DEFAULT_LIMITS.imageShareQuota} by default; configurable as \`imageShareQuota\` ` +
        `once the quota is raised), counted across every share and image permission of the stack. The image-share API takes ${IMAGE_SHARE_ACCOUNTS_PER_CALL} ` +
        "accounts per call and ignores the rest, so the library grants each account on its own.",
    subject: "share",
    kinds: ["image"],
    enforcement: { components: ["SharedImage"], policies: ["sharing-limits"] },
    check: (intent, { limits }) => {
        const accounts = locatedAccountTargets(intent);
        if (accounts.length <= limits.imageShareQuota) {
            return [];
        }
        return [{
            // The first account beyond the quota.
            path: accounts[limits.imageShareQuota].path,
            message: `the images are shared with ${accounts.length} accounts; the quota is ${limits.imageShareQuota} per image.`,
            fix: "Share with a resource directory or folder instead, or raise the quota in Quota Center and set `imageShareQuota` to it.",
        }];
    },
});

export const imageCopyRegions = defineRule({
    id: "image-copy-regions",
    constraints: ["C18"],
    severity: "error",
    title: "Images are shared in other regions through copies",
    description:
        "Sharing works within one region: to share elsewhere the image is copied to that region and the copy shared. Each copy region is a " +
        "region id other than the source's, listed once; an encrypted image's copy needs a customer-managed key of the copy region.",
    subject: "share",
    enforcement: {
        components: ["SharedImage"],
        policies: { reason: "copy regions are a component argument; a raw ImageCopy names one destination, its provider's region, and the pack judges its key under C20" },
    },
    check: (intent) => {
        const problems: Problem[] = [];
        const seen = new Set<string>();
        for (const r of intent.copyToRegions) {
            if (r.value === undefined) {
                continue;
            }
            if (!isRegionId(r.value)) {
                problems.push({ path: r.path, message: `${quoteValue(r.value)} is not a region id.`, fix: "Give region ids such as cn-shanghai." });
            } else if (r.value === intent.region.value) {
                problems.push({ path: r.path, message: `${r.value} is the region the images are already in.`, fix: "List only other regions." });
            } else if (seen.has(r.value)) {
                problems.push({ path: r.path, message: `${r.value} is listed twice.`, fix: "List each region once." });
            } else if (intent.encryption.kind === "customerKey" && intent.copyKeyIds[r.value] === undefined) {
                problems.push({
                    path: r.path,
                    message: `the images are encrypted but no key is given for their copies in ${r.value}; a KMS key belongs to one region.`,
                    fix: `Give \`copyKmsKeyIds: { "${r.value}": "key-…" }\`, a customer-managed key in ${r.value}.`,
                });
            }
            seen.add(r.value);
        }
        const regions = new Set(intent.copyToRegions.map((r) => r.value));
        for (const [region, key] of Object.entries(intent.copyKeyIds)) {
            if (!regions.has(region)) {
                problems.push({ path: key.path, message: `${showValue(region)} is given a key but is not a copy region.`, fix: "List the region in `copyToRegions`, or remove its key." });
            }
        }
        if (!isImage(intent) && intent.copyToRegions.length > 0) {
            problems.push({ path: "copyToRegions", message: "region copies are made for images only.", fix: "Copy snapshots with SnapshotCopy." });
        }
        return problems;
    },
});

export const copyRegionProviders = defineRule({
    id: "copy-region-providers",
    constraints: ["C18"],
    severity: "error",
    title: "Copies follow the account of a provider passed in",
    description:
        "A component given a provider creates its resources in that provider's account. Its copy regions need providers of that same " +
        "account (`regionProviders`): otherwise the copies, their shares and their keys would be made by the stack's default account, " +
        "and the share role in the other account could not use them.",
    subject: "share",
    enforcement: { components: ["SharedImage"], policies: { reason: "a raw ImageCopy names its own provider; there is no component provider for it to depart from" } },
    check: (intent) => {
        const providers = intent.copyRegionProviders;
        if (providers === undefined || !providers.explicit) {
            return [];
        }
        return intent.copyToRegions
            .filter((r) => typeof r.value === "string" && !providers.given.includes(r.value))
            .map((r) => ({
                path: r.path,
                message: `the component was given a provider, but copy region ${showValue(r.value)} has none of its own; its copies would be made by the stack's default account.`,
                fix: `Pass \`regionProviders: { "${showValue(r.value)}": <a provider of the same account in ${showValue(r.value)}> }\` in the component's options.`,
            }));
    },
});

export const encryptedImageRegion = defineRule({
    id: "encrypted-image-region",
    constraints: ["C19"],
    severity: "error",
    title: "Encrypted images are shared only where Alibaba Cloud allows it",
    description:
        `Encrypted custom images can be shared only in ${DEFAULT_LIMITS.encryptedImageRegions.join(", ")} (configurable as \`encryptedImageRegions\`). ` +
        "The region judged is the region the share is made in: a component's `region` or its provider's, a raw resource's provider's.",
    subject: "share",
    kinds: ["image"],
    enforcement: { components: ["SharedImage"], policies: ["sharing-encrypted-images"] },
    reads: (intent) => (isEncrypted(intent) ? [intent.region, ...intent.copyToRegions] : []),
    check: (intent, { limits }) => {
        if (!isEncrypted(intent)) {
            return [];
        }
        return [intent.region, ...intent.copyToRegions]
            .filter((r) => r.value !== undefined && !limits.encryptedImageRegions.includes(r.value))
            .map((r) => ({
                path: r.path,
                message: `encrypted images cannot be shared in ${showValue(r.value)}; they can in ${limits.encryptedImageRegions.join(", ")}.`,
                fix: "Share from one of those regions (copy the image there), or share an unencrypted image.",
            }));
    },
});

export const imageServiceKey = defineRule({
    id: "image-service-key",
    constraints: ["C20"],
    severity: "error",
    title: "Images on the service key cannot be shared",
    description: "Since 2025-07-01 an image encrypted with the service key cannot be shared: only customer-managed keys.",
    subject: "share",
    kinds: ["image"],
    enforcement: { components: ["SharedImage"], policies: ["sharing-encrypted-images"] },
    reads: (intent) => (intent.encryption.kind === "unknown" ? [at<string>(intent.encryption.path, undefined)] : []),
    check: (intent) =>
        intent.encryption.kind === "serviceKey"
            ? [{
                  path: intent.encryption.path,
                  message: "images encrypted with the service key cannot be shared.",
                  fix: "Copy each image with a customer-managed key (ecs.ImageCopy with kmsKeyId) and share the copies with `kmsKeyId` set.",
              }]
            : [],
});

export const directoryAndAccounts = defineRule({
    id: "directory-and-accounts",
    constraints: ["C22"],
    severity: "warning",
    title: "An image goes to a directory or to accounts, not both",
    description: "Sharing one image with a directory or folder and also with individual accounts can leave sharees with inconsistent image data.",
    subject: "share",
    kinds: ["image"],
    enforcement: { components: ["SharedImage"], policies: ["sharing-directory-and-accounts"] },
    check: (intent) => {
        const accounts = new Set(accountTargets(intent));
        const kinds = new Set(knownTargets(intent).map((t) => (accounts.has(t.value) ? "account" : "organization")));
        return kinds.size === 2
            ? [{
                  // The accounts are what to reconsider: the first of them.
                  path: locatedAccountTargets(intent)[0]?.path ?? "accountIds",
                  message: "the images are shared both with a directory or folder and with individual accounts.",
                  fix: "Share with the directory or folders only, or with accounts only.",
              }]
            : [];
    },
});

export const unencryptedImageAcknowledged = defineRule({
    id: "unencrypted-image-acknowledged",
    constraints: ["C23"],
    severity: "error",
    title: "Sharing an unencrypted image is confirmed",
    description: "Sharees of an unencrypted image get all its data: the share must be confirmed, as the console demands.",
    subject: "share",
    kinds: ["image"],
    enforcement: { components: ["SharedImage"], policies: { reason: "the confirmation is a component argument; the console's confirmation has no API or resource property" } },
    check: (intent) =>
        !isEncrypted(intent) && !intent.unencryptedDataAcknowledged
            ? [{
                  path: "unencryptedDataAcknowledged",
                  message: "the images are not encrypted: every sharee gets all of their data.",
                  fix: "Remove sensitive data from the images and set `unencryptedDataAcknowledged: true`, or share encrypted images (`kmsKeyId`).",
              }]
            : [],
});

export const paidImage = defineRule({
    id: "paid-image",
    constraints: ["C26"],
    severity: "warning",
    title: "Sharees pay for images derived from paid images",
    description: "A sharee that launches from an image derived from a paid marketplace image is billed for it.",
    subject: "share",
    kinds: ["image"],
    enforcement: { components: ["SharedImage"], policies: { reason: "whether an image derives from a paid image is a component declaration; no resource property says it" } },
    check: (intent) =>
        intent.derivedFromPaidImage
            ? [{ path: "derivedFromPaidImage", message: "the images derive from a paid marketplace image: sharees who launch them are billed.", fix: "Tell the sharees, or share an image built from a free base." }]
            : [],
});
