/**
 * The relations the pack follows through a stack, one family each, written as raw resources the way the seeds and a
 * user write them (by name, by value, by property dependency): each of these was missed or misjudged before the pack
 * judged the sharing graph.
 */
import { policies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { kmsSharePolicy, renderDocument, trustPolicy } from "../../src/ram";
import { TestResource, runPolicies, unknown, urnOf, violationSet } from "../../src/testing";

/** An id made by another resource of the stack: unknown at preview, as the engine sends it. */
const MADE = unknown.string;

const OWNER = "1111111111111111";
const A = "2222222222222222";
const B = "3333333333333333";
const KEY = "key-abcdefgh12345678";
const SNAPSHOT_ROLE = "AliyunECSShareEncryptSnapshotDefaultRole";
const IMAGE_ROLE = "AliyunECSShareEncryptImageDefaultRole";
const at = (region: string) => ({ providerProps: { region, accountId: OWNER } });

/** Every violation of every policy, as `rule@resource`, the exemption list aside. */
const judge = async (resources: TestResource[], config = {}) => violationSet(await runPolicies(policies, resources, config));

/** A resource share in a region with one shared resource (by property dependency when `from` is given) and targets. */
function share(name: string, region: string, resource: { id: string; from?: TestResource; type?: string }, targets: string[], extra: Partial<TestResource> = {}): TestResource[] {
    const s: TestResource = { type: TYPES.resourceShare, name, props: { resourceShareName: name, allowExternalTargets: true }, ...at(region), ...extra };
    const link = { resourceShareId: [urnOf(s)] };
    return [
        s,
        {
            type: TYPES.sharedResource,
            name: `${name}-item`,
            props: { resourceShareId: `${name}-id`, resourceId: resource.id, resourceType: resource.type ?? "Snapshot" },
            propertyDependencies: resource.from === undefined ? link : { ...link, resourceId: [urnOf(resource.from)] },
            dependencies: extra.dependencies,
            ...at(region),
        },
        ...targets.map((t) => ({ type: TYPES.sharedTarget, name: `${name}-${t}`, props: { resourceShareId: `${name}-id`, targetId: t }, propertyDependencies: link, dependencies: extra.dependencies, ...at(region) })),
    ];
}

const trust = (accountIds: string[]) => renderDocument(trustPolicy({ accountIds }));
const seedKmsPolicy = (keyId = KEY, region = "cn-shanghai") => renderDocument(kmsSharePolicy([{ keyId, region, ownerAccountId: OWNER }]));

describe("KMS grants reach a share role by every path", () => {
    test("a custom policy granting kms:* on * attached by name to a share role made in the console (not in the stack) is judged (S2)", async () => {
        const wide: TestResource = { type: TYPES.policy, name: "wide", props: { policyName: "share-kms", policyDocument: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }) }, ...at("cn-shanghai") };
        const attach: TestResource = { type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: SNAPSHOT_ROLE, policyName: "share-kms", policyType: "Custom" }, ...at("cn-shanghai") };
        expect(await judge([wide, attach])).toEqual(["kms-policy-minimal@wide"]);
    });

    test("attached with resourcemanager.PolicyAttachment: the seed's policy counts as the role's grant; a wide one is refused", async () => {
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: SNAPSHOT_ROLE, assumeRolePolicyDocument: trust([A]) }, ...at("cn-shanghai") };
        const policy = (document: string): TestResource => ({ type: TYPES.policy, name: "kms", props: { policyName: "share-kms", policyDocument: document }, ...at("cn-shanghai") });
        const attach: TestResource = {
            type: TYPES.resourceManagerPolicyAttachment,
            name: "attach",
            props: { principalName: SNAPSHOT_ROLE, principalType: "ServiceRole", policyName: "share-kms", policyType: "Custom", resourceGroupId: "rg-1" },
            ...at("cn-shanghai"),
        };
        const disk: TestResource = { type: TYPES.ecsDisk, name: "disk", props: { encrypted: true, kmsKeyId: KEY, zoneId: "cn-shanghai-b" }, ...at("cn-shanghai") };
        const snapshot: TestResource = { type: TYPES.ecsSnapshot, name: "snap", props: { diskId: MADE }, propertyDependencies: { diskId: [urnOf(disk)] }, ...at("cn-shanghai") };
        const shared = share("dr", "cn-shanghai", { id: MADE, from: snapshot }, [A]);
        expect(await judge([role, policy(seedKmsPolicy()), attach, disk, snapshot, ...shared])).toEqual([]);
        expect(await judge([role, policy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] })), attach, disk, snapshot, ...shared])).toEqual([
            "kms-grants-complete@role",
            "kms-policy-minimal@kms",
        ]);
    });
});

