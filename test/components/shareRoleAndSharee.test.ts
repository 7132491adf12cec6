import * as pulumi from "@pulumi/pulumi";
import { installMocks, OWNER, shape, valueOf, withLibraryConfig } from "../support/mocks";

const rec = installMocks();

import { EncryptedShareRole, SharedSnapshot, SharedSnapshotDisk, ShareeImageAccess } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { kmsSharePolicy, renderDocument, shareeImageAccessPolicy, trustPolicy } from "../../src/ram";
import { findingsOfError } from "../../src/rules";
import { recipientPathOf } from "../../src/components/common";

const A = "2222222222222222";
const KEY = "key-abcdefgh12345678";

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

describe("EncryptedShareRole", () => {
    test("a folder-wide image role with two keys: role, policy, attachment and outputs", async () => {
        const role = new EncryptedShareRole("images", {
            resourceKind: "image",
            kmsKeyId: KEY,
            kmsKeyRegion: "cn-shanghai",
            additionalKmsKeys: [{ keyId: "key-beijing000001", region: "cn-beijing" }],
            folderPaths: ["rd-a/r-b/fd-c", "rd-a/r-b/fd-d"],
            maxSessionDuration: 7200,
            policyName: "image-share-kms",
        });
        const outputs = {
            roleName: await valueOf(role.roleName),
            policyName: await valueOf(role.policyName),
            trustPolicy: await valueOf(role.trustPolicy),
            kmsPolicy: await valueOf(role.kmsPolicy),
        };
        await rec.settle();
        expect(shape(rec.registrations)).toEqual(
            [
                "alicloud-sharing:index:EncryptedShareRole images",
                "alicloud:ram/role:Role images-role",
                "alicloud:ram/policy:Policy images-kms-policy",
                "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment images-attachment",
            ].sort(),
        );
        const trust = renderDocument(trustPolicy({ folderPaths: ["rd-a/r-b/fd-c", "rd-a/r-b/fd-d"] }));
        const kms = renderDocument(
            kmsSharePolicy([
                { keyId: KEY, region: "cn-shanghai", ownerAccountId: OWNER },
                { keyId: "key-beijing000001", region: "cn-beijing", ownerAccountId: OWNER },
            ]),
        );
        expect(rec.byName("images-role").inputs).toEqual({
            roleName: "AliyunECSShareEncryptImageDefaultRole",
            assumeRolePolicyDocument: trust,
            description: "Lets ECS share encrypted images with the trusted accounts (managed by alicloud-sharing:index:EncryptedShareRole).",
            maxSessionDuration: 7200,
        });
        expect(rec.byName("images-attachment").dependencies.length).toBe(2);
        expect(outputs).toEqual({ roleName: "AliyunECSShareEncryptImageDefaultRole", policyName: "image-share-kms", trustPolicy: trust, kmsPolicy: kms });
    });

    test("two roles of different kinds coexist; a share after an explicit role of its kind must not create another", async () => {
        new EncryptedShareRole("snapshots", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] });
        new EncryptedShareRole("images", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A] });
        expect(() => new SharedSnapshot("dr", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A] })).toThrow(/\(rule one-role-per-name\)/);
        expect(() => new SharedSnapshot("dr", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A], createShareRole: false })).not.toThrow();
    });

    test("components are judged by the account their ownerAccountId names: two that name none, or the same, are one account (S4)", async () => {
        new SharedSnapshot("one", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A] });
        expect(() => new EncryptedShareRole("two", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] })).toThrow(/also defined by EncryptedShareRole "one-share-role".*\(rule one-role-per-name\)/);
        resetProgramState();
        // Each through a provider naming its account, as the pack reads it (owner-account-matches-provider).
        const { Provider } = await import("@pulumi/alicloud/provider");
        const four = new Provider("acct-4", { region: "cn-hangzhou", accountId: "4444444444444444" });
        const five = new Provider("acct-5", { region: "cn-hangzhou", accountId: "5555555555555555" });
        new SharedSnapshot("three", { snapshotIds: ["s-aaaa0002"], kmsKeyId: KEY, accountIds: [A], ownerAccountId: "4444444444444444" }, { provider: four });
        expect(() => new EncryptedShareRole("four", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A], ownerAccountId: "4444444444444444" }, { provider: four })).toThrow(/\(rule one-role-per-name\)/);
        new EncryptedShareRole("five", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A], ownerAccountId: "5555555555555555" }, { provider: five });
        // Unnamed may be either named account: judged as one with each (fail closed).
        expect(() => new EncryptedShareRole("six", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] })).toThrow(/\(rule one-role-per-name\)/);
    });

    test("through two providers, roles are one account's unless each names its own (fail closed; the pack reads the providers' accountId)", async () => {
        const { Provider } = await import("@pulumi/alicloud/provider");
        const one = new Provider("acct-1", { region: "cn-hangzhou", accountId: "4444444444444444" });
        const two = new Provider("acct-2", { region: "cn-hangzhou", accountId: "4444444444444444" });
        new EncryptedShareRole("one", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] }, { provider: one });
        expect(() => new EncryptedShareRole("two", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] }, { provider: two })).toThrow(/\(rule one-role-per-name\)/);
        resetProgramState();
        new EncryptedShareRole("one", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A], ownerAccountId: "4444444444444444" }, { provider: one });
        expect(() => new EncryptedShareRole("two", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A], ownerAccountId: "5555555555555555" }, { provider: new Provider("acct-3", { region: "cn-hangzhou", accountId: "5555555555555555" }) })).not.toThrow();
    });

    test("bad arguments, all at once: kind (S4), recipients (C1), no one trusted (S5), session (C32), key (C9)", () => {
        let error: pulumi.InputPropertiesError | undefined;
        try {
            new EncryptedShareRole("bad", { resourceKind: "disk", kmsKeyId: "alias/x", accountIds: [], maxSessionDuration: 60 });
        } catch (e) {
            error = e as pulumi.InputPropertiesError;
        }
        expect(error!.errors.map((e) => [e.propertyPath, e.reason.match(/\(rule ([a-z-]+)\)$/)![1]])).toEqual([
            ["kmsKeyId", "kms-key-format"],
            ["resourceKind", "share-role-name"],
            ["accountIds", "trust-matches-targets"],
            ["maxSessionDuration", "ram-document-limits"],
        ]);
        expect(findingsOfError(error)!.map((f) => [f.ruleId, f.path, f.subject])).toEqual([
            ["kms-key-format", "kmsKeyId", { type: "alicloud-sharing:index:EncryptedShareRole", name: "bad" }],
            ["share-role-name", "resourceKind", { type: "alicloud-sharing:index:EncryptedShareRole", name: "bad" }],
            ["trust-matches-targets", "accountIds", { type: "alicloud-sharing:index:EncryptedShareRole", name: "bad" }],
            ["ram-document-limits", "maxSessionDuration", { type: "alicloud-sharing:index:EncryptedShareRole", name: "bad" }],
        ]);
        expect(() => new EncryptedShareRole("short", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A], maxSessionDuration: 60 })).toThrow(
            /\[C32\] maximum session duration 60 s is not a whole number from 3600 to 43200 s.*\(rule ram-document-limits\)/,
        );
    });

    test("a bad key region is the registry's region-format, as in the share components (C18, C19)", () => {
        expect(() => new EncryptedShareRole("region", { resourceKind: "image", kmsKeyId: KEY, kmsKeyRegion: "cn_shanghai", accountIds: [A] })).toThrow(
            'kmsKeyRegion: [C18, C19] "cn_shanghai" is not a region id (such as cn-hangzhou). Give a region id, lower case with hyphens, as the console shows it. (rule region-format)',
        );
        expect(() => new SharedSnapshot("region", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, kmsKeyRegion: "cn_shanghai", accountIds: [A] })).toThrow(
            'kmsKeyRegion: [C18, C19] "cn_shanghai" is not a region id (such as cn-hangzhou). Give a region id, lower case with hyphens, as the console shows it. (rule region-format)',
        );
    });
});

