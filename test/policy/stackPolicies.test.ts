import { installMocks, asPolicyResources, PACK_LEVELS } from "../support/mocks";

const rec = installMocks();

import { SharedImage, SharedSnapshot } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import {
    directoryAndAccountsPolicy,
    encryptedImagesPolicy,
    exemptionsInUse,
    exemptionsPolicy,
    limitsPolicy,
    policies,
    sharedKeysPolicy,
    shareRolesPolicy,
} from "../../src/policy";
import { globMatches } from "../../src/policy/framework";
import { shareRolePolicy } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { kmsSharePolicy, renderDocument, trustPolicy } from "../../src/ram";
import { expectViolations, runPolicies, runPolicy, TestResource, urnOf } from "../../src/testing";

const A = "2222222222222222";
const accounts = (n: number, base = 3000000000000000) => Array.from({ length: n }, (_, i) => String(base + i));

/** A resource share with its resources and targets, linked by property dependencies as a program links them. */
function share(name: string, kind: "Snapshot" | "Image", ids: string[], targets: string[], extra: Partial<TestResource> = {}): TestResource[] {
    const s: TestResource = { type: TYPES.resourceShare, name, props: { resourceShareName: name, allowExternalTargets: true }, ...extra };
    const link = { propertyDependencies: { resourceShareId: [urnOf(s)] }, dependencies: [...(extra.dependencies ?? [])] };
    return [
        s,
        ...ids.map((id) => ({ type: TYPES.sharedResource, name: `${name}-${id}`, props: { resourceShareId: `${name}-id`, resourceId: id, resourceType: kind }, ...link })),
        ...targets.map((t) => ({ type: TYPES.sharedTarget, name: `${name}-${t}`, props: { resourceShareId: `${name}-id`, targetId: t }, ...link })),
    ];
}

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
    exemptionsInUse.clear();
});

