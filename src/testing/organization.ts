/**
 * The organization the emulator serves (`alicloud-sharing emulator --fixture organization`, and the package's tests):
 * the demo account (src/testing/demo.ts) as the management account of resource directory rd-3G6Rt8, and four members.
 * It is an emulated organization, not a real one.
 *
 * - root folder r-Wm2Xo1: the management account 1000000000000000, and `recovery` 3456789012345678, which receives
 *   the management account's `dr-backups` snapshots and made two disks from one of them;
 * - folder `prod` fd-bVaRIG8Zp1: `payments` 1234567890123456, which runs an instance of the golden image the
 *   management account shares with the folder, and shares an unencrypted snapshot of its own with `recovery`;
 * - folder `analytics` fd-k3Pq9Zx2 (in `prod`): `analytics` 2345678901234567, which runs an instance of the Beijing
 *   copy of the golden image;
 * - folder `sandbox` fd-Sbx4Lm7Q: `sandbox` 4567890123456789, whose access role was deleted: it cannot be read.
 *
 * Every member but `sandbox` has the directory's access role, trusting the management account.
 */
import { DEMO_ACCOUNT_ID, loadDemo } from "./demo";
import { EmulatedAccount, EmulatedDirectory, Emulator, accessRoleTrust, emptyAccount } from "./emulator";

export const ORGANIZATION_DIRECTORY_ID = "rd-3G6Rt8";
export const ORGANIZATION_ROOT_FOLDER_ID = "r-Wm2Xo1";
export const PAYMENTS_ACCOUNT_ID = "1234567890123456";
export const ANALYTICS_ACCOUNT_ID = "2345678901234567";
export const RECOVERY_ACCOUNT_ID = "3456789012345678";
export const SANDBOX_ACCOUNT_ID = "4567890123456789";

/** The directory: its folders and members. */
export function organizationDirectory(): EmulatedDirectory {
    return {
        resourceDirectoryId: ORGANIZATION_DIRECTORY_ID,
        rootFolderId: ORGANIZATION_ROOT_FOLDER_ID,
        masterAccountId: DEMO_ACCOUNT_ID,
        folders: [
            { folderId: "fd-bVaRIG8Zp1", folderName: "prod", parentFolderId: ORGANIZATION_ROOT_FOLDER_ID },
            { folderId: "fd-k3Pq9Zx2", folderName: "analytics", parentFolderId: "fd-bVaRIG8Zp1" },
            { folderId: "fd-Sbx4Lm7Q", folderName: "sandbox", parentFolderId: ORGANIZATION_ROOT_FOLDER_ID },
        ],
        members: [
            { accountId: DEMO_ACCOUNT_ID, displayName: "management", folderId: ORGANIZATION_ROOT_FOLDER_ID, type: "CloudAccount", status: "InviteSuccess" },
            { accountId: RECOVERY_ACCOUNT_ID, displayName: "recovery", folderId: ORGANIZATION_ROOT_FOLDER_ID },
            { accountId: PAYMENTS_ACCOUNT_ID, displayName: "payments", folderId: "fd-bVaRIG8Zp1" },
            { accountId: ANALYTICS_ACCOUNT_ID, displayName: "analytics", folderId: "fd-k3Pq9Zx2" },
            { accountId: SANDBOX_ACCOUNT_ID, displayName: "sandbox", folderId: "fd-Sbx4Lm7Q" },
        ],
    };
}

/** A member account with the directory's access role. */
function member(accountId: string, regions: string[]): EmulatedAccount {
    const account = emptyAccount(accountId);
    account.regions = regions;
    account.sharingRegions = regions.filter((r) => r !== "ap-northeast-1");
    account.roles.set("ResourceDirectoryAccountAccessRole", {
        roleName: "ResourceDirectoryAccountAccessRole",
        assumeRolePolicyDocument: accessRoleTrust(DEMO_ACCOUNT_ID),
        maxSessionDuration: 3600,
        attached: [{ policyName: "AdministratorAccess", policyType: "System" }],
    });
    return account;
}

