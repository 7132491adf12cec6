/**
 * The audit end to end: Alibaba's official SDK packages over real HTTP against the local emulator (which checks every
 * request's RPC signature), on the fixture account: exact findings, exact drift, read-only requests, pages followed,
 * regions, bounded concurrency, retries, and write actions refused before anything is sent.
 */
import * as ecsModels from "@alicloud/ecs20140526";
import * as kmsModels from "@alicloud/kms20160120";
import * as ramModels from "@alicloud/ram20150501";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";
import { API_VERSIONS, AuditProduct, READ_ONLY_ACTIONS, isReadOnlyAction, productOfVersion } from "../../src/audit/actions";
import { auditContext, rpc } from "../../src/audit/clients";
import { runAudit, AuditOptions, AuditResult } from "../../src/audit/run";
import { verdictLine } from "../../src/report/model";
import { TYPES } from "../../src/alibaba/resourceTypes";
import { AlibabaApiError } from "../../src/sdk/errors";
import { apiSettings } from "../../src/sdk/settings";
import { Emulator, HTML_502, RESET, THROTTLED, UNAVAILABLE, startEmulator } from "../support/emulator";
import { AUDIT_ENV, INTENDED_EXPORT, INTENDED_PREVIEW, OWNER, PERMISSION_ACCOUNTS, POLICY_CONFIG, loadFixture } from "./fixture";

let emulator: Emulator;
beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
    loadFixture(emulator);
    emulator.requests.splice(0);
});

const audit = (options: AuditOptions = {}): Promise<AuditResult> => runAudit({ env: AUDIT_ENV, endpoint: emulator.endpoint, policyConfig: POLICY_CONFIG, retryBaseDelayMs: 1, ...options });
const verdictSet = (result: AuditResult): string[] => result.verdicts.map((v) => `${v.level} ${v.rule}@${v.name}`).sort();
const sent = (action: string, version?: string) => emulator.requests.filter((r) => r.action === action && (version === undefined || r.params.Version === version));

/** The fixture's verdicts: the four changes made outside the stack, and the stack's own C22 advisories. */
const FIXTURE_VERDICTS = [
    "advisory directory-and-accounts@rs-golden00001/m-uf6golden00001",
    "advisory directory-and-accounts@rs-golden00001/m-uf6golden00002",
    "advisory directory-and-accounts@rs-goldenbj001/m-2zecopy0000001",
    "advisory directory-and-accounts@rs-goldenbj001/m-2zecopy0000002",
    "mandatory image-account-quota@m-uf6perm000001/2100000000000001",
    "mandatory recipients-allowed@rs-adhoc000001/7777000011112222",
    "mandatory shared-key-protected@key-bjs6golden0001",
    "mandatory trust-matches-targets@AliyunECSShareEncryptSnapshotDefaultRole",
    "mandatory trusted-principals-allowed@AliyunECSShareEncryptSnapshotDefaultRole",
    // The console share of an unencrypted snapshot: named (C33), as any share of unencrypted data is unless acknowledged.
    "advisory unencrypted-snapshot-acknowledged@rs-adhoc000001",
].sort();

