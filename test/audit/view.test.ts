/**
 * The pieces of the audit that need no service: the raw-resource view of what was read (exact resources, props and
 * dependencies, judged by the pack as a stack would be), the intended files of both formats, drift by natural keys,
 * trust principals, the concurrency limiter and the KMS package's error shape.
 */
import * as fs from "fs";
import * as path from "path";
import { Limiter, normalizeRpcError } from "../../src/audit/clients";
import { driftOf, readIntended, trustPrincipals } from "../../src/audit/drift";
import { AccountRead } from "../../src/audit/model";
import { auditView, withReceivedSnapshots } from "../../src/audit/view";
import { TYPES } from "../../src/alibaba/resourceTypes";
import { kmsSharePolicy, renderDocument, trustPolicy } from "../../src/ram/documents";
import { policies } from "../../src/policy/policies";
import { runPolicies, violationSet } from "../../src/testing";
import { INTENDED_EXPORT, INTENDED_PREVIEW } from "./fixture";

const A = "1000000000000000";
const urn = (type: string, name: string) => `urn:pulumi:audit::${A}::${type}::${name}`;

/** A small account: one encrypted snapshot share, one image permission, the snapshot share role with its KMS policy, the key. */
const small = (): AccountRead => ({
    accountId: A,
    regions: ["cn-shanghai"],
    sharingRegions: ["cn-shanghai"],
    shares: [
        {
            id: "rs-dr00000001",
            name: "dr",
            region: "cn-shanghai",
            status: "Active",
            allowExternalTargets: true,
            resources: [{ id: "s-uf6backup00001", type: "Snapshot", status: "Associated" }],
            targets: [{ id: "3456789012345678", external: true, status: "Associated" }],
        },
    ],
    received: [{ id: "rs-in00000001", region: "cn-shanghai", owner: "2222333344445555", resources: [{ id: "s-uf6received01", type: "Snapshot" }] }],
    images: [{ id: "m-uf6perm000001", name: "base", region: "cn-shanghai", status: "Available", disks: [{ snapshotId: "s-uf6permsys0001", size: "40", type: "system" }], accounts: ["3456789012345678"], groups: [] }],
    snapshots: [
        { id: "s-uf6backup00001", name: "backup", region: "cn-shanghai", status: "accomplished", encrypted: true, kmsKeyId: "key-shh6backup0001" },
        { id: "s-uf6permsys0001", region: "cn-shanghai", status: "accomplished", encrypted: false },
    ],
    roles: [
        {
            name: "AliyunECSShareEncryptSnapshotDefaultRole",
            document: renderDocument(trustPolicy({ accountIds: ["3456789012345678"] })),
            maxSessionDuration: 3600,
            policies: [
                { name: "kms-for-sharing", type: "Custom", defaultVersion: "v1", document: renderDocument(kmsSharePolicy([{ keyId: "key-shh6backup0001", region: "cn-shanghai", ownerAccountId: A }])) },
                { name: "AliyunECSFullAccess", type: "System", defaultVersion: "v1" },
            ],
        },
    ],
    keys: [{ id: "key-shh6backup0001", region: "cn-shanghai", arn: `acs:kms:cn-shanghai:${A}:key/key-shh6backup0001`, deletionProtection: "Disabled", state: "Enabled" }],
    notes: [],
    allRegions: true,
    incomplete: [],
});

