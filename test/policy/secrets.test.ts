/**
 * Secrets are never printed: not by the pack's messages (the policy server hands policies secrets unwrapped; the pack
 * notes which values were secret and redacts them), not by a component's deploy-time error.
 */
import { join } from "path";
import { previewReport } from "../../src/preview/report";
import { renderReport } from "../../src/report/render";
import { PreviewResult, exitCodeOf, runPreview } from "../../src/preview/run";
import { policies, recipientsPolicy, resourceSharingPolicy, shareRolesPolicy } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { renderDocument, trustPolicy } from "../../src/ram";
import { runPolicies, runPolicy, secret, TestResource, urnOf } from "../../src/testing";

const CANARY = "4242424242424242";

describe("the pack never quotes a secret value", () => {
    test("a secret recipient off the allow-list: the violation names the property and shows [secret]", async () => {
        const violations = await runPolicy(recipientsPolicy, [{ type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: secret(CANARY) } }], {
            "sharing-recipients": { allowedRecipients: { accountIds: ["2222222222222222"] } },
        });
        expect(violations.map((v) => v.message)).toEqual([
            "[S3] [secret] is not an allowed recipient. Share only with recipients on the organization's allow-list, or ask the security team to add this one (`allowedRecipients`, in the organization file or the config). (rule recipients-allowed; at targetId)",
        ]);
        expect(violations[0].finding!.message).toBe("[secret] is not an allowed recipient.");
    });
    test("a secret value quoted by a stack policy about another resource (a role's trust listing a share's secret recipient) is redacted too", async () => {
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", assumeRolePolicyDocument: renderDocument(trustPolicy({ accountIds: ["2222222222222222"] })) } };
        const share: TestResource = { type: TYPES.resourceShare, name: "s", props: { resourceShareName: "s", allowExternalTargets: true }, dependencies: [urnOf(role)] };
        const target: TestResource = { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "x", targetId: secret(CANARY) }, propertyDependencies: { resourceShareId: [urnOf(share)] }, dependencies: [urnOf(role)] };
        const item: TestResource = { type: TYPES.sharedResource, name: "r", props: { resourceShareId: "x", resourceId: "s-abcd1234", resourceType: "Snapshot" }, propertyDependencies: { resourceShareId: [urnOf(share)] }, dependencies: [urnOf(role)] };
        const violations = await runPolicy(shareRolesPolicy, [role, share, target, item]);
        expect(violations.map((v) => v.finding!.ruleId).sort()).toEqual(["kms-grants-complete", "trust-matches-targets", "trust-matches-targets"]);
        expect(violations.find((v) => v.finding!.ruleId === "trust-matches-targets")!.message).toMatch(/^\[S5, C9, C21\] the share role does not trust \[secret\], recipient of an encrypted share\./);
        expect(JSON.stringify(violations)).not.toContain(CANARY);
    });
    test("a secret malformed id in a resource policy; a secret trust document", async () => {
        const resources: TestResource[] = [
            { type: TYPES.sharedResource, name: "r", props: { resourceShareId: "x", resourceId: secret("snap-canary-7f3a"), resourceType: "Snapshot" } },
            { type: TYPES.role, name: "role", props: { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", assumeRolePolicyDocument: secret(JSON.stringify({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: `${CANARY}@ecs.aliyuncs.com`, RAM: "acs:ram::1234567890123456:root" } }] })) } },
        ];
        const violations = await runPolicies(policies, resources);
        expect(violations.length).toBeGreaterThan(1);
        expect(JSON.stringify(violations)).not.toMatch(/snap-canary|4242424242424242|1234567890123456/);
        expect((await runPolicy(resourceSharingPolicy, [resources[0]]))[0].message).toBe('[C5, C16] [secret] is not a snapshot id (s-…). Give the ids of the snapshots to share. (rule resource-id-format; at resourceId)');
    });
});

test("ids quoted out of a secret document (the account of a trusted principal, the folder of a path) are redacted too", async () => {
    const doc = JSON.stringify({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: [`${CANARY}@ecs.aliyuncs.com`, "*@ecs.aliyuncs.com"] }, Condition: { StringLike: { "sts:ServiceOwnerRDPath": "rd-a1/r-b1/fd-TopSecretFolder*" } } }] });
    const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", assumeRolePolicyDocument: secret(doc) } };
    const violations = await runPolicies(policies, [role], { "sharing-recipients": { allowedRecipients: { accountIds: ["2222222222222222"] } } });
    expect(violations.map((v) => v.finding?.ruleId)).toContain("trusted-principals-allowed");
    expect(JSON.stringify(violations)).not.toMatch(/4242424242424242|TopSecretFolder/);
});

describe("the offline preview never prints a secret value, in any format", () => {
    const root = join(__dirname, "..", "..");
    const programDir = join(root, "test", "fixtures", "secrets");
    // One run of the program (its own runner, in a process of its own), its report in every format.
    let result: PreviewResult;
    let output = "";
    beforeAll(async () => {
        result = await runPreview({ programDir, policyConfigFile: join(programDir, "policy-config.json"), output: (t) => void (output += t) });
    }, 120_000);
    test("a mandatory verdict on each (the deploy-time refusal of the secret id included), neither value quoted", () => {
        expect(exitCodeOf(result)).toBe(1);
        expect(result.verdicts.map((v) => [v.rule, v.name, v.message.slice(0, 20)])).toEqual([
            ["resource-id-format", "late", "[secret] is not a sn"],
            ["recipients-allowed", "raw-target", "[secret] is not an a"],
        ]);
    });
    test.each(["text", "json", "sarif", "html"] as const)("--format %s (with the map, but for SARIF and HTML)", async (format) => {
        const report = await renderReport(previewReport(result, root), { format, ...(format === "sarif" || format === "html" ? {} : { map: "mermaid" as const }), version: "0.1.0" });
        expect(`${report}${output}`).not.toMatch(/4242424242424242|snap-canary|canarysharename77|canarysecretkey42|LTAIcanary/);
        expect(report).toContain("[secret]");
    });
});