describe("encryption is followed through disks, snapshots, images and copies", () => {
    const disk = (props: Record<string, unknown>, region = "cn-shanghai"): TestResource => ({ type: TYPES.ecsDisk, name: "disk", props: { zoneId: `${region}-b`, ...props }, ...at(region) });
    const snapshotOf = (d: TestResource): TestResource => ({ type: TYPES.ecsSnapshot, name: "snap", props: { diskId: MADE }, propertyDependencies: { diskId: [urnOf(d)] }, ...(d.providerProps === undefined ? {} : { providerProps: d.providerProps }) });

    test("a disk on the service key, its snapshot shared: C8", async () => {
        const d = disk({ encrypted: true });
        const s = snapshotOf(d);
        expect(await judge([d, s, ...share("dr", "cn-shanghai", { id: MADE, from: s }, [A])])).toEqual(["snapshot-service-key@dr"]);
    });

    test("a disk on a customer key, its snapshot shared with no share role: share-role-present (S4, C9)", async () => {
        const d = disk({ encrypted: true, kmsKeyId: KEY });
        const s = snapshotOf(d);
        expect(await judge([d, s, ...share("dr", "cn-shanghai", { id: MADE, from: s }, [A])])).toEqual(["share-role-present@dr"]);
    });

    test("an image made from a service-key snapshot, shared by permission outside the four regions: C20 and C19", async () => {
        const d = disk({ encrypted: true }, "us-west-1");
        const s = snapshotOf(d);
        const image: TestResource = { type: TYPES.image, name: "golden", props: { snapshotId: MADE, imageName: "golden" }, propertyDependencies: { snapshotId: [urnOf(s)] }, ...at("us-west-1") };
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: MADE, accountId: A }, propertyDependencies: { imageId: [urnOf(image)] }, ...at("us-west-1") };
        expect(await judge([d, s, image, permission])).toEqual(["encrypted-image-region@p", "image-service-key@p"]);
    });

    test("an unencrypted disk's snapshot shared with 40 accounts is named (C33, advisory); the acknowledgement tag silences it", async () => {
        const d = disk({});
        const s = snapshotOf(d);
        const accounts = Array.from({ length: 40 }, (_, i) => String(4000000000000000 + i));
        const violations = await runPolicies(policies, [d, s, ...share("open", "cn-shanghai", { id: MADE, from: s }, accounts)]);
        expect(violations.map((v) => `${v.enforcementLevel} ${v.finding?.ruleId}@${(v.urn ?? "").split("::").pop()}`)).toEqual(["advisory unencrypted-snapshot-acknowledged@open"]);
        expect(violations[0].message).toContain("each of the 40 recipients can read all of their data");
        const acknowledged = share("open", "cn-shanghai", { id: MADE, from: s }, accounts, { props: { resourceShareName: "open", allowExternalTargets: true, tags: { "alicloud-sharing-unencrypted-data": "acknowledged" } } });
        expect(await judge([d, s, ...acknowledged])).toEqual([]);
    });
});

describe("regions are followed through the stack", () => {
    test("a copy encrypted with a key made in another region: key-in-share-region (C18)", async () => {
        const key: TestResource = { type: TYPES.kmsKey, name: "beijing-key", props: { deletionProtection: "Enabled" }, ...at("cn-beijing") };
        const copy: TestResource = { type: TYPES.imageCopy, name: "copy", props: { sourceImageId: "m-abcd1234", sourceRegionId: "cn-beijing", encrypted: true, kmsKeyId: MADE }, propertyDependencies: { kmsKeyId: [urnOf(key)] }, ...at("cn-shanghai") };
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: IMAGE_ROLE, assumeRolePolicyDocument: trust([A]) }, ...at("cn-shanghai") };
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: MADE, accountId: A }, propertyDependencies: { imageId: [urnOf(copy)] }, dependencies: [urnOf(role)], ...at("cn-shanghai") };
        const found = await judge([key, copy, role, permission]);
        expect(found).toContain("key-in-share-region@copy");
    });

    test("a snapshot made in cn-beijing shared through a share made in cn-shanghai: shared-in-own-region (C18)", async () => {
        const s: TestResource = { type: TYPES.ecsSnapshot, name: "snap", props: { diskId: "d-bp1abcdefgh" }, ...at("cn-beijing") };
        const acknowledged = { props: { resourceShareName: "dr", allowExternalTargets: true, tags: { "alicloud-sharing-unencrypted-data": "acknowledged" } } };
        expect(await judge([s, ...share("dr", "cn-shanghai", { id: MADE, from: s }, [A], acknowledged)])).toEqual(["shared-in-own-region@dr-item"]);
        expect(await judge([s, ...share("dr", "cn-beijing", { id: MADE, from: s }, [A], acknowledged)])).toEqual([]);
    });
});