describe("SharedSnapshotDisk", () => {
    test("an ESSD disk encrypted with the sharee's own key", async () => {
        const disk = new SharedSnapshotDisk("restore", { snapshotId: "s-aaaa0001", zoneId: "cn-hangzhou-h", kmsKeyId: "key-mine00000001", sourceKmsKeyId: KEY, size: 100 });
        expect(await valueOf(disk.diskId)).toBe("restore-disk-id");
        await rec.settle();
        expect(shape(rec.registrations)).toEqual(["alicloud-sharing:index:SharedSnapshotDisk restore", "alicloud:ecs/ecsDisk:EcsDisk restore-disk"]);
        expect(rec.byName("restore-disk").inputs).toEqual({
            zoneId: "cn-hangzhou-h",
            snapshotId: "s-aaaa0001",
            category: "cloud_essd",
            encrypted: true,
            kmsKeyId: "key-mine00000001",
            size: 100,
            tags: { "alicloud-sharing-shared-snapshot": "encrypted" },
        });
    });
    test("C11: not ESSD, no key, or the source's key, is refused before anything is registered", async () => {
        expect(() => new SharedSnapshotDisk("a", { snapshotId: "s-aaaa0001", zoneId: "z", category: "cloud_efficiency", kmsKeyId: "key-mine00000001" })).toThrow(
            /\[C11\] category "cloud_efficiency" is not of the ESSD family/,
        );
        expect(() => new SharedSnapshotDisk("b", { snapshotId: "s-aaaa0001", zoneId: "z" })).toThrow(/\[C11\] no key is given for the disk/);
        expect(() => new SharedSnapshotDisk("c", { snapshotId: "s-aaaa0001", zoneId: "z", kmsKeyId: KEY, sourceKmsKeyId: KEY })).toThrow(/\[C11\] key key-abcdefgh12345678 is the shared snapshot's own key/);
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });
    test("an unencrypted shared snapshot may make any disk", async () => {
        new SharedSnapshotDisk("plain", { snapshotId: "s-aaaa0001", zoneId: "z", category: "cloud_efficiency", sourceEncrypted: false });
        await rec.settle();
        expect(rec.byName("plain-disk").inputs).toEqual({ zoneId: "z", snapshotId: "s-aaaa0001", category: "cloud_efficiency", encrypted: false, tags: { "alicloud-sharing-shared-snapshot": "unencrypted" } });
    });
});

describe("ShareeImageAccess", () => {
    test("one policy with exactly the C25 actions, attached to each user, group and role", async () => {
        const access = new ShareeImageAccess("launchers", { userNames: ["alice"], groupNames: ["ops"], roleNames: ["ci"] });
        expect(await valueOf(access.policyDocument)).toBe(renderDocument(shareeImageAccessPolicy()));
        await rec.settle();
        expect(shape(rec.registrations)).toEqual(
            [
                "alicloud-sharing:index:ShareeImageAccess launchers",
                "alicloud:ram/policy:Policy launchers-policy",
                "alicloud:ram/userPolicyAttachment:UserPolicyAttachment launchers-user-alice",
                "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment launchers-group-ops",
                "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment launchers-role-ci",
            ].sort(),
        );
        expect(rec.byName("launchers-policy").inputs.policyName).toBe("alicloud-sharing-image-access-launchers");
        expect(rec.byName("launchers-user-alice").inputs).toEqual({ policyName: "alicloud-sharing-image-access-launchers", policyType: "Custom", userName: "alice" });
    });
    test("see-only access; no identity at all is refused (C25)", async () => {
        const access = new ShareeImageAccess("viewers", { userNames: ["bob"], allowLaunch: false });
        expect(await valueOf(access.policyDocument)).toBe(renderDocument(shareeImageAccessPolicy(false)));
        expect(() => new ShareeImageAccess("nobody", {})).toThrow(/\[C25\] no RAM user, group or role is given.*\(rule sharee-image-access\)/);
    });
});

describe("a finding on a share role's trust points at the recipient's argument, in the component that gives it", () => {
    const B = "3333333333333333";
    const FOLDER = "rd-abc/r-xyz/fd-one";
    const allowOnlyA = (build: () => void) => () => withLibraryConfig({ allowedRecipients: { accountIds: [A] } }, build);
    /** [rule, argument path, subject name] of each finding the component threw. */
    const refusal = (build: () => void): string[][] => {
        try {
            build();
        } catch (e) {
            return findingsOfError(e)!.map((f) => {
                expect(f).not.toHaveProperty("values");
                return [f.ruleId, f.path, f.subject!.name];
            });
        }
        throw new Error("not refused");
    };
    test.each<[string, () => void, string[][]]>([
        ["the role trusts an account not allowed: its index", allowOnlyA(() => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A, B] })), [["trusted-principals-allowed", "accountIds[1]", "r"]]],
        ["the role trusts a folder not allowed: folderPaths, not accountIds", allowOnlyA(() => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A], folderPaths: [FOLDER] })), [["trusted-principals-allowed", "folderPaths[0]", "r"]]],
        [
            "a share whose own role would trust an account not allowed: the account's index, as the recipient's",
            allowOnlyA(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A, B] })),
            [["recipients-allowed", "accountIds[1]", "s"], ["trusted-principals-allowed", "accountIds[1]", "s"]],
        ],
        [
            "a share whose own role would trust a folder not allowed: the folder's index",
            allowOnlyA(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A], folderPaths: [FOLDER] })),
            [["recipients-allowed", "folderPaths[0]", "s"], ["trusted-principals-allowed", "folderPaths[0]", "s"]],
        ],
        [
            "a share to an account the program's role does not trust: the account's index",
            () => {
                new EncryptedShareRole("role", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] });
                new SharedSnapshot("w", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A, B], createShareRole: false });
            },
            [["trust-matches-targets", "accountIds[1]", "w"]],
        ],
        [
            "a share to a folder the program's role does not trust (compared by the folder's id): the folder's index",
            () => {
                new EncryptedShareRole("role", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] });
                new SharedSnapshot("w", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A], folderPaths: ["rd-abc/r-xyz/fd-zero", FOLDER], createShareRole: false });
            },
            [["trust-matches-targets", "folderPaths[0]", "w"]],
        ],
        [
            "two folder paths ending in the same folder id, the first allowed: the trust of the second is placed at the second",
            () =>
                withLibraryConfig({ allowedRecipients: { folderPathPrefixes: [FOLDER] } }, () =>
                    new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, folderPaths: [FOLDER, "rd-abc/r-xyz/fd-two/fd-one"] }),
                ),
            // (Resource Sharing names both by fd-one: the second is a duplicate too.)
            [["no-duplicates", "folderPaths[1]", "s"], ["recipients-allowed", "folderPaths[1]", "s"], ["trusted-principals-allowed", "folderPaths[1]", "s"]],
        ],
    ])("%s", (_name, build, expected) => {
        expect(refusal(build)).toEqual(expected);
    });

    test("recipientPathOf: as written, else as the same path (a trust pattern's `*` and `/` aside), else the same folder id; never a path the arguments do not have", () => {
        const args = { accountIds: [A, B], resourceDirectoryId: "rd-abc", folderPaths: [FOLDER, "rd-abc/r-xyz/fd-two/fd-one", "rd-abc/r-xyz/fd-three"] };
        expect(
            [B, "rd-abc", "rd-abc/r-xyz/fd-two/fd-one*", "rd-abc/r-xyz/fd-two/fd-one/*", `${FOLDER}*`, "fd-three", "fd-one", "4444444444444444", "*", "", "r-xyz"].map((v) => recipientPathOf(args, [v]) ?? "-"),
        ).toEqual(["accountIds[1]", "resourceDirectoryId", "folderPaths[1]", "folderPaths[1]", "folderPaths[0]", "folderPaths[2]", "folderPaths[0]", "-", "-", "-", "-"]);
        // The first value the arguments give.
        expect(recipientPathOf(args, ["4444444444444444", "fd-three", B])).toBe("folderPaths[2]");
    });
});