describe("auditView", () => {
    test("each live object as the @pulumi/alicloud resource that makes it, with its provider's region and account and the dependencies of a stack", () => {
        const view = auditView(small());
        const shanghai = { region: "cn-shanghai", accountId: A };
        const role = urn(TYPES.role, "AliyunECSShareEncryptSnapshotDefaultRole");
        const key = urn(TYPES.kmsKey, "key-shh6backup0001");
        expect(view.map((r) => [r.type, r.name, r.providerProps, r.dependencies, r.propertyDependencies])).toEqual([
            [TYPES.kmsKey, "key-shh6backup0001", shanghai, [], {}],
            [TYPES.role, "AliyunECSShareEncryptSnapshotDefaultRole", { accountId: A }, [], {}],
            [TYPES.policy, "kms-for-sharing", { accountId: A }, [], { policyDocument: [key] }],
            [TYPES.rolePolicyAttachment, "AliyunECSShareEncryptSnapshotDefaultRole/Custom/kms-for-sharing", { accountId: A }, [role], { roleName: [role], policyName: [urn(TYPES.policy, "kms-for-sharing")] }],
            [TYPES.rolePolicyAttachment, "AliyunECSShareEncryptSnapshotDefaultRole/System/AliyunECSFullAccess", { accountId: A }, [role], { roleName: [role] }],
            [TYPES.ecsSnapshot, "s-uf6backup00001", shanghai, [], { kmsKeyId: [key] }],
            [TYPES.image, "m-uf6perm000001", shanghai, [], {}],
            [TYPES.resourceShare, "rs-dr00000001", shanghai, [], {}],
            [TYPES.sharedResource, "rs-dr00000001/s-uf6backup00001", shanghai, [role], { resourceShareId: [urn(TYPES.resourceShare, "rs-dr00000001")], resourceId: [urn(TYPES.ecsSnapshot, "s-uf6backup00001")] }],
            [TYPES.sharedTarget, "rs-dr00000001/3456789012345678", shanghai, [], { resourceShareId: [urn(TYPES.resourceShare, "rs-dr00000001")] }],
            [TYPES.imageSharePermission, "m-uf6perm000001/3456789012345678", shanghai, [], { imageId: [urn(TYPES.image, "m-uf6perm000001")] }],
        ]);
        expect(Object.fromEntries(view.map((r) => [r.name, r.props]))).toMatchObject({
            "key-shh6backup0001": { deletionProtection: "Disabled", status: "Enabled", arn: `acs:kms:cn-shanghai:${A}:key/key-shh6backup0001` },
            "s-uf6backup00001": { snapshotName: "backup", status: "accomplished", encrypted: true, kmsKeyId: "key-shh6backup0001" },
            "m-uf6perm000001": { imageName: "base", status: "Available", diskDeviceMappings: [{ snapshotId: "s-uf6permsys0001", diskType: "system", size: 40 }], encrypted: false },
            "rs-dr00000001": { resourceShareName: "dr", allowExternalTargets: true, status: "Active" },
            "rs-dr00000001/s-uf6backup00001": { resourceShareId: "rs-dr00000001", resourceId: "s-uf6backup00001", resourceType: "Snapshot", status: "Associated" },
            "AliyunECSShareEncryptSnapshotDefaultRole/System/AliyunECSFullAccess": { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", policyName: "AliyunECSFullAccess", policyType: "System" },
        });
        expect(view.every((r) => r.urn === urn(r.type, r.name))).toBe(true);
    });

    test("the pack judges the view as a stack: the system policy on the share role, the unprotected key behind the shared snapshot", async () => {
        expect(violationSet(await runPolicies(policies, auditView(small())))).toEqual(["share-role-system-policy@AliyunECSShareEncryptSnapshotDefaultRole/System/AliyunECSFullAccess", "shared-key-protected@key-shh6backup0001"]);
    });

    test("an image shared with every account (share group `all`) is a permission to `all`, which the pack refuses as no principal (C1)", async () => {
        const read: AccountRead = { ...small(), shares: [], roles: [], keys: [], images: [{ id: "m-uf6public0001", region: "cn-shanghai", disks: [], accounts: [], groups: ["all"] }] };
        const view = auditView(read);
        expect(view.filter((r) => r.type === TYPES.imageSharePermission).map((r) => [r.name, r.props])).toEqual([["m-uf6public0001/all", { imageId: "m-uf6public0001", accountId: "all" }]]);
        expect(violationSet(await runPolicies(policies, view))).toEqual(["principal-format@m-uf6public0001/all"]);
    });

    test("snapshots shared with the account join the policy config's receivedSnapshots (C10, C11), after those it lists", () => {
        const config = { "sharing-resource-share": { receivedSnapshots: [{ snapshotId: "s-uf6listed0001", encrypted: false }] }, "sharing-limits": { imageShareQuota: 100 } };
        expect(withReceivedSnapshots(config, small())).toEqual({
            "sharing-resource-share": { receivedSnapshots: [{ snapshotId: "s-uf6listed0001", encrypted: false }, { snapshotId: "s-uf6received01" }] },
            "sharing-sharee-disk": { receivedSnapshots: [{ snapshotId: "s-uf6received01" }] },
            "sharing-limits": { imageShareQuota: 100 },
        });
    });
});

describe("intended files and drift", () => {
    const preview = JSON.parse(fs.readFileSync(INTENDED_PREVIEW, "utf8"));
    const exported = JSON.parse(fs.readFileSync(INTENDED_EXPORT, "utf8"));

    test("trust principals: accounts, directory and folder conditions, an unconditioned wildcard, anything else as written; Deny ignored", () => {
        const role = preview.resources.find((r: { name: string }) => r.name === "golden-images-share-role-role");
        expect(trustPrincipals(role.inputs.assumeRolePolicyDocument)).toEqual(["1234567890123456", "2345678901234567", "rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1*"]);
        const open = {
            Version: "1",
            Statement: [
                { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["*@ecs.aliyuncs.com"], RAM: ["acs:ram::2222333344445555:root"] } },
                { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "*@ecs.aliyuncs.com" }, Condition: { StringEquals: { "sts:ServiceOwnerRDId": "rd-3G6Rt8" } } },
                { Effect: "Deny", Action: "sts:AssumeRole", Principal: { Service: "4444555566667777@ecs.aliyuncs.com" } },
            ],
        };
        expect(trustPrincipals(JSON.stringify(open))).toEqual(["*@ecs.aliyuncs.com (no directory condition)", "RAM acs:ram::2222333344445555:root", "rd-3G6Rt8"]);
        expect(trustPrincipals("not json")).toEqual([]);
    });

    test("a preview's JSON: shares by name with their region, ids the stack makes known only once deployed", () => {
        const intended = readIntended(preview);
        expect(intended.format).toBe("preview");
        expect(intended.shares.map((s) => [s.name, s.region, s.id, s.resources, s.targets])).toEqual([
            ["dr-backups", "cn-shanghai", undefined, [{ id: "s-uf6backup00001" }, { id: "s-uf6backup00002" }], ["3456789012345678"]],
            ["golden-images", "cn-shanghai", undefined, [{ id: "m-uf6golden00001" }, { id: "m-uf6golden00002" }], ["1234567890123456", "2345678901234567", "fd-bVaRIG8Zp1"]],
            [
                "golden-images-cn-beijing",
                "cn-beijing",
                undefined,
                [
                    { id: "m-3bfc9840ee2f2c4e7d38", madeBy: "golden-images-cn-beijing-copy-m-uf6golden00001" },
                    { id: "m-b64973ce61c9cb796f5a", madeBy: "golden-images-cn-beijing-copy-m-uf6golden00002" },
                ],
                ["1234567890123456", "2345678901234567", "fd-bVaRIG8Zp1"],
            ],
        ]);
        expect(intended.roles.map((r) => [r.name, r.principals])).toEqual([
            ["AliyunECSShareEncryptSnapshotDefaultRole", ["3456789012345678"]],
            ["AliyunECSShareEncryptImageDefaultRole", ["1234567890123456", "2345678901234567", "rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1*"]],
        ]);
        expect(intended.permissions).toEqual([]);
        expect(intended.owner).toBe("1000000000000000");
    });

    test("a preview's JSON of version 0.1 (regions and the owner from its `map`) reads as the report model's document does", () => {
        const older = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "demo-preview-0.1.json"), "utf8"));
        expect([Object.keys(older).includes("map"), Object.keys(preview).includes("map")]).toEqual([true, false]);
        expect(readIntended(older)).toEqual(readIntended(preview));
    });

    test("a stack export: shares by id, regions from each resource's provider, image permissions", () => {
        const intended = readIntended(exported);
        expect(intended.format).toBe("stack export");
        expect(intended.shares.map((s) => [s.name, s.id, s.region, s.resources.map((r) => r.id), s.targets])).toEqual([
            ["dr-backups", "rs-drbackups01", "cn-shanghai", ["s-uf6backup00001", "s-uf6backup00002"], ["3456789012345678"]],
            ["dr-archive", "rs-drarchive01", "cn-beijing", [], ["3456789012345678"]],
        ]);
        expect(intended.permissions.map((p) => `${p.imageId}: ${p.accountId}`)).toEqual(["m-uf6perm000001: 2100000000000001", "m-uf6perm000001: 3000000000000001"]);
        expect(intended.roles.map((r) => [r.name, r.principals])).toEqual([["AliyunECSShareEncryptSnapshotDefaultRole", ["3456789012345678"]]]);
    });

    test("a share renamed in the console: the same share for an export (by id), two differences for a preview (by name)", () => {
        const read = small();
        const renamed: AccountRead = { ...read, shares: [{ ...read.shares[0], id: "rs-drbackups01", name: "dr-backups-old", resources: [{ id: "s-uf6backup00001", type: "Snapshot", status: "Associated" }, { id: "s-uf6backup00002", type: "Snapshot", status: "Associated" }] }], images: [], roles: [] };
        const byExport = driftOf(renamed, readIntended(exported));
        expect([byExport.outsideStack, byExport.missingFromAccount.map((e) => `${e.kind} ${e.key}`)]).toEqual([
            [],
            ["share cn-beijing/dr-archive", "imagePermission m-uf6perm000001: 2100000000000001", "imagePermission m-uf6perm000001: 3000000000000001", "role AliyunECSShareEncryptSnapshotDefaultRole"],
        ]);
        const byPreview = driftOf(renamed, readIntended({ resources: preview.resources.filter((r: { name: string }) => r.name.startsWith("dr-backups-")), map: preview.map }));
        expect([byPreview.outsideStack.map((e) => `${e.kind} ${e.key}`), byPreview.missingFromAccount.map((e) => `${e.kind} ${e.key}`)]).toEqual([
            ["share cn-shanghai/dr-backups-old"],
            ["share cn-shanghai/dr-backups", "role AliyunECSShareEncryptSnapshotDefaultRole"],
        ]);
    });

    test("anything else is refused, saying what is expected", () => {
        expect(() => readIntended([])).toThrow("the intended file is not a JSON object");
        expect(() => readIntended({ deployment: {} })).toThrow(
            "the intended file is neither the JSON of `alicloud-sharing preview --format json` (with resources) nor a `pulumi stack export` file (with deployment.resources)",
        );
    });
});