describe("the fixture account", () => {
    test("exact findings: a console share outside the allow-list, the widened share role, 51 accounts on one image, an unprotected key", async () => {
        const result = await audit();
        expect(verdictSet(result)).toEqual(FIXTURE_VERDICTS);
        expect(result.verdicts.find((v) => v.rule === "recipients-allowed")).toEqual({
            policy: "sharing-recipients",
            rule: "recipients-allowed",
            constraints: ["S3"],
            level: "mandatory",
            message: '"7777000011112222" is not an allowed recipient.',
            fix: "Share only with recipients on the organization's allow-list, or ask the security team to add this one (`allowedRecipients`, in the organization file or the config).",
            path: "targetId",
            urn: `urn:pulumi:audit::${OWNER}::${TYPES.sharedTarget}::rs-adhoc000001/7777000011112222`,
            type: TYPES.sharedTarget,
            name: "rs-adhoc000001/7777000011112222",
            accountId: OWNER,
            nodes: [],
            judgedBy: "audit",
        });
        expect(verdictLine(result.verdicts.find((v) => v.rule === "shared-key-protected")!)).toBe(
            '[C27] KMS key key-bjs6golden0001 protects shared image m-2zecopy0000001, image m-2zecopy0000002, images (through AliyunECSShareEncryptImageDefaultRole) but its deletion protection is "Disabled". Set `deletionProtection: "Enabled"` on the key. (rule shared-key-protected)',
        );
    });

    test("what was read: every region, shares and associations in effect only, shared images only, the keys behind them, the share received", async () => {
        const { read, regions, accountId } = await audit();
        expect([accountId, regions, read.sharingRegions]).toEqual([OWNER, ["ap-northeast-1", "cn-beijing", "cn-hangzhou", "cn-shanghai"], ["cn-beijing", "cn-hangzhou", "cn-shanghai"]]);
        expect(read.notes).toEqual(["Resource Sharing is not offered in ap-northeast-1: only its image share permissions were read there."]);
        expect(read.shares.map((s) => [s.id, s.name, s.region, s.resources.map((r) => r.id), s.targets.map((t) => t.id)])).toEqual([
            ["rs-goldenbj001", "golden-images-cn-beijing", "cn-beijing", ["m-2zecopy0000001", "m-2zecopy0000002"], ["1234567890123456", "2345678901234567", "fd-bVaRIG8Zp1"]],
            ["rs-drbackups01", "dr-backups", "cn-shanghai", ["s-uf6backup00001", "s-uf6backup00002"], ["3456789012345678"]],
            ["rs-golden00001", "golden-images", "cn-shanghai", ["m-uf6golden00001", "m-uf6golden00002"], ["1234567890123456", "fd-bVaRIG8Zp1"]],
            ["rs-adhoc000001", "adhoc-export", "cn-shanghai", ["s-uf6adhoc00001"], ["7777000011112222"]],
        ]);
        expect(read.images.map((i) => [i.id, i.accounts.length])).toEqual([
            ["m-2zecopy0000001", 0],
            ["m-2zecopy0000002", 0],
            ["m-uf6golden00001", 0],
            ["m-uf6golden00002", 0],
            ["m-uf6perm000001", 51],
        ]);
        expect(read.images.find((i) => i.id === "m-uf6perm000001")!.accounts).toEqual(PERMISSION_ACCOUNTS);
        expect(read.keys).toEqual([
            { id: "key-bjs6golden0001", region: "cn-beijing", arn: `acs:kms:cn-beijing:${OWNER}:key/key-bjs6golden0001`, deletionProtection: "Disabled", state: "Enabled" },
            { id: "key-shh6backup0001", region: "cn-shanghai", arn: `acs:kms:cn-shanghai:${OWNER}:key/key-shh6backup0001`, deletionProtection: "Enabled", state: "Enabled" },
            { id: "key-shh6golden0001", region: "cn-shanghai", arn: `acs:kms:cn-shanghai:${OWNER}:key/key-shh6golden0001`, deletionProtection: "Enabled", state: "Enabled" },
        ]);
        expect(read.received).toEqual([
            { id: "rs-fromprod001", name: "prod-golden-base", region: "cn-shanghai", owner: "2222333344445555", status: "Active", resources: [{ id: "s-uf6prodbase01", type: "Snapshot", status: "Available" }] },
        ]);
        expect(read.roles.map((r) => [r.name, r.policies.map((p) => [p.type, p.name, p.defaultVersion, typeof p.document])])).toEqual([
            ["AliyunECSShareEncryptSnapshotDefaultRole", [["Custom", "alicloud-sharing-snapshot-kms", "v1", "string"]]],
            ["AliyunECSShareEncryptImageDefaultRole", [["Custom", "alicloud-sharing-image-kms", "v2", "string"]]],
        ]);
    });

    test("exact drift against the preview's JSON: what was made outside the stack, what the stack declares that the account lacks", async () => {
        const { drift } = await audit({ intendedFile: INTENDED_PREVIEW });
        expect(drift!.format).toBe("preview");
        expect(drift!.outsideStack.map((e) => `${e.kind} ${e.key}`)).toEqual([
            "share cn-shanghai/adhoc-export",
            ...PERMISSION_ACCOUNTS.map((a) => `imagePermission m-uf6perm000001: ${a}`),
            "trustedPrincipal AliyunECSShareEncryptSnapshotDefaultRole: 5555666677778888",
        ]);
        expect(drift!.outsideStack[0].detail).toBe("rs-adhoc000001: 1 resource (s-uf6adhoc00001), 1 target (7777000011112222)");
        expect(drift!.missingFromAccount).toEqual([{ kind: "target", key: "cn-shanghai/golden-images: 2345678901234567" }]);
        expect(drift!.notCompared).toEqual([
            "cn-beijing/golden-images-cn-beijing: 2 resources the stack makes (golden-images-cn-beijing-copy-m-uf6golden00001, golden-images-cn-beijing-copy-m-uf6golden00002) have their ids only once deployed; " +
                "taken to be m-2zecopy0000001, m-2zecopy0000002. Compare with a `pulumi stack export` file to tell.",
        ]);
    });

    test("exact drift against a pulumi stack export: shares by id, regions from each resource's provider", async () => {
        const { drift } = await audit({ intendedFile: INTENDED_EXPORT });
        expect(drift!.format).toBe("stack export");
        expect(drift!.outsideStack.map((e) => `${e.kind} ${e.key}`)).toEqual([
            "share cn-beijing/golden-images-cn-beijing",
            "share cn-shanghai/adhoc-export",
            "share cn-shanghai/golden-images",
            ...PERMISSION_ACCOUNTS.slice(1).map((a) => `imagePermission m-uf6perm000001: ${a}`),
            "role AliyunECSShareEncryptImageDefaultRole",
            "trustedPrincipal AliyunECSShareEncryptSnapshotDefaultRole: 5555666677778888",
        ]);
        expect(drift!.missingFromAccount.map((e) => `${e.kind} ${e.key}${e.detail === undefined ? "" : ` (${e.detail})`}`)).toEqual([
            "share cn-beijing/dr-archive (0 resources, 1 target (urn:pulumi:dr::backups::alicloud:resourcemanager/resourceShare:ResourceShare::dr-archive-share))",
            "imagePermission m-uf6perm000001: 3000000000000001",
        ]);
        expect(drift!.notCompared).toEqual([]);
    });
});

