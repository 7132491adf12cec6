import {
    imagePermissionPolicy,
    policies,
    recipientsPolicy,
    resourceSharingPolicy,
    shareeDiskPolicy,
    shareRoleAttachmentPolicy,
    shareRolePolicy,
} from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { renderDocument, trustPolicy } from "../../src/ram";
import { expectViolations, runPolicies, runPolicy, secret, TestResource, unknown, violationSet } from "../../src/testing";

const A = "2222222222222222";
const B = "3333333333333333";
const OWNER = "1111111111111111";
const snapshotRoleName = "AliyunECSShareEncryptSnapshotDefaultRole";
const role = (name: string, props: Record<string, unknown>): TestResource => ({ type: TYPES.role, name, props });
const openTrust = JSON.stringify({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "*@ecs.aliyuncs.com" } }], Version: "1" });

describe("sharing-share-role (ram.Role)", () => {
    test("a well-named role trusting its accounts passes; a role for EC2-style instance use is not a share role", async () => {
        expectViolations(
            await runPolicy(shareRolePolicy, [
                role("ok", { roleName: snapshotRoleName, assumeRolePolicyDocument: renderDocument(trustPolicy({ accountIds: [A] })) }),
                role("instance", { roleName: "app-instance-role", assumeRolePolicyDocument: JSON.stringify({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: ["ecs.aliyuncs.com"] } }], Version: "1" }) }),
            ]),
            [],
        );
    });
    test("misnamed (S4), open to every account's ECS (S1), too long a session (C32)", async () => {
        const violations = await runPolicy(shareRolePolicy, [
            role("misnamed", { roleName: "AliyunECSShareEncryptSnapshotRole", assumeRolePolicyDocument: renderDocument(trustPolicy({ accountIds: [A] })) }),
            role("open", { roleName: "AliyunECSShareEncryptImageDefaultRole", assumeRolePolicyDocument: openTrust, maxSessionDuration: 86400 }),
        ]);
        expectViolations(violations, ["share-role-name@misnamed", "trust-policy-not-open@open", "ram-document-limits@open"]);
        expect(violations.map((v) => v.message.slice(0, 5))).toEqual(["[S4, ", "[S1, ", "[C32]"]);
        expect(violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    });
    test("the deprecated field names are read too", async () => {
        expectViolations(await runPolicy(shareRolePolicy, [role("old", { name: snapshotRoleName, document: openTrust })]), ["trust-policy-not-open@old"]);
    });
    test("a trust policy unknown at preview fails closed (S6), never as the SDK's advisory", async () => {
        const resources = [role("later", { roleName: snapshotRoleName, assumeRolePolicyDocument: unknown.string })];
        const violations = await runPolicy(shareRolePolicy, resources);
        expectViolations(violations, ["role-documents-known@later"]);
        expect(violations[0].enforcementLevel).toBe("mandatory");
        expectViolations(await runPolicy(shareRolePolicy, resources, { "sharing-share-role": { failClosedOnUnknown: false } }), []);
    });
    test("a secret trust policy is judged like any other", async () => {
        expectViolations(await runPolicy(shareRolePolicy, [role("secret", { roleName: snapshotRoleName, assumeRolePolicyDocument: secret(openTrust) })]), ["trust-policy-not-open@secret"]);
    });
    test.each([
        ["not JSON", "{"],
        ["a number", 42],
        ["an array", [1, 2]],
        ["a statement of the wrong shape", JSON.stringify({ Statement: "yes" })],
    ])("a malformed trust policy (%s) on a share role is a violation, never a crash", async (_what, doc) => {
        expectViolations(await runPolicy(shareRolePolicy, [role("bad", { roleName: snapshotRoleName, assumeRolePolicyDocument: doc })]), ["trust-policy-not-open@bad"]);
    });
});

describe("sharing-share-role-attachment (ram.RolePolicyAttachment)", () => {
    test("the custom KMS policy passes; AliyunKMSFullAccess on a share role does not (S2)", async () => {
        const resources: TestResource[] = [
            { type: TYPES.rolePolicyAttachment, name: "custom", props: { roleName: snapshotRoleName, policyName: "alicloud-sharing-snapshot-kms", policyType: "Custom" } },
            { type: TYPES.rolePolicyAttachment, name: "full", props: { roleName: snapshotRoleName, policyName: "AliyunKMSFullAccess", policyType: "System" } },
            { type: TYPES.rolePolicyAttachment, name: "other-role", props: { roleName: "ops", policyName: "AliyunKMSFullAccess", policyType: "System" } },
        ];
        expectViolations(await runPolicy(shareRoleAttachmentPolicy, resources), ["share-role-system-policy@full"]);
    });
});