describe("a share finds its role by name, as ECS does", () => {
    test("written as the seeds write it (no dependsOn), a role that trusts another account than the share's target: S5", async () => {
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: SNAPSHOT_ROLE, assumeRolePolicyDocument: trust([B]) }, ...at("cn-shanghai") };
        const policy: TestResource = { type: TYPES.policy, name: "kms", props: { policyName: "share-kms", policyDocument: seedKmsPolicy() }, ...at("cn-shanghai") };
        const attach: TestResource = { type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: SNAPSHOT_ROLE, policyName: "share-kms", policyType: "Custom" }, ...at("cn-shanghai") };
        const found = await runPolicies(policies, [role, policy, attach, ...share("dr", "cn-shanghai", { id: "s-bp1abcdefgh0001" }, [A])]);
        expect(violationSet(found)).toEqual(["trust-matches-targets@role", "trust-matches-targets@role"]);
        expect(found.map((v) => v.finding?.message).sort()).toEqual([
            `the share role does not trust ${A}, recipient of an encrypted share.`,
            `the share role trusts ${B}, which no encrypted share targets.`,
        ]);
    });
});

describe("trust conditions of one statement all hold", () => {
    test("a directory condition for rd-A and a folder condition in rd-B admit nobody: the share to rd-A is not trusted (S5)", async () => {
        const document = JSON.stringify({
            Version: "1",
            Statement: [{
                Effect: "Allow",
                Action: "sts:AssumeRole",
                Principal: { Service: ["*@ecs.aliyuncs.com"] },
                Condition: { StringEquals: { "sts:ServiceOwnerRDId": "rd-aaaa" }, StringLike: { "sts:ServiceOwnerRDPath": "rd-bbbb/r-root/fd-fold*" } },
            }],
        });
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: SNAPSHOT_ROLE, assumeRolePolicyDocument: document }, ...at("cn-shanghai") };
        const policy: TestResource = { type: TYPES.policy, name: "kms", props: { policyName: "share-kms", policyDocument: seedKmsPolicy() }, ...at("cn-shanghai") };
        const attach: TestResource = { type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: SNAPSHOT_ROLE, policyName: "share-kms", policyType: "Custom" }, ...at("cn-shanghai") };
        const found = await runPolicies(policies, [role, policy, attach, ...share("dr", "cn-shanghai", { id: "s-bp1abcdefgh0001" }, ["rd-aaaa"])], {
            "sharing-recipients": { allowedRecipients: { resourceDirectoryIds: ["rd-aaaa"] } },
        });
        expect(found.map((v) => `${v.finding?.ruleId}: ${v.finding?.message}`)).toEqual(["trust-matches-targets: the share role does not trust rd-aaaa, recipient of an encrypted share."]);
    });

    test("a role whose name is unknown at preview and whose trust is open is judged, not skipped (S1)", async () => {
        const open = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["*"] } }] });
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: unknown.string, assumeRolePolicyDocument: open }, ...at("cn-shanghai") };
        expect(await judge([role])).toEqual(["trust-policy-not-open@role", "values-known@role"]);
    });
});

describe("reachability, computed once from the graph", () => {
    test("who can use which snapshot, through which share, with which key, in which region", async () => {
        const { readStack } = await import("../../src/policy/reader");
        const { Relations } = await import("../../src/graph/resolve");
        const { fromPolicyResource } = await import("../../src/policy/resources");
        const { stackArgs } = await import("../../src/testing");
        const key: TestResource = { type: TYPES.kmsKey, name: "key", props: { deletionProtection: "Enabled" }, ...at("cn-shanghai") };
        const d: TestResource = { type: TYPES.ecsDisk, name: "disk", props: { zoneId: "cn-shanghai-b", encrypted: true, kmsKeyId: MADE }, propertyDependencies: { kmsKeyId: [urnOf(key)] }, ...at("cn-shanghai") };
        const s: TestResource = { type: TYPES.ecsSnapshot, name: "snap", props: { diskId: MADE }, propertyDependencies: { diskId: [urnOf(d)] }, ...at("cn-shanghai") };
        const resources = stackArgs([key, d, s, ...share("dr", "cn-shanghai", { id: MADE, from: s }, [A, "rd-org"])]).resources.map(fromPolicyResource);
        const reach = new Relations(readStack(resources)).reachability();
        expect(reach.map((r) => [r.recipient, r.kind, r.share.origin?.name, r.region.value, r.encryption, r.key?.origin?.name])).toEqual([
            [A, "snapshot", "dr", "cn-shanghai", "key", "key"],
            ["rd-org", "snapshot", "dr", "cn-shanghai", "key", "key"],
        ]);
    });
});