describe("a stack built with the components", () => {
    test("passes every policy of the pack", async () => {
        new SharedSnapshot("dr", { snapshotIds: ["s-aaaa0001", "s-aaaa0002"], kmsKeyId: "key-abcdefgh12345678", accountIds: [A], folderPaths: ["rd-a/r-b/fd-c"] });
        new SharedImage("golden", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", kmsKeyId: "key-abcdefgh12345678", resourceDirectoryId: "rd-a", copyToRegions: ["cn-beijing"], copyKmsKeyIds: { "cn-beijing": "key-bbbbbbbb12345678" } });
        await rec.settle();
        expectViolations(await runPolicies(policies, asPolicyResources(rec.registrations)), []);
    });
});

describe("sharing-limits (C6, C7, C17)", () => {
    test("a snapshot in two shares reaching 65 accounts in all exceeds C6; 64 does not", async () => {
        const ok = [...share("a", "Snapshot", ["s-aaaa0001"], accounts(32)), ...share("b", "Snapshot", ["s-aaaa0001"], accounts(32, 4000000000000000))];
        expectViolations(await runPolicy(limitsPolicy, ok), []);
        const over = [...ok, ...share("c", "Snapshot", ["s-aaaa0001"], [A])];
        const violations = await runPolicy(limitsPolicy, over);
        expectViolations(violations, ["snapshot-account-limit@a-s-aaaa0001"]);
        expect(violations[0].message).toMatch(/^\[C6\] the snapshots are shared with 65 accounts; the limit is 64 per snapshot\./);
    });
    test("shared snapshots with the configured count already in use exceed C7", async () => {
        const resources = share("a", "Snapshot", ["s-aaaa0001", "s-aaaa0002"], [A]);
        expectViolations(await runPolicy(limitsPolicy, resources, { "sharing-limits": { sharedSnapshotsInUse: 1022 } }), []);
        expectViolations(await runPolicy(limitsPolicy, resources, { "sharing-limits": { sharedSnapshotsInUse: 1023 } }), ["snapshot-owner-quota@a-s-aaaa0001"]);
    });
    test("an image granted to 51 accounts through permissions exceeds C17; a raised quota allows it", async () => {
        const resources: TestResource[] = accounts(51).map((a) => ({ type: TYPES.imageSharePermission, name: `p-${a}`, props: { imageId: "m-aaaa0001", accountId: a } }));
        expectViolations(await runPolicy(limitsPolicy, resources), [`image-account-quota@p-${accounts(1)[0]}`]);
        expectViolations(await runPolicy(limitsPolicy, resources, { "sharing-limits": { imageShareQuota: 100 } }), []);
    });
    test("a share whose id is unknown is grouped through its property dependencies", async () => {
        const resources = share("a", "Snapshot", ["s-aaaa0001"], accounts(65)).map((r) => (r.type === TYPES.resourceShare ? r : { ...r, props: { ...r.props, resourceShareId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }));
        expectViolations(await runPolicy(limitsPolicy, resources), ["snapshot-account-limit@a-s-aaaa0001"]);
    });
});

describe("sharing-directory-and-accounts (C22, advisory)", () => {
    test("an image to a directory and to an account warns; a snapshot does not", async () => {
        const violations = await runPolicy(directoryAndAccountsPolicy, [...share("i", "Image", ["m-aaaa0001"], ["rd-abc", A]), ...share("s", "Snapshot", ["s-aaaa0001"], ["rd-abc", A])]);
        expectViolations(violations, ["directory-and-accounts@i-m-aaaa0001"]);
        expect(violations[0].enforcementLevel).toBe("advisory");
    });
});

describe("sharing-share-roles (S4, S5, S2)", () => {
    const roleName = "AliyunECSShareEncryptSnapshotDefaultRole";
    const role = (name: string, trusted: string[]): TestResource => ({ type: TYPES.role, name, props: { roleName, assumeRolePolicyDocument: renderDocument(trustPolicy({ accountIds: trusted })) } });
    const attachment = (r: TestResource, policyName: string): TestResource => ({ type: TYPES.rolePolicyAttachment, name: `${r.name}-attach`, props: { roleName, policyName, policyType: "Custom" }, propertyDependencies: { roleName: [urnOf(r)] } });
    const encryptedShare = (r: TestResource, targets: string[]) => share("enc", "Snapshot", ["s-aaaa0001"], targets, { dependencies: [urnOf(r)] });
    /** The KMS policy the library renders for a key, attached to the role. */
    const kms = (r: TestResource, document = renderDocument(kmsSharePolicy([{ keyId: "key-abcdefgh12345678", region: "cn-hangzhou", ownerAccountId: "1111111111111111" }]))): TestResource[] => {
        const policy: TestResource = { type: TYPES.policy, name: `${r.name}-kms`, props: { policyName: `${r.name}-kms`, policyDocument: document } };
        return [policy, { ...attachment(r, `${r.name}-kms`), propertyDependencies: { roleName: [urnOf(r)], policyName: [urnOf(policy)] } }];
    };

    test("an encrypted share trusted for exactly its recipients, its role able to use the key, passes", async () => {
        const r = role("role", [A, "4444444444444444"]);
        expectViolations(await runPolicy(shareRolesPolicy, [r, ...kms(r), ...encryptedShare(r, [A, "4444444444444444"])]), []);
    });
    test("the role of an encrypted share with no KMS policy attached, or one granting only some actions, cannot share (C9, S2)", async () => {
        const r = role("role", [A]);
        const none = await runPolicy(shareRolesPolicy, [r, ...encryptedShare(r, [A])]);
        expectViolations(none, ["kms-grants-complete@role"]);
        expect(none[0].message).toMatch(/^\[C9, C21, S2\] no KMS policy is attached to share role AliyunECSShareEncryptSnapshotDefaultRole; ECS cannot use the key to share\./);
        const arn = "acs:kms:cn-hangzhou:1111111111111111:key/key-abcdefgh12345678";
        const partial = JSON.stringify({ Version: "1", Statement: [{ Action: ["kms:Encrypt", "kms:Decrypt"], Resource: arn, Effect: "Allow" }] });
        const some = await runPolicy(shareRolesPolicy, [r, ...kms(r, partial), ...encryptedShare(r, [A])]);
        expectViolations(some, ["kms-grants-complete@role"]);
        expect(some[0].finding).toMatchObject({
            path: "role-kms.policyDocument",
            message: `the KMS grants for ${arn} lack kms:DescribeKey, kms:TagResource, kms:UntagResource, kms:GenerateDataKey, kms:List* on acs:kms:cn-hangzhou:1111111111111111:key; sharing would fail.`,
            subject: { type: TYPES.role, name: "role", urn: urnOf(r) },
        });
    });
    test("a stale and a missing principal (S5)", async () => {
        const r = role("role", [A, "5555555555555555"]);
        const violations = await runPolicy(shareRolesPolicy, [r, ...kms(r), ...encryptedShare(r, [A, "4444444444444444"])]);
        expectViolations(violations, ["trust-matches-targets@role", "trust-matches-targets@role"]);
        expect(violations.map((v) => v.message.replace(/ \(rule.*$/, ""))).toEqual([
            "[S5, C9, C21] the share role does not trust 4444444444444444, recipient of an encrypted share. Add them to the role's trust policy (or let the component build it from the targets). A share of unencrypted snapshots is taken as encrypted with the role of its account unless acknowledged (`unencryptedDataAcknowledged: true`, or the tag `alicloud-sharing-unencrypted-data: acknowledged` on a raw resource share).",
            "[S5, C9, C21] the share role trusts 5555555555555555, which no encrypted share targets. Remove them from the role's trust policy.",
        ]);
    });
    test("an encrypted image share with no image role (S4), unless declared as existing", async () => {
        const copy: TestResource = { type: TYPES.imageCopy, name: "copy", props: { sourceImageId: "m-aaaa0001", sourceRegionId: "cn-shanghai", encrypted: true, kmsKeyId: "key-abcdefgh12345678" } };
        const resources = [copy, ...share("img", "Image", ["m-placeholder"], [A]).map((r) => (r.type === TYPES.sharedResource ? { ...r, propertyDependencies: { ...r.propertyDependencies, resourceId: [urnOf(copy)] } } : r))];
        expectViolations(await runPolicy(shareRolesPolicy, resources), ["share-role-present@img"]);
        expectViolations(await runPolicy(shareRolesPolicy, resources, { "sharing-share-roles": { existingShareRoles: ["image"] } }), []);
    });
    test("two roles of one name for one account (S4); a wide KMS policy attached (S2)", async () => {
        const one = role("one", [A]);
        const two = role("two", [A]);
        const wide: TestResource = { type: TYPES.policy, name: "wide", props: { policyName: "kms-all", policyDocument: JSON.stringify({ Version: "1", Statement: [{ Action: "kms:*", Resource: "*", Effect: "Allow" }] }) } };
        const attach = { ...attachment(one, "kms-all"), propertyDependencies: { roleName: [urnOf(one)], policyName: [urnOf(wide)] } };
        expectViolations(await runPolicy(shareRolesPolicy, [one, two, wide, attach, ...encryptedShare(one, [A])]), [
            "kms-grants-complete@one",
            "kms-grants-complete@two",
            "one-role-per-name@one",
            "one-role-per-name@two",
            "kms-policy-minimal@wide",
        ]);
    });
});

describe("sharing-shared-keys (C27)", () => {
    test("the key behind a shared encrypted copy needs deletion protection", async () => {
        const key: TestResource = { type: TYPES.kmsKey, name: "golden-key", props: { description: "golden images" } };
        const protectedKey: TestResource = { type: TYPES.kmsKey, name: "protected-key", props: { deletionProtection: "Enabled" } };
        const copy = (name: string, k: TestResource): TestResource => ({ type: TYPES.imageCopy, name, props: { sourceImageId: "m-aaaa0001", sourceRegionId: "cn-shanghai", encrypted: true, kmsKeyId: `${k.name}-id` }, propertyDependencies: { kmsKeyId: [urnOf(k)] } });
        const c1 = copy("c1", key);
        const c2 = copy("c2", protectedKey);
        const link = (r: TestResource, c: TestResource) => (r.type === TYPES.sharedResource ? { ...r, propertyDependencies: { ...r.propertyDependencies, resourceId: [urnOf(c)] } } : r);
        const resources = [key, protectedKey, c1, c2, ...share("s1", "Image", ["m-1111"], [A]).map((r) => link(r, c1)), ...share("s2", "Image", ["m-2222"], [A]).map((r) => link(r, c2))];
        const violations = await runPolicy(sharedKeysPolicy, resources);
        expectViolations(violations, ["shared-key-protected@golden-key"]);
        expect(violations[0].message).toMatch(/^\[C27\] KMS key golden-key protects shared image m-1111 but its deletion protection is "Disabled"\./);
    });
});

describe("sharing-encrypted-images (C19, C20)", () => {
    test("an encrypted copy shared in a region that does not allow it, and a copy on the service key", async () => {
        const copy = (name: string, props: Record<string, unknown>, region: string): TestResource => ({ type: TYPES.imageCopy, name, props: { sourceImageId: "m-aaaa0001", sourceRegionId: "cn-shanghai", ...props }, providerProps: { region } });
        const inBeijing = copy("beijing", { encrypted: true, kmsKeyId: "key-bj0000001" }, "cn-beijing");
        const inHangzhou = copy("hangzhou", { encrypted: true, kmsKeyId: "key-hz0000001" }, "cn-hangzhou");
        const serviceKey = copy("service", { encrypted: true }, "cn-beijing");
        const shareOf = (c: TestResource) =>
            share(`share-${c.name}`, "Image", ["m-x"], [A], { providerProps: c.providerProps }).map((r) =>
                r.type === TYPES.sharedResource ? { ...r, propertyDependencies: { ...r.propertyDependencies, resourceId: [urnOf(c)] } } : r,
            );
        const resources = [inBeijing, inHangzhou, serviceKey, ...shareOf(inBeijing), ...shareOf(inHangzhou), ...shareOf(serviceKey)];
        expectViolations(await runPolicy(encryptedImagesPolicy, resources), ["encrypted-image-region@share-hangzhou", "image-service-key@share-service"]);
        expectViolations(await runPolicy(encryptedImagesPolicy, resources, { "sharing-encrypted-images": { encryptedImageRegions: ["cn-beijing", "cn-hangzhou"] } }), ["image-service-key@share-service"]);
    });
});

describe("exemptions (S7)", () => {
    const over = share("a", "Snapshot", ["s-aaaa0001"], accounts(65));
    const exemption = (expires: string) => ({ resource: "a-s-*", rules: ["C6"], reason: "splitting into folder shares, ticket SEC-42", expires });

    test("an exemption lifts its rule for the named resource and is listed as in use", async () => {
        const config = { "sharing-limits": { exemptions: [exemption("2099-01-01")] } };
        expectViolations(await runPolicy(limitsPolicy, over, config), []);
        const listed = await runPolicy(exemptionsPolicy, over, config);
        expect(listed.map((v) => [v.message, v.enforcementLevel])).toEqual([
            [`[S7] exemption in use: sharing-limits does not apply C6 to ${urnOf(over[1])} until 2099-01-01: splitting into folder shares, ticket SEC-42`, "advisory"],
        ]);
    });
    test("an expired exemption no longer applies and is reported", async () => {
        const violations = await runPolicy(limitsPolicy, over, { "sharing-limits": { exemptions: [exemption("2020-01-01")] } });
        expectViolations(violations, ["exemption-valid@a-s-aaaa0001", "snapshot-account-limit@a-s-aaaa0001"]);
        expect(violations[0].message).toMatch(/^\[S7\] the exemption of a-s-\* from C6 expired on 2020-01-01; it no longer applies\./);
    });
    test("a constraint id lifts only the rules it is the first constraint of: C21 does not lift an S1 finding that also cites C21", async () => {
        const open: TestResource = { type: TYPES.role, name: "open", props: { roleName: "AliyunECSShareEncryptImageDefaultRole", assumeRolePolicyDocument: JSON.stringify({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "*@ecs.aliyuncs.com" } }] }) } };
        const exempt = (rules: string[]) => ({ "sharing-share-role": { exemptions: [{ resource: "open", rules, reason: "reviewed by the security team, SEC-7", expires: "2099-01-01" }] } });
        expectViolations(await runPolicy(shareRolePolicy, [open], exempt(["C21"])), ["trust-policy-not-open@open"]);
        expectViolations(await runPolicy(shareRolePolicy, [open], exempt(["S1"])), []);
        expectViolations(await runPolicy(shareRolePolicy, [open], exempt(["trust-policy-not-open"])), []);
    });
    test("resource patterns match in linear time, whatever the stars", () => {
        expect(globMatches("*a*a*a*a*a*a*a*a*b", "a".repeat(200))).toBe(false);
        expect(globMatches("urn:*::legacy-*", "urn:pulumi:prod::dr::x::legacy-1")).toBe(true);
        expect(globMatches("a*b*c", "abc")).toBe(true);
        expect(globMatches("a*b*c", "acb")).toBe(false);
        expect(globMatches("ab*ba", "aba")).toBe(false);
        expect(globMatches("exact", "exact")).toBe(true);
    });
    test("an exemption for another rule or resource changes nothing", async () => {
        const config = { "sharing-limits": { exemptions: [{ ...exemption("2099-01-01"), rules: ["C17"] }, { ...exemption("2099-01-01"), resource: "other" }] } };
        expectViolations(await runPolicy(limitsPolicy, over, config), ["snapshot-account-limit@a-s-aaaa0001"]);
    });
});

describe("enforcement levels", () => {
    test("a policy can be made advisory or disabled by config", async () => {
        const over = share("a", "Snapshot", ["s-aaaa0001"], accounts(65));
        expect((await runPolicy(limitsPolicy, over, { "sharing-limits": { enforcementLevel: "advisory" } })).map((v) => v.enforcementLevel)).toEqual(["advisory"]);
        expect(await runPolicy(limitsPolicy, over, { "sharing-limits": { enforcementLevel: "disabled" } })).toEqual([]);
    });
    test("security and hard-limit policies are mandatory by default; C22 and the exemption list advisory", () => {
        expect(Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]))).toEqual(PACK_LEVELS);
    });
});