describe("requests", () => {
    test("every request is a read-only action of its product's API version, signed (the emulator checks each signature), and counted", async () => {
        const result = await audit({ intendedFile: INTENDED_PREVIEW });
        expect(emulator.requests.length).toBe(result.requests.total);
        const byAction: Record<string, number> = {};
        for (const r of emulator.requests) {
            const product = productOfVersion(r.params.Version) as AuditProduct;
            expect([r.action, isReadOnlyAction(product, r.action, r.params.Version), r.params.SignatureMethod, r.params.AccessKeyId]).toEqual([r.action, true, "HMAC-SHA1", AUDIT_ENV.ALIBABA_CLOUD_ACCESS_KEY_ID]);
            byAction[`${product}:${r.action}`] = (byAction[`${product}:${r.action}`] ?? 0) + 1;
        }
        expect(result.requests.byAction).toEqual(byAction);
        expect(result.requests.byAction).toEqual({
            "ecs:DescribeImageSharePermission": 31,
            "ecs:DescribeImages": 7,
            "ecs:DescribeRegions": 1,
            "ecs:DescribeSnapshots": 6,
            "kms:DescribeKey": 3,
            "ram:GetPolicyVersion": 2,
            "ram:GetRole": 2,
            "ram:ListPoliciesForRole": 2,
            "resourcesharing:DescribeRegions": 1,
            "resourcesharing:ListResourceShareAssociations": 11,
            "resourcesharing:ListResourceShares": 7,
            "resourcesharing:ListSharedResources": 3,
            "sts:GetCallerIdentity": 1,
        });
    });

    test("pages are followed: pages of two entries, PageNumber for ECS, NextToken for Resource Sharing", async () => {
        await audit();
        const permissionPages = sent("DescribeImageSharePermission").filter((r) => r.params.ImageId === "m-uf6perm000001");
        expect(permissionPages.map((r) => [r.params.PageNumber, r.params.PageSize])).toEqual(Array.from({ length: 26 }, (_, i) => [String(i + 1), "100"]));
        const targets = sent("ListResourceShareAssociations").filter((r) => r.params.AssociationType === "Target" && r.params.RegionId === "cn-shanghai");
        expect(targets.map((r) => [r.params.MaxResults, r.params.NextToken])).toEqual([
            ["100", undefined],
            ["100", "1:1"],
            ["100", "3:0"],
        ]);
        const shares = sent("ListResourceShares").filter((r) => r.params.RegionId === "cn-shanghai" && r.params.ResourceOwner === "Self");
        expect(shares.map((r) => r.params.NextToken)).toEqual([undefined, "2"]);
    });

    test("regions: only those given; Resource Sharing only where it is offered; RAM and STS once, globally", async () => {
        await audit();
        expect(sent("ListResourceShares").some((r) => r.params.RegionId === "ap-northeast-1")).toBe(false);
        // A page as long as the pages before it that reaches the TotalCount is followed by one more (which is empty).
        expect(sent("DescribeImages").map((r) => `${r.params.RegionId} ${r.params.PageNumber}`).sort()).toEqual([
            "ap-northeast-1 1",
            "cn-beijing 1",
            "cn-beijing 2",
            "cn-hangzhou 1",
            "cn-shanghai 1",
            "cn-shanghai 2",
            "cn-shanghai 3",
        ]);
        emulator.requests.splice(0);
        const result = await audit({ regions: ["cn-beijing"] });
        expect(result.regions).toEqual(["cn-beijing"]);
        expect(sent("DescribeRegions", API_VERSIONS.ecs)).toEqual([]);
        // Resource Sharing's region list is asked where it is surely offered.
        expect(sent("DescribeRegions", API_VERSIONS.resourcesharing).map((r) => r.params.RegionId)).toEqual(["cn-hangzhou"]);
        const regional = emulator.requests
            .filter((r) => r.params.Version === API_VERSIONS.ecs || (r.params.Version === API_VERSIONS.resourcesharing && r.action !== "DescribeRegions"))
            .map((r) => r.params.RegionId);
        expect(new Set(regional)).toEqual(new Set(["cn-beijing"]));
        // The image role is global: the keys it is granted are read in their own regions.
        expect(sent("DescribeKey").map((r) => `${r.params.RegionId} ${r.params.KeyId}`)).toEqual(["cn-beijing key-bjs6golden0001", "cn-shanghai key-shh6backup0001", "cn-shanghai key-shh6golden0001"]);
        expect(verdictSet(result)).toEqual([
            "advisory directory-and-accounts@rs-goldenbj001/m-2zecopy0000001",
            "advisory directory-and-accounts@rs-goldenbj001/m-2zecopy0000002",
            "mandatory shared-key-protected@key-bjs6golden0001",
            "mandatory trusted-principals-allowed@AliyunECSShareEncryptSnapshotDefaultRole",
        ]);
    });

    test("bounded concurrency: never more requests in flight than asked", async () => {
        const two = await audit({ concurrency: 2 });
        expect(two.requests.peakConcurrency).toBe(2);
        expect(verdictSet(two)).toEqual(FIXTURE_VERDICTS);
        const eight = await audit();
        expect(eight.requests.peakConcurrency).toBe(8);
    });

    test("throttling, a 5xx, a gateway's HTML page and a reset connection on the way are retried: the same findings", async () => {
        emulator.failNext("ListResourceShareAssociations", THROTTLED, THROTTLED);
        emulator.failNext("DescribeKey", UNAVAILABLE, THROTTLED);
        emulator.failNext("GetRole", HTML_502);
        emulator.failNext("GetCallerIdentity", RESET);
        const result = await audit();
        expect(verdictSet(result)).toEqual(FIXTURE_VERDICTS);
        expect([
            result.requests.byAction["resourcesharing:ListResourceShareAssociations"],
            result.requests.byAction["kms:DescribeKey"],
            result.requests.byAction["ram:GetRole"],
            result.requests.byAction["sts:GetCallerIdentity"],
        ]).toEqual([11 + 2, 3 + 2, 2 + 1, 1 + 1]);
    });

    test("throttling that does not stop: the audit fails after its retries with the action, the resource and the code, as data", async () => {
        // One key to read: Beijing's (no share role grants others).
        emulator.account.roles.clear();
        emulator.failNext("DescribeKey", THROTTLED, THROTTLED, THROTTLED, THROTTLED);
        const error: AlibabaApiError = await audit({ regions: ["cn-beijing"], maxRetries: 2 }).catch((e) => e);
        expect(error).toBeInstanceOf(AlibabaApiError);
        expect([error.action, error.resource, error.code, error.retryable, error.statusCode]).toEqual(["DescribeKey", "key key-bjs6golden0001 (cn-beijing)", "Throttling.User", true, 400]);
        expect(error.message).toBe(
            "DescribeKey on key key-bjs6golden0001 (cn-beijing) failed with Throttling.User: Request was denied due to user flow control. The service kept failing after retries; try again later.",
        );
        expect(sent("DescribeKey")).toHaveLength(3);
    });
});

