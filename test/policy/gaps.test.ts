/**
 * What a security reviewer found the pack let through, one fixture each: raw `@pulumi/alicloud` programs the
 * components would refuse, and the library's own output the pack used to refuse. Each case is the exact violation set.
 */
import { installMocks, asPolicyResources } from "../support/mocks";

const rec = installMocks();

import { SharedImage, SharedSnapshotDisk } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { policies, recipientsPolicy, resourceSharingPolicy, shareContentsPolicy, sharedKeysPolicy, shareeDiskPolicy, shareRolePolicy, shareRolesPolicy, limitsPolicy } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { kmsSharePolicy, renderDocument } from "../../src/ram";
import { expectViolations, runPolicies, runPolicy, TestResource, urnOf } from "../../src/testing";

const A = "2222222222222222";
const B = "3333333333333333";
const KEY = "key-abcdefgh12345678";
const snapshotRole = "AliyunECSShareEncryptSnapshotDefaultRole";
const trust = (statement: Record<string, unknown>) => JSON.stringify({ Version: "1", Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", ...statement }] });

// The components' warnings (C22 and C26, logged on the component) are not what these tests are about.
beforeAll(() => jest.spyOn(console, "warn").mockImplementation(() => undefined));

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

describe("share roles whose trust the pack used to accept (S1)", () => {
    const role = (name: string, document: string): TestResource => ({ type: TYPES.role, name, props: { roleName: snapshotRole, assumeRolePolicyDocument: document } });
    test("a RAM principal beside ECS, a partial wildcard, a wildcard-only folder condition: mandatory S1 violations", async () => {
        const violations = await runPolicy(shareRolePolicy, [
            role("ram", trust({ Principal: { Service: [`${A}@ecs.aliyuncs.com`], RAM: ["acs:ram::3333333333333333:root"] } })),
            role("partial", trust({ Principal: { Service: "1*@ecs.aliyuncs.com" } })),
            role("star-path", trust({ Principal: { Service: "*@ecs.aliyuncs.com" }, Condition: { StringLike: { "sts:ServiceOwnerRDPath": "*" } } })),
        ]);
        expectViolations(violations, ["trust-policy-not-open@ram", "trust-policy-not-open@partial", "trust-policy-not-open@star-path", "trust-policy-not-open@star-path"]);
        expect(violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    });
    test("a trust document that repeats a key (the narrow principal first, the open one last) cannot be proven safe", async () => {
        const repeated = '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["2222222222222222@ecs.aliyuncs.com"]},"Principal":{"Service":["*@ecs.aliyuncs.com"]}}]}';
        const violations = await runPolicy(shareRolePolicy, [role("repeated", repeated)]);
        expect(violations.map((v) => [v.finding?.ruleId, v.enforcementLevel])).toEqual([["trust-policy-not-open", "mandatory"]]);
        expect(violations[0].message).toContain("the document repeats the key Statement[0].Principal");
    });
    test("an exact StringEquals folder path, stricter than StringLike, is not open", async () => {
        expectViolations(await runPolicy(shareRolePolicy, [role("exact", trust({ Principal: { Service: "*@ecs.aliyuncs.com" }, Condition: { StringEquals: { "sts:ServiceOwnerRDPath": "rd-a/r-b/fd-c" } } }))]), []);
    });
    test("a role that names ECS only through NotPrincipal is a share role all the same, and misnamed (S4) and unsafe (S1)", async () => {
        const doc = JSON.stringify({ Version: "1", Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", NotPrincipal: { Service: `${A}@ecs.aliyuncs.com` } }] });
        expectViolations(await runPolicy(shareRolePolicy, [{ type: TYPES.role, name: "sneaky", props: { roleName: "ops", assumeRolePolicyDocument: doc } }]), [
            "share-role-name@sneaky",
            "trust-policy-not-open@sneaky",
        ]);
    });
});

describe("Resource Sharing resources the pack used to accept", () => {
    const shareResource = (name: string, props: Record<string, unknown>): TestResource => ({ type: TYPES.sharedResource, name, props: { resourceShareId: "rs-1", ...props } });
    test("resource types that are not exact, or absent (C31); other resource types are not ours", async () => {
        const violations = await runPolicy(resourceSharingPolicy, [
            shareResource("plural", { resourceId: "s-abcd1234", resourceType: "Snapshots" }),
            shareResource("none", { resourceId: "s-abcd1235" }),
            shareResource("lower", { resourceId: "m-abcd1234", resourceType: "image" }),
            shareResource("vswitch", { resourceId: "vsw-1", resourceType: "VSwitch" }),
        ]);
        expectViolations(violations, ["resource-type@plural", "resource-type@none", "resource-type@lower"]);
        expect(violations.map((v) => v.finding!.message)).toEqual(['resource type "Snapshots" is not "Snapshot".', "no resource type is given.", 'resource type "image" is not "Image".']);
    });
    test("a folder path as a SharedTarget id (C1): a target is the folder's id", async () => {
        const violations = await runPolicy(resourceSharingPolicy, [{ type: TYPES.sharedTarget, name: "path", props: { resourceShareId: "rs-1", targetId: "rd-a/r-b/fd-c" } }]);
        expectViolations(violations, ["principal-format@path"]);
        expect(violations[0].finding!.fix).toBe("Give the account id, or the id of the directory or folder (the last part of a folder path, not the path).");
    });
    test("re-sharing a snapshot received from another account (C10)", async () => {
        const resources = [shareResource("received", { resourceId: "s-shared0001", resourceType: "Snapshot" }), shareResource("mine", { resourceId: "s-mine00001", resourceType: "Snapshot" })];
        expectViolations(await runPolicy(resourceSharingPolicy, resources, { "sharing-resource-share": { receivedSnapshots: [{ snapshotId: "s-shared0001" }] } }), ["no-reshare@received"]);
    });
});

/** A share with targets, linked by property dependencies as a program links them. */
function share(name: string, targets: string[], props: Record<string, unknown> = { allowExternalTargets: true }, provider?: Record<string, unknown>): TestResource[] {
    const s: TestResource = { type: TYPES.resourceShare, name, props: { resourceShareName: name, ...props }, providerProps: provider };
    const link = { propertyDependencies: { resourceShareId: [urnOf(s)] }, providerProps: provider };
    return [
        s,
        { type: TYPES.sharedResource, name: `${name}-snap`, props: { resourceShareId: `${name}-id`, resourceId: `s-${name}0001`, resourceType: "Snapshot" }, ...link },
        ...targets.map((t, i) => ({ type: TYPES.sharedTarget, name: `${name}-t${i}`, props: { resourceShareId: `${name}-id`, targetId: t }, ...link })),
    ];
}

describe("what one share holds (C4, C30)", () => {
    test("the same account twice on one share (C4)", async () => {
        expectViolations(await runPolicy(shareContentsPolicy, share("dup", [A, B, A])), ["no-duplicates@dup"]);
    });
    test("accounts on a share without external targets (C30), unless listed as directory members", async () => {
        const closed = share("closed", [A, "rd-abc"], { allowExternalTargets: false });
        const violations = await runPolicy(shareContentsPolicy, closed);
        expectViolations(violations, ["external-targets@closed"]);
        expect(violations[0].finding!.path).toBe("closed-t0.targetId");
        expectViolations(await runPolicy(shareContentsPolicy, closed, { "sharing-share-contents": { resourceDirectoryAccountIds: [A] } }), []);
        expectViolations(await runPolicy(shareContentsPolicy, share("absent", [A], {})), ["external-targets@absent"]);
    });
});

describe("limits per owner account (C7)", () => {
    const many = (owner: string, n: number): TestResource[] => {
        const provider = { region: "cn-hangzhou", accountId: owner };
        const s: TestResource = { type: TYPES.resourceShare, name: `share-${owner}`, props: { resourceShareName: "s", allowExternalTargets: true }, providerProps: provider };
        return [
            s,
            ...Array.from({ length: n }, (_, i) => ({
                type: TYPES.sharedResource,
                name: `r-${owner}-${i}`,
                props: { resourceShareId: "x", resourceId: `s-${owner.slice(0, 4)}${String(i).padStart(6, "0")}`, resourceType: "Snapshot" },
                providerProps: provider,
                propertyDependencies: { resourceShareId: [urnOf(s)] },
            })),
        ];
    };
    test("600 shared snapshots in each of two owner accounts stay within C7; 1,100 in one do not", async () => {
        expectViolations(await runPolicy(limitsPolicy, [...many("4444444444444444", 600), ...many("5555555555555555", 600)]), []);
        expectViolations(await runPolicy(limitsPolicy, many("4444444444444444", 1100)), ["snapshot-owner-quota@r-4444444444444444-0"]);
    });
});

describe("custom images and disks from received snapshots (C10, C11)", () => {
    test("an image whose disk device mapping is a received snapshot (C10)", async () => {
        const image: TestResource = { type: TYPES.image, name: "img", props: { imageName: "x", diskDeviceMappings: [{ snapshotId: "s-mine00001" }, { snapshotId: "s-shared0001" }] } };
        const violations = await runPolicy(shareeDiskPolicy, [image], { "sharing-sharee-disk": { receivedSnapshots: [{ snapshotId: "s-shared0001" }] } });
        expectViolations(violations, ["no-image-from-shared-snapshot@img"]);
        expect(violations[0].finding!.path).toBe("diskDeviceMappings[1].snapshotId");
    });
    test("a disk from a received snapshot the config says is unencrypted is not judged by C11; encrypted is", async () => {
        const disk: TestResource = { type: TYPES.ecsDisk, name: "disk", props: { zoneId: "z", snapshotId: "s-shared0001", category: "cloud_efficiency" } };
        expectViolations(await runPolicy(shareeDiskPolicy, [disk], { "sharing-sharee-disk": { receivedSnapshots: [{ snapshotId: "s-shared0001", encrypted: false }] } }), []);
        const violations = await runPolicy(shareeDiskPolicy, [disk], { "sharing-sharee-disk": { receivedSnapshots: [{ snapshotId: "s-shared0001" }] } });
        expect(violations.map((v) => [v.finding!.ruleId, v.finding!.path])).toEqual([
            ["disk-from-shared-encrypted-snapshot", "category"],
            ["disk-from-shared-encrypted-snapshot", "encrypted"],
            ["disk-from-shared-encrypted-snapshot", "kmsKeyId"],
        ]);
    });
});

describe("encrypted image permissions (S5, C9, C27)", () => {
    const key: TestResource = { type: TYPES.kmsKey, name: "key", props: { description: "images" } };
    const copy: TestResource = { type: TYPES.imageCopy, name: "copy", props: { sourceImageId: "m-abcd1234", encrypted: true, kmsKeyId: "key-from-resource" }, propertyDependencies: { kmsKeyId: [urnOf(key)] } };
    const permission = (account: string): TestResource => ({ type: TYPES.imageSharePermission, name: `p-${account}`, props: { imageId: "m-copy0001", accountId: account }, propertyDependencies: { imageId: [urnOf(copy)] } });
    test("the key behind an image permission's image has no deletion protection (C27)", async () => {
        expectViolations(await runPolicy(sharedKeysPolicy, [key, copy, permission(A)]), ["shared-key-protected@key"]);
        expectViolations(await runPolicy(sharedKeysPolicy, [{ ...key, props: { deletionProtection: "Enabled" } }, copy, permission(A)]), []);
    });
    test("an image share role must trust the accounts of encrypted image permissions (S5) and hold the key's grants (C9)", async () => {
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: "AliyunECSShareEncryptImageDefaultRole", assumeRolePolicyDocument: trust({ Principal: { Service: `${B}@ecs.aliyuncs.com` } }) } };
        const violations = await runPolicy(shareRolesPolicy, [key, copy, permission(A), role]);
        expectViolations(violations, ["trust-matches-targets@role", "trust-matches-targets@role", "kms-grants-complete@role"]);
    });
});

describe("the library's own output, which the pack used to refuse", () => {
    test("SharedImage by image permission, encrypted, to accounts and a folder: no violation", async () => {
        new SharedImage("perm", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", kmsKeyId: KEY, accountIds: [A, B], folderPaths: ["rd-a/r-b/fd-c"], method: "imagePermission" });
        await rec.settle();
        const violations = await runPolicies(policies, asPolicyResources(rec.registrations));
        expectViolations(violations.filter((v) => v.enforcementLevel === "mandatory"), []);
    });
    test("SharedSnapshotDisk from an unencrypted shared snapshot: no C11 violation", async () => {
        new SharedSnapshotDisk("plain", { snapshotId: "s-aaaa0001", zoneId: "z", category: "cloud_efficiency", sourceEncrypted: false });
        await rec.settle();
        expectViolations(await runPolicies(policies, asPolicyResources(rec.registrations)), []);
    });
    test("a recipient of a share the pack judges is named by its own property path", async () => {
        const violations = await runPolicy(recipientsPolicy, [{ type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: A } }], { "sharing-recipients": { allowedRecipients: { accountIds: [B] } } });
        expect(violations.map((v) => [v.finding!.ruleId, v.finding!.path, v.finding!.subject])).toEqual([["recipients-allowed", "targetId", { type: TYPES.sharedTarget, name: "t", urn: urnOf({ type: TYPES.sharedTarget, name: "t", props: {} }) }]]);
    });
});

describe("KMS policies attached by name, in the role's account", () => {
    test("a policy attached by name to the role counts; the same name in another account does not", async () => {
        const document = renderDocument(kmsSharePolicy([{ keyId: KEY, region: "cn-hangzhou", ownerAccountId: "1111111111111111" }]));
        const here = { region: "cn-hangzhou", accountId: "1111111111111111" };
        const there = { region: "cn-hangzhou", accountId: "9999999999999999" };
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: snapshotRole, assumeRolePolicyDocument: trust({ Principal: { Service: `${A}@ecs.aliyuncs.com` } }) }, providerProps: here };
        const policy = (p: Record<string, unknown>): TestResource => ({ type: TYPES.policy, name: `kms-${p.accountId}`, props: { policyName: "kms", policyDocument: document }, providerProps: p });
        const attach = (p: Record<string, unknown>): TestResource => ({ type: TYPES.rolePolicyAttachment, name: `attach-${p.accountId}`, props: { roleName: snapshotRole, policyName: "kms", policyType: "Custom" }, providerProps: p });
        const shareHere = share("enc", [A], { allowExternalTargets: true }, here).map((r) => ({ ...r, dependencies: [urnOf(role)] }));
        expectViolations(await runPolicy(shareRolesPolicy, [role, policy(here), attach(here), ...shareHere]), []);
        expectViolations(await runPolicy(shareRolesPolicy, [role, policy(there), attach(there), ...shareHere]), ["kms-grants-complete@role"]);
    });
});

describe("KMS grants that look complete but are not (C9, S2)", () => {
    const key = "key-aaaaaaaa0001";
    const copy: TestResource = { type: TYPES.imageCopy, name: "copy", props: { sourceImageId: "m-abcd1234", encrypted: true, kmsKeyId: key }, providerProps: { region: "cn-shanghai" } };
    const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: "AliyunECSShareEncryptImageDefaultRole", assumeRolePolicyDocument: trust({ Principal: { Service: `${A}@ecs.aliyuncs.com` } }) } };
    const withPolicy = (document: string): TestResource[] => {
        const policy: TestResource = { type: TYPES.policy, name: "kms", props: { policyName: "kms", policyDocument: document } };
        const attach: TestResource = { type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: "AliyunECSShareEncryptImageDefaultRole", policyName: "kms", policyType: "Custom" }, propertyDependencies: { roleName: [urnOf(role)], policyName: [urnOf(policy)] } };
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: "m-copy0001", accountId: A }, propertyDependencies: { imageId: [urnOf(copy)] }, providerProps: { region: "cn-shanghai" } };
        return [copy, role, policy, attach, permission];
    };
    const full = (keyId: string, extra: object[] = []) =>
        JSON.stringify({ ...kmsSharePolicy([{ keyId, region: "cn-shanghai", ownerAccountId: "1111111111111111" }]), Statement: [...kmsSharePolicy([{ keyId, region: "cn-shanghai", ownerAccountId: "1111111111111111" }]).Statement, ...extra] });
    const messages = async (document: string) => (await runPolicy(shareRolesPolicy, withPolicy(document))).map((v) => v.finding!.message);
    test("the image's key is granted: no violation, even with no account on the provider", async () => {
        expect(await messages(full(key))).toEqual([]);
    });
    test("another key granted instead, the owner account unknown: the image's key is still missing", async () => {
        expect(await messages(full("key-bbbbbbbb0001"))).toEqual([`no KMS grant for acs:kms:cn-shanghai:*:key/${key}, the key of an encrypted share; sharing would fail.`]);
    });
    test("a Deny that takes an action back, or a grant under a condition, is not a grant", async () => {
        const arn = `acs:kms:cn-shanghai:1111111111111111:key/${key}`;
        expect(await messages(full(key, [{ Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }]))).toEqual([`the KMS grants for ${arn} lack kms:Decrypt; sharing would fail.`]);
        const conditional = JSON.stringify({ Version: "1", Statement: kmsSharePolicy([{ keyId: key, region: "cn-shanghai", ownerAccountId: "1111111111111111" }]).Statement.map((s) => ({ ...s, Condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/8" } } })) });
        expect(await messages(conditional)).toEqual([`no KMS grant for acs:kms:cn-shanghai:*:key/${key}, the key of an encrypted share; sharing would fail.`]);
    });
});

describe("more raw resources of the same kinds (a security review's second list)", () => {
    test("ecs.CopyImage, the provider's other image copy, on the service key and shared where encrypted images cannot be (C20, C19)", async () => {
        const copy: TestResource = { type: TYPES.copyImage, name: "copy", props: { sourceImageId: "m-abcd1234", encrypted: true }, providerProps: { region: "cn-hangzhou" } };
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: "m-copy0001", accountId: A }, propertyDependencies: { imageId: [urnOf(copy)] }, providerProps: { region: "cn-hangzhou" } };
        expectViolations(await runPolicies(policies, [copy, permission]), ["encrypted-image-region@p", "image-service-key@p"]);
    });
    test("an instance data disk from a received encrypted snapshot is judged as a disk (C11)", async () => {
        const instance: TestResource = { type: TYPES.instance, name: "vm", props: { imageId: "m-abcd1234", dataDisks: [{ size: 40 }, { snapshotId: "s-shared0001", category: "cloud_efficiency" }] } };
        const violations = await runPolicy(shareeDiskPolicy, [instance], { "sharing-sharee-disk": { receivedSnapshots: [{ snapshotId: "s-shared0001" }] } });
        expect(violations.map((v) => [v.finding!.ruleId, v.finding!.path])).toEqual([
            ["disk-from-shared-encrypted-snapshot", "dataDisks[1].category"],
            ["disk-from-shared-encrypted-snapshot", "dataDisks[1].encrypted"],
            ["disk-from-shared-encrypted-snapshot", "kmsKeyId"],
        ]);
    });
    test("a System policy attached to a share role through Resource Manager (S2)", async () => {
        const attach = (name: string, principalType: string): TestResource => ({ type: TYPES.resourceManagerPolicyAttachment, name, props: { policyName: "AliyunKMSFullAccess", policyType: "System", principalName: snapshotRole, principalType, resourceGroupId: "1111111111111111" } });
        expectViolations(await runPolicies(policies, [attach("role", "ServiceRole"), attach("user", "IMSUser")]), ["share-role-system-policy@role"]);
    });
    test("a key behind a shared encrypted image that is disabled or pending deletion (C27)", async () => {
        const key: TestResource = { type: TYPES.kmsKey, name: "key", props: { deletionProtection: "Enabled", status: "PendingDeletion" } };
        const copy: TestResource = { type: TYPES.imageCopy, name: "copy", props: { sourceImageId: "m-abcd1234", encrypted: true, kmsKeyId: "key-abcdefgh1234" }, propertyDependencies: { kmsKeyId: [urnOf(key)] } };
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: "m-copy0001", accountId: A }, propertyDependencies: { imageId: [urnOf(copy)] } };
        const violations = await runPolicy(sharedKeysPolicy, [key, copy, permission]);
        expect(violations.map((v) => [v.finding!.ruleId, v.finding!.path])).toEqual([["shared-key-protected", "status"]]);
    });
    test("snapshots of an owner nobody names count toward each named owner's quota (C7)", async () => {
        const shareOf = (name: string, n: number, provider?: Record<string, unknown>): TestResource[] => {
            const s: TestResource = { type: TYPES.resourceShare, name, props: { resourceShareName: name, allowExternalTargets: true }, providerProps: provider };
            return [s, ...Array.from({ length: n }, (_, i) => ({ type: TYPES.sharedResource, name: `${name}-${i}`, props: { resourceShareId: "x", resourceId: `s-${name}${String(i).padStart(6, "0")}`, resourceType: "Snapshot" }, providerProps: provider, propertyDependencies: { resourceShareId: [urnOf(s)] } }))];
        };
        const named = shareOf("named", 600, { region: "cn-hangzhou", accountId: "4444444444444444" });
        expectViolations(await runPolicy(limitsPolicy, [...named, ...shareOf("unnamed", 600)]), ["snapshot-owner-quota@named-0"]);
    });
});
