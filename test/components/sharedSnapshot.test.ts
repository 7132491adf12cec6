import * as pulumi from "@pulumi/pulumi";
import { installMocks, nameOf, OWNER, REGION, shape, T, valueOf, withLibraryConfig } from "../support/mocks";

const rec = installMocks();

import { EncryptedShareRole, SharedSnapshot, findingsOfError } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { kmsSharePolicy, renderDocument, trustPolicy } from "../../src/ram";

const A = "2222222222222222";
const B = "3333333333333333";
const KEY = "key-abcdefgh12345678";

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

async function build(name: string, args: ConstructorParameters<typeof SharedSnapshot>[1]) {
    const component = new SharedSnapshot(name, args);
    const outputs = { resourceShareId: await valueOf(component.resourceShareId), shareRoleName: await valueOf(component.shareRoleName) };
    await rec.settle();
    return { component, outputs };
}

describe("SharedSnapshot, unencrypted, to accounts", () => {
    test("one share, one shared resource per snapshot, one target per account, all protected and parented", async () => {
        const { outputs } = await build("backups", { snapshotIds: ["s-aaaa0001", "s-aaaa0002"], accountIds: [A, B] });
        expect(shape(rec.registrations)).toEqual([
            `${T.snapshotShare} backups`,
            `${T.share} backups-share`,
            `${T.resource} backups-snapshot-s-aaaa0001`,
            `${T.resource} backups-snapshot-s-aaaa0002`,
            `${T.target} backups-target-${A}`,
            `${T.target} backups-target-${B}`,
        ].sort());
        const component = rec.byName("backups");
        for (const child of rec.resources()) {
            expect(child.parent).toBe(component.urn);
            expect(child.protect).toBe(true);
        }
        expect(rec.byName("backups-share").inputs).toEqual({ resourceShareName: "backups", allowExternalTargets: true });
        expect(rec.byName("backups-snapshot-s-aaaa0001").inputs).toEqual({ resourceShareId: "backups-share-id", resourceId: "s-aaaa0001", resourceType: "Snapshot" });
        expect(rec.byName(`backups-target-${B}`).inputs).toEqual({ resourceShareId: "backups-share-id", targetId: B });
        expect(rec.byName(`backups-target-${B}`).dependencies.map(nameOf)).toEqual(["backups-share"]);
        expect(outputs).toEqual({ resourceShareId: "backups-share-id", shareRoleName: undefined });
    });

    test("never the inline targets or resources of the share (C29)", async () => {
        await build("inline", { snapshotIds: ["s-aaaa0001"], accountIds: [A] });
        expect(Object.keys(rec.byName("inline-share").inputs).sort()).toEqual(["allowExternalTargets", "resourceShareName"]);
    });

    test("accounts listed as directory members keep the share closed to external targets (C30); others open it", async () => {
        await withLibraryConfig({ resourceDirectoryAccountIds: [A] }, async () => {
            await build("internal", { snapshotIds: ["s-aaaa0001"], accountIds: [A], accountsInResourceDirectory: true });
            await build("members", { snapshotIds: ["s-aaaa0001"], accountIds: [A] });
            await build("mixed", { snapshotIds: ["s-aaaa0001"], accountIds: [A, B] });
        });
        expect(["internal", "members", "mixed"].map((n) => rec.byName(`${n}-share`).inputs.allowExternalTargets)).toEqual([false, false, true]);
    });

    test("accountsInResourceDirectory with an account not listed as a member is refused (C30)", () => {
        expect(() => new SharedSnapshot("internal", { snapshotIds: ["s-aaaa0001"], accountIds: [A], accountsInResourceDirectory: true })).toThrow(
            `accountIds[0]: [C30, C13] account ${A} is not a known member of the owner's resource directory, and the share does not allow external targets. ` +
                "Allow external targets on the share (leave `accountsInResourceDirectory` off), or list the account in `resourceDirectoryAccountIds` if it is a member. (rule external-targets)",
        );
    });

    test("protect: false leaves the shares unprotected", async () => {
        await build("loose", { snapshotIds: ["s-aaaa0001"], accountIds: [A], protect: false });
        expect(rec.resources().map((r) => r.protect)).toEqual([false, false, false]);
    });

    test("shareName is used as given", async () => {
        await build("named", { snapshotIds: ["s-aaaa0001"], accountIds: [A], shareName: "dr.backups_v2" });
        expect(rec.byName("named-share").inputs.resourceShareName).toBe("dr.backups_v2");
    });
});