describe("sharing-resource-share (Resource Sharing resources)", () => {
    test("well-formed share, resources and targets pass", async () => {
        const resources: TestResource[] = [
            { type: TYPES.resourceShare, name: "share", props: { resourceShareName: "dr-backups", allowExternalTargets: true } },
            { type: TYPES.sharedResource, name: "snap", props: { resourceShareId: "rs-1", resourceId: "s-abcd1234", resourceType: "Snapshot" } },
            { type: TYPES.sharedTarget, name: "acct", props: { resourceShareId: "rs-1", targetId: A } },
            { type: TYPES.sharedTarget, name: "folder", props: { resourceShareId: "rs-1", targetId: "fd-bVaRIG8Zp1" } },
            { type: TYPES.sharedResource, name: "vswitch", props: { resourceShareId: "rs-1", resourceId: "vsw-1", resourceType: "VSwitch" } },
        ];
        expectViolations(await runPolicy(resourceSharingPolicy, resources), []);
    });
    test("bad name (C28), inline targets (C29), a type typo (C31), a wrong id (C5, C16), a RAM user as target (C1)", async () => {
        const resources: TestResource[] = [
            { type: TYPES.resourceShare, name: "share", props: { resourceShareName: "DR backups!", targets: [A] } },
            { type: TYPES.sharedResource, name: "typo", props: { resourceShareId: "rs-1", resourceId: "s-abcd1234", resourceType: "snapshot" } },
            { type: TYPES.sharedResource, name: "wrong-id", props: { resourceShareId: "rs-1", resourceId: "m-abcd1234", resourceType: "Snapshot" } },
            { type: TYPES.sharedTarget, name: "user", props: { resourceShareId: "rs-1", targetId: "bob@example.com" } },
            { type: TYPES.sharedTarget, name: "number", props: { resourceShareId: "rs-1", targetId: 2222 } },
        ];
        expectViolations(await runPolicy(resourceSharingPolicy, resources), [
            "share-name@share",
            "no-inline-share-items@share",
            "resource-type@typo",
            "resource-id-format@wrong-id",
            "principal-format@user",
            "principal-format@number",
        ]);
    });
});

describe("sharing-image-permission (ecs.ImageSharePermission)", () => {
    test("an image to an account passes; a snapshot id or a directory does not", async () => {
        expectViolations(
            await runPolicy(imagePermissionPolicy, [
                { type: TYPES.imageSharePermission, name: "ok", props: { imageId: "m-abcd1234", accountId: A } },
                { type: TYPES.imageSharePermission, name: "snapshot", props: { imageId: "s-abcd1234", accountId: A } },
                { type: TYPES.imageSharePermission, name: "alias", props: { imageId: "m-abcd1234", accountId: "finance" } },
            ]),
            ["resource-id-format@snapshot", "principal-format@alias"],
        );
    });
});

describe("sharing-recipients (S3, S6, C2, C3)", () => {
    const config = {
        "sharing-recipients": {
            allowedRecipients: { accountIds: [A], resourceDirectoryIds: ["rd-abc"], folderPathPrefixes: ["rd-abc/r-def/fd-ghi"] },
            accountSites: { [OWNER]: "china", [B]: "international" },
            ownerAccountIds: [OWNER],
        },
    };
    test("allowed recipients pass, others fail, across targets, permissions, inline targets and trust", async () => {
        const resources: TestResource[] = [
            { type: TYPES.sharedTarget, name: "allowed-account", props: { resourceShareId: "rs-1", targetId: A } },
            { type: TYPES.sharedTarget, name: "allowed-folder", props: { resourceShareId: "rs-1", targetId: "fd-ghi" } },
            { type: TYPES.sharedTarget, name: "other-folder", props: { resourceShareId: "rs-1", targetId: "fd-zzz" } },
            { type: TYPES.imageSharePermission, name: "other-site", props: { imageId: "m-abcd1234", accountId: B } },
            { type: TYPES.imageSharePermission, name: "owner", props: { imageId: "m-abcd1234", accountId: OWNER } },
            { type: TYPES.resourceShare, name: "inline", props: { resourceShareName: "x", targets: ["rd-other"] } },
            { type: TYPES.resourceShare, name: "no-inline", props: { resourceShareName: "x" } },
            role("trusting", { roleName: snapshotRoleName, assumeRolePolicyDocument: renderDocument(trustPolicy({ accountIds: [A], folderPaths: ["rd-abc/r-def/fd-ghi/fd-sub", "rd-xyz/r-def/fd-out"] })) }),
        ];
        expectViolations(await runPolicy(recipientsPolicy, resources, config), [
            "recipients-allowed@other-folder",
            "recipients-allowed@other-site",
            "same-site@other-site",
            "recipients-allowed@owner",
            "not-own-account@owner",
            "recipients-allowed@inline",
            "trusted-principals-allowed@trusting",
        ]);
    });
    test("a recipient unknown at preview fails closed, unless configured off", async () => {
        const resources: TestResource[] = [{ type: TYPES.sharedTarget, name: "later", props: { resourceShareId: "rs-1", targetId: unknown.string } }];
        expectViolations(await runPolicy(recipientsPolicy, resources), ["recipients-known@later"]);
        expectViolations(await runPolicy(recipientsPolicy, resources, { "sharing-recipients": { failClosedOnUnknown: false } }), []);
    });
    test("with no allow-list, anyone passes S3", async () => {
        expectViolations(await runPolicy(recipientsPolicy, [{ type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: B } }]), []);
    });
});

