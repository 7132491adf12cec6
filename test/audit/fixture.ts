/**
 * The fixture account of the audit tests: the repository's own sharing setup (program/, previewed into
 * fixtures/intended-preview.json) as deployed, then changed outside the stack, as security teams find accounts:
 *
 * - a console-made share `adhoc-export` of an unencrypted snapshot to an account outside the allow-list;
 * - the snapshot share role's trust widened in the console to an account nobody shares with (a wrong principal, the drifted role);
 * - deletion protection switched off on the Beijing golden-images key;
 * - a console-made image share permission of one image to 51 accounts (the quota is 50);
 * - one of the golden-images targets removed from the Shanghai share;
 * - and, left out of everything because not in effect: a deleted share, a disassociated target, an unshared image.
 *
 * The account also receives one snapshot share, and has a region without Resource Sharing. Pages hold at most two
 * entries, so every list is followed over pages.
 */
import * as path from "path";
import * as fs from "fs";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, EmulatedAccount, EmulatedSnapshot, Emulator, emptyAccount } from "../support/emulator";

export const OWNER = "1000000000000000";
export const INTENDED_PREVIEW = path.join(__dirname, "fixtures", "intended-preview.json");
export const INTENDED_EXPORT = path.join(__dirname, "fixtures", "intended-stack-export.json");

/** The 51 accounts the console-made image permission grants. */
export const PERMISSION_ACCOUNTS = Array.from({ length: 51 }, (_, i) => `21000000000000${String(i + 1).padStart(2, "0")}`);
/** The recipients an organization allows (the policy config's allow-list): the stack's, and the 51. */
export const ALLOWED_ACCOUNTS = ["3456789012345678", "1234567890123456", "2345678901234567", ...PERMISSION_ACCOUNTS];
export const POLICY_CONFIG = {
    "sharing-recipients": { allowedRecipients: { accountIds: ALLOWED_ACCOUNTS, folderPathPrefixes: ["rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1"] } },
};

/** The environment the audit runs with: the emulator's AccessKey pair. */
export const AUDIT_ENV = { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET };

/** A role's or policy's document as the stack's preview renders it. */
function intendedInput(resourceName: string, input: string): string {
    const preview = JSON.parse(fs.readFileSync(INTENDED_PREVIEW, "utf8")) as { resources: { name: string; inputs: Record<string, string> }[] };
    return preview.resources.find((r) => r.name === resourceName)!.inputs[input];
}

const snapshot = (snapshotId: string, regionId: string, kmsKeyId?: string): EmulatedSnapshot => ({ snapshotId, regionId, encrypted: kmsKeyId !== undefined, kmsKeyId, pollsLeft: 0, willFail: false, snapshotName: snapshotId.slice(2, 10) });

/** The snapshot share role's trust as the console left it: the stack's principal and one more. */
export function widenedSnapshotTrust(): string {
    const trust = JSON.parse(intendedInput("dr-backups-share-role-role", "assumeRolePolicyDocument"));
    trust.Statement[0].Principal.Service.push("5555666677778888@ecs.aliyuncs.com");
    return JSON.stringify(trust);
}

