/**
 * A RAM document nested 100,000 deep (issue 17, item 6) is a violation, never a RangeError: as a trust policy judged by
 * the pack, as a permission policy read back, and as a secret value whose strings are gathered for redaction.
 */
import { analyzePermissionPolicy, analyzeTrustPolicy, parseDocument } from "../../src/ram/analyze";
import { leafStrings } from "../../src/rules/redact";
import { policies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { runPolicies } from "../../src/testing";

const DEPTH = 100_000;
const nested = "[".repeat(DEPTH) + "]".repeat(DEPTH);
const deepTrust = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":${nested}}}]}`;
const TOO_DEEP = "the document nests more than 32 levels deep, deeper than any RAM policy document";

test("read as text or as a parsed value, the document is a problem", () => {
    expect(parseDocument(deepTrust)).toEqual({ statements: [], problems: [TOO_DEEP] });
    expect(parseDocument(JSON.parse(deepTrust))).toEqual({ statements: [], problems: [TOO_DEEP] });
    expect(analyzeTrustPolicy(deepTrust).problems).toEqual([TOO_DEEP]);
    expect(analyzePermissionPolicy(JSON.parse(deepTrust))).toEqual({ grants: [], denies: [], problems: [TOO_DEEP] });
    // A document as deep as a real one is read (a Condition's values are six levels down).
    const condition = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["*@ecs.aliyuncs.com"]},"Condition":{"StringEquals":{"sts:ServiceOwnerRDId":["rd-abc123"]}}}]}';
    expect(analyzeTrustPolicy(condition).problems).toEqual([]);
    // A string that merely holds brackets is not nesting.
    expect(parseDocument(`{"Version":"1","Statement":[{"Sid":"${"[".repeat(1000)}"}]}`).problems).toEqual([]);
});

test("the pack judges a share role whose trust is nested 100,000 deep: S1 and C32, no crash", async () => {
    const violations = await runPolicies(policies, [{ type: TYPES.role, name: "role", props: { roleName: "AliyunECSShareEncryptSnapshotDefaultRole", assumeRolePolicyDocument: deepTrust } }], {});
    expect(violations.map((v) => [v.policy, v.finding?.ruleId, v.finding?.message])).toEqual([
        ["sharing-share-role", "trust-policy-not-open", `the trust policy cannot be read: ${TOO_DEEP}.`],
        ["sharing-share-role", "ram-document-limits", `the document is ${deepTrust.length} bytes; RAM takes at most 6144.`],
    ]);
});

test("the strings of a value nested 100,000 deep are gathered (what a secret may show up as)", () => {
    let value: unknown = "the-secret";
    for (let i = 0; i < DEPTH; i++) {
        value = i % 2 === 0 ? [value] : { inner: value };
    }
    expect(leafStrings(value)).toEqual(["the-secret"]);
    expect(leafStrings(deepTrust).slice(0, 1)).toEqual([deepTrust]);
});