describe("sharing-sharee-disk (C11)", () => {
    const disk = (name: string, props: Record<string, unknown>, type: string = TYPES.ecsDisk): TestResource => ({ type, name, props: { zoneId: "cn-hangzhou-h", ...props } });
    test("disks from received snapshots: ESSD and own key pass; others fail; disks from other snapshots are not judged", async () => {
        const config = { "sharing-sharee-disk": { receivedSnapshots: [{ snapshotId: "s-shared0001", kmsKeyId: "key-source0001" }] } };
        const resources = [
            disk("ok", { snapshotId: "s-shared0001", category: "cloud_essd", encrypted: true, kmsKeyId: "key-mine00001" }),
            disk("hdd", { snapshotId: "s-shared0001", category: "cloud_efficiency", encrypted: true, kmsKeyId: "key-mine00001" }, TYPES.disk),
            disk("source-key", { snapshotId: "s-shared0001", category: "cloud_essd", encrypted: true, kmsKeyId: "key-source0001" }),
            disk("tagged", { snapshotId: "s-other00001", category: "cloud_auto", encrypted: false, tags: { "alicloud-sharing-shared-snapshot": "true" } }),
            disk("mine", { snapshotId: "s-mine000001", category: "cloud_efficiency" }),
        ];
        expectViolations(await runPolicy(shareeDiskPolicy, resources, config), [
            "disk-from-shared-encrypted-snapshot@hdd",
            "disk-from-shared-encrypted-snapshot@source-key",
            "disk-from-shared-encrypted-snapshot@tagged",
            "disk-from-shared-encrypted-snapshot@tagged",
        ]);
    });
});

describe("sharing-sharee-disk on custom images (C10)", () => {
    test("an image from a received snapshot is refused; from the account's own snapshot it is not", async () => {
        const config = { "sharing-sharee-disk": { receivedSnapshots: [{ snapshotId: "s-shared0001" }] } };
        expectViolations(
            await runPolicy(shareeDiskPolicy, [
                { type: TYPES.image, name: "from-shared", props: { snapshotId: "s-shared0001", imageName: "x" } },
                { type: TYPES.image, name: "from-mine", props: { snapshotId: "s-mine000001", imageName: "y" } },
                { type: TYPES.image, name: "from-instance", props: { instanceId: "i-1", imageName: "z" } },
            ], config),
            ["no-image-from-shared-snapshot@from-shared"],
        );
    });
});

describe("every policy on odd input", () => {
    const odd: unknown[] = [null, 7, "text", [], {}, [null], { Statement: null }, unknown.string, unknown.object, secret("x")];
    test("no policy throws, and none falls back to the SDK's 'can't run during preview'", async () => {
        const types = Object.values(TYPES);
        const resources: TestResource[] = types.flatMap((type, i) =>
            odd.map((value, j) => ({
                type,
                name: `odd-${i}-${j}`,
                props: Object.fromEntries(
                    ["roleName", "name", "assumeRolePolicyDocument", "document", "policyDocument", "resourceShareName", "targets", "resources", "resourceId", "resourceType", "targetId", "resourceShareId", "imageId", "accountId", "snapshotId", "category", "kmsKeyId", "encrypted", "tags", "policyType", "policyName", "maxSessionDuration", "deletionProtection"].map((k) => [k, value]),
                ),
            })),
        );
        const violations = await runPolicies(policies, resources);
        expect(violations.filter((v) => v.message.startsWith("can't run"))).toEqual([]);
        expect(violationSet(violations).length).toBeGreaterThan(0);
    });
});