describe("read only", () => {
    const context = () => auditContext({ ...apiSettings({ env: AUDIT_ENV, region: "cn-shanghai", endpoint: emulator.endpoint }), retryBaseDelayMs: 1 }, 2);
    const refused = (action: string) => expect.objectContaining({ name: "AlibabaApiError", code: "ActionNotReadOnly", action, retryable: false });

    test("a write action is refused by every client before anything is sent", async () => {
        const ctx = context();
        await expect(ctx.ecs("cn-shanghai").modifyImageSharePermission(new ecsModels.ModifyImageSharePermissionRequest({ regionId: "cn-shanghai", imageId: "m-uf6perm000001", addAccount: ["2100000000000099"] }))).rejects.toEqual(
            refused("ModifyImageSharePermission"),
        );
        await expect(ctx.ram().deleteRole(new ramModels.DeleteRoleRequest({ roleName: "AliyunECSShareEncryptSnapshotDefaultRole" }))).rejects.toEqual(refused("DeleteRole"));
        await expect(ctx.kms("cn-beijing").scheduleKeyDeletion(new kmsModels.ScheduleKeyDeletionRequest({ keyId: "key-bjs6golden0001", pendingWindowInDays: 7 }))).rejects.toEqual(refused("ScheduleKeyDeletion"));
        await expect(rpc(ctx, "resourcesharing", "cn-shanghai", "DisassociateResourceShare", "share rs-drbackups01", { ResourceShareId: "rs-drbackups01", "Targets.1": "3456789012345678" })).rejects.toEqual(refused("DisassociateResourceShare"));
        // A read-only name under another product's version is refused too.
        const params = new $OpenApiUtil.Params({ action: "DescribeRegions", version: API_VERSIONS.ecs, protocol: "HTTP", pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" });
        await expect(ctx.openApi("resourcesharing", "cn-shanghai").callApi(params, new $OpenApiUtil.OpenApiRequest({}), new $dara.RuntimeOptions({}))).rejects.toEqual(refused("DescribeRegions"));
        expect(emulator.requests).toEqual([]);
        expect(ctx.log.total).toBe(0);
        const error: AlibabaApiError = await ctx.ram().deleteRole(new ramModels.DeleteRoleRequest({ roleName: "x" })).catch((e) => e);
        expect(error.message).toBe(
            "DeleteRole on ram 2015-05-01 failed with ActionNotReadOnly: the audit calls only the read-only actions GetRole, ListPoliciesForRole, GetPolicyVersion of ram (API 2015-05-01); nothing was sent. " +
                "The audit never changes an account: make changes with the stack (pulumi up) or in the console.",
        );
    });

    test("the allow-list holds only Describe, List and Get actions", () => {
        const all = Object.entries(READ_ONLY_ACTIONS).flatMap(([product, actions]) => actions.map((a) => `${product}:${a}`));
        expect(all).toEqual([
            "ecs:DescribeRegions", "ecs:DescribeImages", "ecs:DescribeImageSharePermission", "ecs:DescribeSnapshots", "ecs:DescribeDisks", "ecs:DescribeInstances",
            "resourcesharing:DescribeRegions", "resourcesharing:ListResourceShares", "resourcesharing:ListResourceShareAssociations", "resourcesharing:ListSharedResources",
            "ram:GetRole", "ram:ListPoliciesForRole", "ram:GetPolicyVersion",
            "kms:DescribeKey",
            "sts:GetCallerIdentity", "sts:AssumeRole",
            "resourcedirectorymaster:GetResourceDirectory", "resourcedirectorymaster:ListFoldersForParent", "resourcedirectorymaster:ListAccounts",
        ]);
        // The one action that is not a read: AssumeRole, which changes nothing and asks for a read-only session.
        expect(all.filter((a) => !/^[a-z]+:(Describe|List|Get)[A-Z]/.test(a))).toEqual(["sts:AssumeRole"]);
    });
});