describe("clients", () => {
    test("the limiter runs at most its size at once, first come first served, and hands a finished task's slot to the next", async () => {
        const limiter = new Limiter(2);
        const started: number[] = [];
        const release: (() => void)[] = [];
        const tasks = [0, 1, 2, 3].map((i) => limiter.run(() => new Promise<number>((resolve) => (started.push(i), release.push(() => resolve(i))))));
        await new Promise((r) => setImmediate(r));
        expect(started).toEqual([0, 1]);
        release[1]();
        await new Promise((r) => setImmediate(r));
        expect(started).toEqual([0, 1, 2]);
        release[0]();
        await new Promise((r) => setImmediate(r));
        release[2]();
        release[3]();
        expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
        expect(limiter.peak).toBe(2);
        expect(() => new Limiter(0)).toThrow("the concurrency must be a whole number of at least 1, not 0");
    });

    test("the KMS package's API errors take the other clients' shape: the API's code, the status, the request id", () => {
        const tea = Object.assign(new Error("Throttling.UserError: code: 400, Request was denied due to user flow control. requestid: req-9"), {
            code: "Throttling.UserError",
            data: { Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestId: "req-9" },
        });
        expect(normalizeRpcError(tea)).toEqual({
            name: "ResponseError",
            code: "Throttling.User",
            statusCode: 400,
            requestId: "req-9",
            message: "Request was denied due to user flow control.",
            data: { Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestId: "req-9", statusCode: 400 },
        });
        const network = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
        expect(normalizeRpcError(network)).toBe(network);
    });
});