describe("SharedSnapshot, organization targets", () => {
    test("a directory: its id as target, no external targets", async () => {
        await build("org", { snapshotIds: ["s-aaaa0001"], resourceDirectoryId: "rd-3G6Rt8" });
        expect(rec.byName("org-share").inputs.allowExternalTargets).toBe(false);
        expect(rec.resources(T.target).map((r) => r.inputs.targetId)).toEqual(["rd-3G6Rt8"]);
    });
    test("folders: the last folder of each path as target", async () => {
        await build("teams", { snapshotIds: ["s-aaaa0001"], folderPaths: ["rd-a/r-b/fd-c", "rd-a/r-b/fd-c/fd-d"] });
        expect(shape(rec.resources(T.target))).toEqual([`${T.target} teams-target-fd-c`, `${T.target} teams-target-fd-d`].sort());
        expect(rec.byName("teams-share").inputs.allowExternalTargets).toBe(false);
    });
});

describe("SharedSnapshot, encrypted with a customer-managed key", () => {
    test("mixed targets: the role with exact documents, and every share child waits for its attachment", async () => {
        const { outputs } = await build("dr", {
            snapshotIds: ["s-aaaa0001"],
            kmsKeyId: KEY,
            accountIds: [A],
            resourceDirectoryId: "rd-abc",
            folderPaths: ["rd-abc/r-def/fd-ghi"],
        });
        expect(shape(rec.registrations)).toEqual([
            `${T.role} dr-share-role`,
            `${T.snapshotShare} dr`,
            `${T.attachment} dr-share-role-attachment`,
            `${T.policy} dr-share-role-kms-policy`,
            `${T.ramRole} dr-share-role-role`,
            `${T.share} dr-share`,
            `${T.resource} dr-snapshot-s-aaaa0001`,
            `${T.target} dr-target-${A}`,
            `${T.target} dr-target-fd-ghi`,
            `${T.target} dr-target-rd-abc`,
        ].sort());
        expect(rec.byName("dr-share-role").parent).toBe(rec.byName("dr").urn);
        expect(rec.byName("dr-share-role-role").inputs).toEqual({
            roleName: "AliyunECSShareEncryptSnapshotDefaultRole",
            assumeRolePolicyDocument: renderDocument(trustPolicy({ accountIds: [A], resourceDirectoryId: "rd-abc", folderPaths: ["rd-abc/r-def/fd-ghi"] })),
            description: "Lets ECS share encrypted snapshots with the trusted accounts (managed by alicloud-sharing:index:EncryptedShareRole).",
            maxSessionDuration: 3600,
        });
        expect(rec.byName("dr-share-role-kms-policy").inputs.policyDocument).toBe(
            renderDocument(kmsSharePolicy([{ keyId: KEY, region: REGION, ownerAccountId: OWNER }])),
        );
        expect(rec.byName("dr-share-role-attachment").inputs).toEqual({
            roleName: "AliyunECSShareEncryptSnapshotDefaultRole",
            policyName: "alicloud-sharing-snapshot-kms",
            policyType: "Custom",
        });
        const attachment = rec.byName("dr-share-role-attachment").urn;
        for (const child of [...rec.resources(T.share), ...rec.resources(T.resource), ...rec.resources(T.target)]) {
            expect(child.dependencies).toContain(attachment);
        }
        expect(outputs.shareRoleName).toBe("AliyunECSShareEncryptSnapshotDefaultRole");
    });

    test("explicit owner, region and key region win over the provider's; the children use a provider of that region", async () => {
        await build("explicit", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, kmsKeyRegion: "cn-shanghai", accountIds: [A], ownerAccountId: "4444444444444444", region: "cn-shanghai" });
        expect(rec.byName("explicit-share-role-kms-policy").inputs.policyDocument).toBe(
            renderDocument(kmsSharePolicy([{ keyId: KEY, region: "cn-shanghai", ownerAccountId: "4444444444444444" }])),
        );
        const provider = rec.byName("alicloud-sharing-cn-shanghai");
        expect([provider.type, provider.parent, provider.inputs.region]).toEqual([T.provider, "", "cn-shanghai"]);
        for (const child of rec.resources().filter((r) => r.type !== T.provider)) {
            expect(child.provider).toBe(`${provider.urn}::${provider.name}-id`);
        }
    });

    test("a key of another region than the share's is refused (C9): a key encrypts only in its own region", () => {
        expect(() => new SharedSnapshot("elsewhere", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, kmsKeyRegion: "cn-hangzhou", accountIds: [A], region: "cn-shanghai" })).toThrow(
            /kmsKeyRegion: \[C9, C21, C18\] the key is in cn-hangzhou but the snapshots are shared in cn-shanghai; a key encrypts only in its own region\..*\(rule key-in-share-region\)/,
        );
    });

    test("createShareRole: false makes no role", async () => {
        const { outputs } = await build("norole", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A], createShareRole: false });
        expect(rec.resources(T.ramRole)).toEqual([]);
        expect(outputs.shareRoleName).toBeUndefined();
    });

    test("a second share of the same kind cannot create the role again (S4), and says how", async () => {
        await build("first", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A] });
        rec.clear();
        expect(() => new SharedSnapshot("second", { snapshotIds: ["s-aaaa0002"], kmsKeyId: KEY, accountIds: [B] })).toThrow(
            /\[S4, C9, C21\] role AliyunECSShareEncryptSnapshotDefaultRole is also defined by EncryptedShareRole "first-share-role".*createShareRole: false.*\(rule one-role-per-name\)/s,
        );
        await rec.settle();
        expect(rec.registrations).toEqual([]);
        // With createShareRole: false it uses the program's role: for recipients that role trusts, with its key.
        await build("third", { snapshotIds: ["s-aaaa0003"], kmsKeyId: KEY, accountIds: [A], createShareRole: false });
        expect(rec.resources(T.ramRole)).toEqual([]);
        expect(() => new SharedSnapshot("fourth", { snapshotIds: ["s-aaaa0004"], kmsKeyId: KEY, accountIds: [B], createShareRole: false })).toThrow(
            `accountIds[0]: [S5, C9, C21] the share role (EncryptedShareRole "first-share-role") does not trust ${B}, recipient of an encrypted share. Add them to the recipients of EncryptedShareRole "first-share-role". A share of unencrypted snapshots is taken as encrypted with the role of its account unless acknowledged (\`unencryptedDataAcknowledged: true\`, or the tag \`alicloud-sharing-unencrypted-data: acknowledged\` on a raw resource share). (rule trust-matches-targets)`,
        );
    });
});

