/**
 * The demo account the emulator serves (`alicloud-sharing emulator --fixture demo`, and the package's audit tests):
 * the repository's own sharing setup (its `program/`, whose preview is `demo-preview.json`) as deployed, then changed
 * outside the stack, as security teams find accounts:
 *
 * - a console-made share `adhoc-export` of an unencrypted snapshot to an account outside the allow-list (on 2026-11-28);
 * - the snapshot share role's trust widened in the console to an account nobody shares with;
 * - deletion protection switched off on the Beijing golden-images key;
 * - a console-made image share permission of one image to 51 accounts (the quota is 50), over November 2026;
 * - one of the golden-images targets removed from the Shanghai share;
 * - and, left out of everything because gone: a deleted share, a disassociated target, an unshared image.
 *
 * The account also receives one snapshot share, and has a region without Resource Sharing. Pages hold at most two
 * entries, so every list is followed over pages. It is an emulated account, not a real one.
 */
import * as fs from "fs";
import * as path from "path";
import { EmulatedAccount, EmulatedSnapshot, Emulator, emptyAccount } from "./emulator";

/** The demo account's id. */
export const DEMO_ACCOUNT_ID = "1000000000000000";

/**
 * The file holding the demo account's stack as `alicloud-sharing preview --format json` reports it (the intended
 * state the audit's drift compares with). Shipped with the package's sources; the same path from `src/` and `dist/`.
 */
export const DEMO_PREVIEW_FILE = path.join(__dirname, "..", "..", "src", "testing", "demo-preview.json");

/** The 51 accounts the console-made image permission grants. */
export const DEMO_PERMISSION_ACCOUNTS: readonly string[] = Array.from({ length: 51 }, (_, i) => `21000000000000${String(i + 1).padStart(2, "0")}`);

/** The demo stack's preview report, parsed. */
export function demoPreview(): { resources: { name: string; inputs: Record<string, unknown> }[] } {
    return JSON.parse(fs.readFileSync(DEMO_PREVIEW_FILE, "utf8"));
}

/** A role's or policy's document as the stack's preview renders it. */
function intendedInput(resourceName: string, input: string): string {
    return demoPreview().resources.find((r) => r.name === resourceName)!.inputs[input] as string;
}

const snapshot = (snapshotId: string, regionId: string, kmsKeyId?: string): EmulatedSnapshot => ({ snapshotId, regionId, encrypted: kmsKeyId !== undefined, kmsKeyId, pollsLeft: 0, willFail: false, snapshotName: snapshotId.slice(2, 10) });

/** The snapshot share role's trust as the console left it: the stack's principal and one more. */
export function widenedSnapshotTrust(): string {
    const trust = JSON.parse(intendedInput("dr-backups-share-role-role", "assumeRolePolicyDocument"));
    trust.Statement[0].Principal.Service.push("5555666677778888@ecs.aliyuncs.com");
    return JSON.stringify(trust);
}

/** The demo account's snapshots (the emulator keeps snapshots apart from the account). */
export function demoSnapshots(): EmulatedSnapshot[] {
    return [
        snapshot("s-uf6backup00001", "cn-shanghai", "key-shh6backup0001"),
        snapshot("s-uf6backup00002", "cn-shanghai", "key-shh6backup0001"),
        snapshot("s-uf6adhoc00001", "cn-shanghai"),
        snapshot("s-uf6goldsys0001", "cn-shanghai", "key-shh6golden0001"),
        snapshot("s-uf6goldsys0002", "cn-shanghai", "key-shh6golden0001"),
        snapshot("s-2zecopysys0001", "cn-beijing", "key-bjs6golden0001"),
        snapshot("s-2zecopysys0002", "cn-beijing", "key-bjs6golden0001"),
        snapshot("s-uf6permsys0001", "cn-shanghai"),
        snapshot("s-uf6private001", "cn-shanghai"),
    ];
}

/** The demo account, new each call. */
export function demoAccount(): EmulatedAccount {
    const account = emptyAccount(DEMO_ACCOUNT_ID);
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
            // 2345678901234567 was removed in the console; 9999000011112222 is gone too.
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
            // Made in the console long after the stack's shares (which the emulator dates 2026-01-05).
            targets: [{ entityId: "7777000011112222", external: true, createTime: "2026-11-28T17:42:09.512Z" }],
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
        { imageId: "m-uf6perm000001", regionId: "cn-shanghai", imageName: "partner-base", snapshotIds: ["s-uf6permsys0001"], accounts: [...DEMO_PERMISSION_ACCOUNTS], sharedTimes: Object.fromEntries(DEMO_PERMISSION_ACCOUNTS.map((a, i) => [a, `2026-11-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`])) },
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
    return account;
}

/** Loads the demo account into an emulator (its snapshots too), with every list paging correctly; the account. */
export function loadDemo(emulator: Emulator): EmulatedAccount {
    emulator.snapshots.clear();
    for (const s of demoSnapshots()) {
        emulator.snapshots.set(s.snapshotId, s);
    }
    emulator.pagingQuirks.clear();
    // One account: no directory, no member.
    emulator.directory = undefined;
    emulator.accounts.clear();
    const account = demoAccount();
    emulator.account = account;
    return account;
}