/** Loads the fixture account into the emulator. */
export function loadFixture(emulator: Emulator): EmulatedAccount {
    emulator.snapshots.clear();
    for (const s of [
        snapshot("s-uf6backup00001", "cn-shanghai", "key-shh6backup0001"),
        snapshot("s-uf6backup00002", "cn-shanghai", "key-shh6backup0001"),
        snapshot("s-uf6adhoc00001", "cn-shanghai"),
        snapshot("s-uf6goldsys0001", "cn-shanghai", "key-shh6golden0001"),
        snapshot("s-uf6goldsys0002", "cn-shanghai", "key-shh6golden0001"),
        snapshot("s-2zecopysys0001", "cn-beijing", "key-bjs6golden0001"),
        snapshot("s-2zecopysys0002", "cn-beijing", "key-bjs6golden0001"),
        snapshot("s-uf6permsys0001", "cn-shanghai"),
        snapshot("s-uf6private001", "cn-shanghai"),
    ]) {
        emulator.snapshots.set(s.snapshotId, s);
    }
    const account = emptyAccount(OWNER);
    account.pageLimit = 2;
    account.regions = ["ap-northeast-1", "cn-beijing", "cn-hangzhou", "cn-shanghai"];
    account.sharingRegions = ["cn-beijing", "cn-hangzhou", "cn-shanghai"];
    account.shares = [
        {
            resourceShareId: "rs-drbackups01",
            resourceShareName: "dr-backups",
            regionId: "cn-shanghai",
            allowExternalTargets: true,
            resources: [{ entityId: "s-uf6backup00001", entityType: "Snapshot" }, { entityId: "s-uf6backup00002", entityType: "Snapshot" }],
            targets: [{ entityId: "3456789012345678", external: true }],
        },
        {
            resourceShareId: "rs-golden00001",
            resourceShareName: "golden-images",
            regionId: "cn-shanghai",
            allowExternalTargets: true,
            resources: [{ entityId: "m-uf6golden00001", entityType: "Image" }, { entityId: "m-uf6golden00002", entityType: "Image" }],
            // 2345678901234567 was removed in the console; 9999000011112222 is on its way out.
            targets: [{ entityId: "1234567890123456", external: true }, { entityId: "fd-bVaRIG8Zp1" }, { entityId: "9999000011112222", external: true, status: "Disassociated" }],
        },
        {
            resourceShareId: "rs-goldenbj001",
            resourceShareName: "golden-images-cn-beijing",
            regionId: "cn-beijing",
            allowExternalTargets: true,
            resources: [{ entityId: "m-2zecopy0000001", entityType: "Image" }, { entityId: "m-2zecopy0000002", entityType: "Image" }],
            targets: [{ entityId: "1234567890123456", external: true }, { entityId: "2345678901234567", external: true }, { entityId: "fd-bVaRIG8Zp1" }],
        },
        {
            resourceShareId: "rs-adhoc000001",
            resourceShareName: "adhoc-export",
            regionId: "cn-shanghai",
            allowExternalTargets: true,
            resources: [{ entityId: "s-uf6adhoc00001", entityType: "Snapshot" }],
            targets: [{ entityId: "7777000011112222", external: true }],
        },
        {
            resourceShareId: "rs-retired0001",
            resourceShareName: "retired",
            regionId: "cn-shanghai",
            status: "Deleted",
            allowExternalTargets: true,
            resources: [{ entityId: "s-uf6private001", entityType: "Snapshot", status: "Disassociated" }],
            targets: [{ entityId: "8888000011112222", status: "Disassociated" }],
        },
    ];
    account.received = [
        { resourceShareId: "rs-fromprod001", resourceShareName: "prod-golden-base", regionId: "cn-shanghai", ownerAccountId: "2222333344445555", resources: [{ resourceId: "s-uf6prodbase01", resourceType: "Snapshot" }] },
    ];
    account.images = [
        { imageId: "m-uf6golden00001", regionId: "cn-shanghai", imageName: "golden-1", snapshotIds: ["s-uf6goldsys0001"], accounts: [] },
        { imageId: "m-uf6golden00002", regionId: "cn-shanghai", imageName: "golden-2", snapshotIds: ["s-uf6goldsys0002"], accounts: [] },
        { imageId: "m-2zecopy0000001", regionId: "cn-beijing", imageName: "golden-1-copy", snapshotIds: ["s-2zecopysys0001"], accounts: [] },
        { imageId: "m-2zecopy0000002", regionId: "cn-beijing", imageName: "golden-2-copy", snapshotIds: ["s-2zecopysys0002"], accounts: [] },
        { imageId: "m-uf6perm000001", regionId: "cn-shanghai", imageName: "partner-base", snapshotIds: ["s-uf6permsys0001"], accounts: [...PERMISSION_ACCOUNTS] },
        { imageId: "m-uf6private01", regionId: "cn-shanghai", imageName: "private", snapshotIds: ["s-uf6private001"], accounts: [] },
    ];
    account.roles.set("AliyunECSShareEncryptSnapshotDefaultRole", {
        roleName: "AliyunECSShareEncryptSnapshotDefaultRole",
        assumeRolePolicyDocument: widenedSnapshotTrust(),
        maxSessionDuration: 3600,
        attached: [{ policyName: "alicloud-sharing-snapshot-kms", policyType: "Custom" }],
    });
    account.roles.set("AliyunECSShareEncryptImageDefaultRole", {
        roleName: "AliyunECSShareEncryptImageDefaultRole",
        assumeRolePolicyDocument: intendedInput("golden-images-share-role-role", "assumeRolePolicyDocument"),
        maxSessionDuration: 3600,
        attached: [{ policyName: "alicloud-sharing-image-kms", policyType: "Custom" }],
    });
    account.policies.set("Custom:alicloud-sharing-snapshot-kms", { policyName: "alicloud-sharing-snapshot-kms", policyType: "Custom", defaultVersion: "v1", document: intendedInput("dr-backups-share-role-kms-policy", "policyDocument") });
    account.policies.set("Custom:alicloud-sharing-image-kms", { policyName: "alicloud-sharing-image-kms", policyType: "Custom", defaultVersion: "v2", document: intendedInput("golden-images-share-role-kms-policy", "policyDocument") });
    for (const [keyId, regionId, deletionProtection] of [
        ["key-shh6backup0001", "cn-shanghai", "Enabled"],
        ["key-shh6golden0001", "cn-shanghai", "Enabled"],
        ["key-bjs6golden0001", "cn-beijing", "Disabled"],
    ] as const) {
        account.keys.set(keyId, { keyId, regionId, deletionProtection });
    }
    emulator.account = account;
    return account;
}