describe("SharedSnapshot with createShareRole: false uses the program's share role", () => {
    const role = () => new EncryptedShareRole("role", { resourceKind: "snapshot", kmsKeyId: KEY, kmsKeyRegion: REGION, accountIds: [A] });
    test("its share resources wait for that role's attachment, so the role is usable first and the pack sees the share as encrypted", async () => {
        role();
        await build("later", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A], createShareRole: false });
        const attachment = rec.byName("role-attachment").urn;
        for (const child of [rec.byName("later-share"), rec.byName("later-snapshot-s-aaaa0001"), rec.byName(`later-target-${A}`)]) {
            expect(child.dependencies).toContain(attachment);
        }
    });
    test("declared before the role, the share waits for it all the same", async () => {
        const share = new SharedSnapshot("early", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A], createShareRole: false });
        role();
        await valueOf(share.resourceShareId);
        await rec.settle();
        expect(rec.byName("early-share").dependencies).toContain(rec.byName("role-attachment").urn);
    });
    test("a recipient the role does not trust, or a key it cannot use, is refused (S5, C9)", () => {
        role();
        let error: unknown;
        try {
            new SharedSnapshot("wrong", { snapshotIds: ["s-aaaa0001"], kmsKeyId: "key-zzzzzzzz0001", accountIds: [A, B], createShareRole: false });
        } catch (e) {
            error = e;
        }
        expect(findingsOfError(error)!.map((f) => [f.ruleId, f.path, f.message])).toEqual([
            ["kms-grants-complete", "kmsKeyId", `no KMS grant for acs:kms:*:*:key/key-zzzzzzzz0001, the key of an encrypted share, in the share role (EncryptedShareRole "role"); sharing would fail.`],
            ["trust-matches-targets", "accountIds[1]", `the share role (EncryptedShareRole "role") does not trust ${B}, recipient of an encrypted share.`],
        ]);
    });
});

describe("limits counted across the program's components, as Alibaba Cloud counts them per account", () => {
    const accounts = (n: number, base: number) => Array.from({ length: n }, (_, i) => String(base + i));
    test("one snapshot shared by two components with 40 accounts each exceeds C6", () => {
        new SharedSnapshot("one", { snapshotIds: ["s-aaaa0001"], accountIds: accounts(40, 4000000000000000) });
        expect(() => new SharedSnapshot("two", { snapshotIds: ["s-aaaa0001"], accountIds: accounts(40, 5000000000000000) })).toThrow(
            /accountIds: \[C6\] the snapshots are shared with 80 accounts; the limit is 64 per snapshot\./,
        );
        expect(() => new SharedSnapshot("three", { snapshotIds: ["s-aaaa0002"], accountIds: accounts(40, 5000000000000000) })).not.toThrow();
    });
    test("snapshots shared by several components count toward one owner's quota (C7)", () => {
        const ids = (n: number, base: number) => Array.from({ length: n }, (_, i) => `s-${String(base + i).padStart(8, "0")}`);
        new SharedSnapshot("one", { snapshotIds: ids(600, 0), accountIds: [A] });
        expect(() => new SharedSnapshot("two", { snapshotIds: ids(600, 1000), accountIds: [A] })).toThrow(/\[C7\] 1200 snapshots shared here plus 0 already shared make 1200; an owner shares at most 1024\./);
    });
});

