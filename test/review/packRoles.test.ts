/**
 * Review (issue 15), pack: share roles' trust read with AND-ed conditions, and KMS policies attached by a name unknown
 * at preview. Each test names the defect and asserts the correct behaviour.
 */
import { policies, shareRolesPolicy } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { kmsSharePolicy, renderDocument } from "../../src/ram";
import { TestResource, runPolicies, runPolicy, unknown, urnOf, violationSet } from "../../src/testing";

const OWNER = "1111111111111111";
const A = "2222222222222222";
const KEY = "key-abcdefgh12345678";
const ROLE = "AliyunECSShareEncryptSnapshotDefaultRole";
const at = { providerProps: { region: "cn-shanghai", accountId: OWNER } };

/** A snapshot of a disk on a customer-managed key, shared with one recipient. */
function encryptedShareTo(target: string): TestResource[] {
    const disk: TestResource = { type: TYPES.ecsDisk, name: "disk", props: { encrypted: true, kmsKeyId: KEY, zoneId: "cn-shanghai-b" }, ...at };
    const snapshot: TestResource = { type: TYPES.ecsSnapshot, name: "snap", props: { diskId: unknown.string }, propertyDependencies: { diskId: [urnOf(disk)] }, ...at };
    const share: TestResource = { type: TYPES.resourceShare, name: "dr", props: { resourceShareName: "dr", allowExternalTargets: true }, ...at };
    const link = { resourceShareId: [urnOf(share)] };
    return [
        disk,
        snapshot,
        share,
        { type: TYPES.sharedResource, name: "dr-item", props: { resourceShareId: "x", resourceId: unknown.string, resourceType: "Snapshot" }, propertyDependencies: { ...link, resourceId: [urnOf(snapshot)] }, ...at },
        { type: TYPES.sharedTarget, name: "dr-target", props: { resourceShareId: "x", targetId: target }, propertyDependencies: link, ...at },
    ];
}

/** The share role with a trust document, its seed KMS policy attached (policy name as given). */
function role(trust: string, policyName: unknown = "share-kms"): TestResource[] {
    const r: TestResource = { type: TYPES.role, name: "role", props: { roleName: ROLE, assumeRolePolicyDocument: trust }, ...at };
    const p: TestResource = { type: TYPES.policy, name: "kms", props: { policyName: "share-kms", policyDocument: renderDocument(kmsSharePolicy([{ keyId: KEY, region: "cn-shanghai", ownerAccountId: OWNER }])) }, ...at };
    const a: TestResource = { type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: ROLE, policyName, policyType: "Custom" }, propertyDependencies: { roleName: [urnOf(r)] }, ...at };
    return [r, p, a];
}

describe("trust conditions narrow every principal of their statement (AND)", () => {
    test("A's ECS trusted only under sts:ServiceOwnerRDId = rd-other, while the organization file puts A in rd-org: A is not trusted (S5)", async () => {
        const trust = JSON.stringify({
            Version: "1",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: [`${A}@ecs.aliyuncs.com`] }, Condition: { StringEquals: { "sts:ServiceOwnerRDId": "rd-other" } } }],
        });
        const organization = { resourceDirectory: { id: "rd-org", rootFolderId: "r-root", accounts: [{ id: A }] } };
        const found = await runPolicies(policies, [...role(trust), ...encryptedShareTo(A)], { "sharing-recipients": { organization }, "sharing-share-contents": { organization } });
        // analyzeTrustPolicy adds account principals whatever the statement's Condition says: the share passes, and
        // fails at deploy time (ECS acting for A cannot assume the role).
        expect(found.map((v) => `${v.finding?.ruleId}: ${v.finding?.message}`)).toEqual([`trust-matches-targets: the share role does not trust ${A}, recipient of an encrypted share.`]);
    });
});

describe("a KMS policy attached by a name unknown at preview", () => {
    const trust = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: [`${A}@ecs.aliyuncs.com`] } }] });

    test("is not reported as 'no KMS policy is attached' (a definite claim the pack cannot make at preview)", async () => {
        const found = await runPolicies(policies, [...role(trust, unknown.string), ...encryptedShareTo(A)]);
        expect(found.map((v) => v.finding?.message).filter((m) => m?.startsWith("no KMS policy is attached"))).toEqual([]);
    });

    test("with failClosedOnUnknown: false it is not a violation at all, as an unknown attached document is not", async () => {
        const found = await runPolicy(shareRolesPolicy, [...role(trust, unknown.string), ...encryptedShareTo(A)], { "sharing-share-roles": { failClosedOnUnknown: false } });
        expect(violationSet(found)).toEqual([]);
    });
});

describe("a share uses the share role of its own account", () => {
    test("a share in account O that waits for the share role made in account X has no role of its own: share-role-present (S4)", async () => {
        const X = "9999999999999999";
        const inX = { providerProps: { region: "cn-shanghai", accountId: X } };
        const r: TestResource = { type: TYPES.role, name: "role", props: { roleName: ROLE, assumeRolePolicyDocument: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: [`${A}@ecs.aliyuncs.com`] } }] }) }, ...inX };
        const p: TestResource = { type: TYPES.policy, name: "kms", props: { policyName: "share-kms", policyDocument: renderDocument(kmsSharePolicy([{ keyId: KEY, region: "cn-shanghai", ownerAccountId: OWNER }])) }, ...inX };
        const a: TestResource = { type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: ROLE, policyName: "share-kms", policyType: "Custom" }, propertyDependencies: { roleName: [urnOf(r)], policyName: [urnOf(p)] }, dependencies: [urnOf(r), urnOf(p)], ...inX };
        // Without the dependency the pack says share-role-present; with it, rolesOfShare takes X's role for O's share.
        const waiting = encryptedShareTo(A).map((s) => (s.type === TYPES.ecsDisk || s.type === TYPES.ecsSnapshot ? s : { ...s, dependencies: [urnOf(a)] }));
        expect(violationSet(await runPolicies(policies, [r, p, a, ...waiting]))).toEqual(["share-role-present@dr"]);
    });
});

describe("a shared resource whose type and id are unknown at preview", () => {
    test("is judged (S6), not skipped: a snapshot on the service key shared through it does not pass in silence", async () => {
        const disk: TestResource = { type: TYPES.ecsDisk, name: "disk", props: { encrypted: true, zoneId: "cn-shanghai-b" }, ...at };
        const snapshot: TestResource = { type: TYPES.ecsSnapshot, name: "snap", props: { diskId: unknown.string }, propertyDependencies: { diskId: [urnOf(disk)] }, ...at };
        const share: TestResource = { type: TYPES.resourceShare, name: "dr", props: { resourceShareName: "dr", allowExternalTargets: true }, ...at };
        const link = { resourceShareId: [urnOf(share)] };
        const resources: TestResource[] = [
            disk,
            snapshot,
            share,
            // sharedResourceKind(unknown, unknown) is undefined: "another kind of shared resource", so neither the reader nor the resource policy looks at it.
            { type: TYPES.sharedResource, name: "dr-item", props: { resourceShareId: "x", resourceId: unknown.string, resourceType: unknown.string }, propertyDependencies: { ...link, resourceId: [urnOf(snapshot)] }, ...at },
            { type: TYPES.sharedTarget, name: "dr-target", props: { resourceShareId: "x", targetId: A }, propertyDependencies: link, ...at },
        ];
        const found = await runPolicies(policies, resources);
        expect(found.filter((v) => v.enforcementLevel === "mandatory").length).toBeGreaterThan(0);
    });
});