/** The member accounts, new each call. */
export function organizationMembers(): EmulatedAccount[] {
    const payments = member(PAYMENTS_ACCOUNT_ID, ["cn-beijing", "cn-shanghai"]);
    payments.shares = [
        {
            resourceShareId: "rs-paylogs0001",
            resourceShareName: "payments-logs",
            regionId: "cn-shanghai",
            allowExternalTargets: false,
            resources: [{ entityId: "s-uf6paylogs001", entityType: "Snapshot" }],
            targets: [{ entityId: RECOVERY_ACCOUNT_ID, external: false }],
        },
    ];
    payments.instances = [{ instanceId: "i-uf6payapp0001", regionId: "cn-shanghai", imageId: "m-uf6golden00001", instanceName: "payments-app" }];

    const analytics = member(ANALYTICS_ACCOUNT_ID, ["cn-beijing", "cn-shanghai"]);
    analytics.instances = [
        { instanceId: "i-2zeanalytic01", regionId: "cn-beijing", imageId: "m-2zecopy0000001", instanceName: "analytics-worker" },
        // Another image: not lost with the golden images.
        { instanceId: "i-2zeanalytic02", regionId: "cn-beijing", imageId: "m-2zeownimage01", instanceName: "analytics-own" },
    ];

    const recovery = member(RECOVERY_ACCOUNT_ID, ["cn-shanghai"]);
    recovery.received = [
        { resourceShareId: "rs-drbackups01", resourceShareName: "dr-backups", regionId: "cn-shanghai", ownerAccountId: DEMO_ACCOUNT_ID, resources: [{ resourceId: "s-uf6backup00001", resourceType: "Snapshot" }, { resourceId: "s-uf6backup00002", resourceType: "Snapshot" }] },
        { resourceShareId: "rs-paylogs0001", resourceShareName: "payments-logs", regionId: "cn-shanghai", ownerAccountId: PAYMENTS_ACCOUNT_ID, resources: [{ resourceId: "s-uf6paylogs001", resourceType: "Snapshot" }] },
        // From a partner outside the directory.
        { resourceShareId: "rs-partner0001", resourceShareName: "partner-dataset", regionId: "cn-shanghai", ownerAccountId: "9876543210987654", resources: [{ resourceId: "s-uf6partner001", resourceType: "Snapshot" }] },
    ];
    recovery.disks = [
        { diskId: "d-uf6restore001", regionId: "cn-shanghai", sourceSnapshotId: "s-uf6backup00001", instanceId: "i-uf6restore01", encrypted: true, kmsKeyId: "key-shh6recovery01" },
        { diskId: "d-uf6restore002", regionId: "cn-shanghai", sourceSnapshotId: "s-uf6backup00001", encrypted: true, kmsKeyId: "key-shh6recovery01" },
        { diskId: "d-uf6scratch001", regionId: "cn-shanghai", encrypted: false },
    ];

    const sandbox = member(SANDBOX_ACCOUNT_ID, ["cn-hangzhou"]);
    // The access role was deleted in the console: the management account cannot read it.
    sandbox.roles.delete("ResourceDirectoryAccountAccessRole");
    return [payments, analytics, recovery, sandbox];
}

/** Loads the organization into an emulator: the demo account as its own account, the directory, the members. */
export function loadOrganization(emulator: Emulator): { management: EmulatedAccount; members: EmulatedAccount[] } {
    const management = loadDemo(emulator);
    emulator.snapshots.set("s-uf6paylogs001", { snapshotId: "s-uf6paylogs001", regionId: "cn-shanghai", encrypted: false, pollsLeft: 0, willFail: false, snapshotName: "paylogs", ownerAccountId: PAYMENTS_ACCOUNT_ID });
    emulator.directory = organizationDirectory();
    emulator.accounts.clear();
    const members = organizationMembers();
    members.forEach((m) => emulator.accounts.set(m.accountId, m));
    return { management, members };
}