describe("SharedSnapshot, invalid arguments", () => {
    test("every problem at once, as InputPropertiesError, one error per property path; nothing registered", async () => {
        let error: unknown;
        try {
            new SharedSnapshot("bad", {
                snapshotIds: ["snap-1", "s-aaaa0001", "s-aaaa0001"],
                serviceKeyEncrypted: true,
                accountIds: ["bob", OWNER, A, A],
                ownerAccountId: OWNER,
                shareName: "no spaces please",
            });
        } catch (e) {
            error = e;
        }
        expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
        const errors = (error as pulumi.InputPropertiesError).errors;
        expect(errors.map((e) => [e.propertyPath, e.reason.match(/\(rule ([a-z-]+)\)$/)![1]])).toEqual([
            ["accountIds[0]", "principal-format"],
            ["accountIds[1]", "not-own-account"],
            ["accountIds[3]", "no-duplicates"],
            ["snapshotIds[2]", "no-duplicates"],
            ["snapshotIds[0]", "resource-id-format"],
            ["serviceKeyEncrypted", "snapshot-service-key"],
            ["shareName", "share-name"],
        ]);
        expect(errors[0].reason).toBe(
            '[C1] "bob" is not an account id (16 digits), a resource directory id (rd-…) or a folder path (rd-…/r-…/fd-…). ' +
                "Give the sharee's Alibaba Cloud account id, or the directory or folder path; RAM users and roles cannot receive shares. (rule principal-format)",
        );
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });

    test("65 accounts exceed the per-snapshot limit (C6)", () => {
        const accountIds = Array.from({ length: 65 }, (_, i) => String(5000000000000000 + i));
        expect(() => new SharedSnapshot("many", { snapshotIds: ["s-aaaa0001"], accountIds })).toThrow(/\[C6\] the snapshots are shared with 65 accounts; the limit is 64/);
    });

    test("the configured snapshots already shared count toward the owner quota (C7)", () => {
        withLibraryConfig({ sharedSnapshotsInUse: 1024 }, () =>
            expect(() => new SharedSnapshot("quota", { snapshotIds: ["s-aaaa0001"], accountIds: [A] })).toThrow(/\[C7\].*\(rule snapshot-owner-quota\)/),
        );
    });

    test("accounts of the other site are refused when sites are configured (C3)", () => {
        withLibraryConfig({ accountSites: { [OWNER]: "china", [A]: "international" } }, () =>
            expect(() => new SharedSnapshot("sites", { snapshotIds: ["s-aaaa0001"], accountIds: [A], ownerAccountId: OWNER })).toThrow(/\[C3\].*\(rule same-site\)/),
        );
    });

    test("bad library config is an error naming every bad key and value, checked against the pack's own schemas", () => {
        withLibraryConfig({ accountSites: { [A]: "mars" }, allowedRecipients: { accountIds: "all" }, maxAccountsPerSnapshot: "ten" }, () =>
            expect(() => new SharedSnapshot("cfg", { snapshotIds: ["s-aaaa0001"], accountIds: [A] })).toThrow(
                "the stack config of alicloud-sharing is not valid:\n" +
                    `  - alicloud-sharing:accountSites.${A}: must be one of "china", "international" (got "mars")\n` +
                    '  - alicloud-sharing:allowedRecipients.accountIds: must be array (got "all")\n' +
                    '  - alicloud-sharing:maxAccountsPerSnapshot: must be integer (got "ten")',
            ),
        );
    });

    test("bad config the stack keeps secret is named, never echoed: not the value at fault, not a part of the key's value", () => {
        const before = pulumi.runtime.allConfig();
        pulumi.runtime.setAllConfig(
            { ...before, "alicloud-sharing:accountSites": JSON.stringify({ "9999888877776666": "canary-site" }), "alicloud-sharing:maxAccountsPerSnapshot": "canary-ten" },
            ["alicloud-sharing:accountSites", "alicloud-sharing:maxAccountsPerSnapshot"],
        );
        try {
            expect(() => new SharedSnapshot("cfg", { snapshotIds: ["s-aaaa0001"], accountIds: [A] })).toThrow(
                "the stack config of alicloud-sharing is not valid:\n" +
                    '  - alicloud-sharing:accountSites: must be one of "china", "international" (a secret: its value is not shown)\n' +
                    "  - alicloud-sharing:maxAccountsPerSnapshot: must be integer (a secret: its value is not shown)",
            );
        } finally {
            pulumi.runtime.setAllConfig(before);
        }
    });

    test("resharing what was shared with this account (C10) and an unknown method are refused", () => {
        expect(() => new SharedSnapshot("re", { snapshotIds: ["s-aaaa0001"], accountIds: [A], sharedWithThisAccount: true })).toThrow(/\[C10, C16\].*\(rule no-reshare\)/);
    });
});
