import fc from "fast-check";
import { at, AccessIntent, Located, CopyIntent, DiskIntent, ExemptionIntent, KeyIntent, RoleIntent, ShareIntent } from "../src/intent";
import { kmsSharePolicy, renderDocument, shareeImageAccessPolicy, trustPolicy } from "../src/ram";
import { CONSTRAINT_IDS } from "../src/alibaba/constraints";
import { COMPONENT_NAMES, formatFinding, judge, outcomes, judgedBy, POLICY_KINDS, POLICY_NAMES, reasonOf, ruleContext, rules, rulesJudgedBy, RuleSubjects, showValues, SubjectKind } from "../src/rules";

const OWNER = "1111111111111111";
const A = "2222222222222222";
const B = "3333333333333333";
const KEY = "key-abcdefgh12345678";

function share(overrides: Partial<ShareIntent> = {}): ShareIntent {
    return {
        kind: "snapshot",
        resources: [at("snapshotIds[0]", "s-abcd1234")],
        region: at("region", "cn-shanghai"),
        ownerAccountId: at("ownerAccountId", OWNER),
        targets: [at("accountIds[0]", A)],
        encryption: { kind: "customerKey", keyId: at("kmsKeyId", KEY), keyRegion: at("kmsKeyRegion", "cn-shanghai") },
        method: at("method", "resourceShare"),
        shareName: at("shareName", "backups"),
        resourceType: at("resourceType", "Snapshot"),
        copyToRegions: [],
        copyKeyIds: {},
        unencryptedDataAcknowledged: false,
        sharedWithThisAccount: at("sharedWithThisAccount", false),
        derivedFromPaidImage: false,
        ...overrides,
    };
}
const image = (overrides: Partial<ShareIntent> = {}): ShareIntent =>
    share({ kind: "image", resources: [at("imageIds[0]", "m-abcd1234")], resourceType: at("resourceType", "Image"), ...overrides });
const accounts = (n: number) => Array.from({ length: n }, (_, i) => at(`accountIds[${i}]`, String(2000000000000000 + i)));

const keyArn = `acs:kms:cn-shanghai:${OWNER}:key/${KEY}`;
const kmsDocument = renderDocument(kmsSharePolicy([{ keyId: KEY, region: "cn-shanghai", ownerAccountId: OWNER }]));
function role(overrides: Partial<RoleIntent> = {}): RoleIntent {
    return {
        kind: "snapshot",
        roleName: at("roleName", "AliyunECSShareEncryptSnapshotDefaultRole"),
        trustPolicy: at("trustPolicy", renderDocument(trustPolicy({ accountIds: [A] }))),
        kmsPolicy: at("kmsPolicy", kmsDocument),
        attachedKmsPolicies: [at("kms-policy.policyDocument", kmsDocument)],
        expectedTargets: [A],
        expectedKeyArns: [keyArn],
        maxSessionDuration: at("maxSessionDuration", 3600),
        ...overrides,
    };
}
const disk = (overrides: Partial<DiskIntent> = {}): DiskIntent => ({
    snapshotId: at("snapshotId", "s-abcd1234"),
    category: at("category", "cloud_essd"),
    sourceEncrypted: at("sourceEncrypted", true),
    sourceKmsKeyId: at("sourceKmsKeyId", "key-source0001"),
    encrypted: at("encrypted", true),
    kmsKeyId: at("kmsKeyId", "key-mine00001"),
    ...overrides,
});
const copy = (overrides: Partial<CopyIntent> = {}): CopyIntent => ({
    sourceSnapshotId: at("sourceSnapshotId", "s-abcd1234"),
    sourceKmsKeyId: at("sourceKmsKeyId", "key-source0001"),
    kmsKeyId: at("kmsKeyId", "key-mine00001"),
    ...overrides,
});
const access = (overrides: Partial<AccessIntent> = {}): AccessIntent => ({
    principals: [at("userNames[0]", "ops")],
    policy: at("policyDocument", renderDocument(shareeImageAccessPolicy())),
    ...overrides,
});

const key = (overrides: Partial<KeyIntent> = {}): KeyIntent => ({
    keyId: at("keyId", KEY),
    deletionProtection: at("deletionProtection", "Enabled"),
    sharedResources: ["snapshot s-abcd1234"],
    ...overrides,
});
const exemption = (overrides: Partial<ExemptionIntent> = {}): ExemptionIntent => ({
    resource: at("exemptions[0].resource", "urn:pulumi:prod::dr::*"),
    rules: [at("exemptions[0].rules[0]", "C6")],
    reason: at("exemptions[0].reason", "migration to a folder share, ticket SEC-1234"),
    expires: at("exemptions[0].expires", "2099-12-31"),
    ...overrides,
});
const allowList = { allowedRecipients: { accountIds: [A], resourceDirectoryIds: ["rd-abc"], folderPathPrefixes: ["rd-abc/r-def/fd-ghi"] } };

/** A copy of a subject with one located value (found by identity) replaced. */
function replaceLocated(value: unknown, target: unknown, replacement: unknown): unknown {
    if (value === target) {
        return replacement;
    }
    if (Array.isArray(value)) {
        return value.map((v) => replaceLocated(v, target, replacement));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceLocated(v, target, replacement)]));
    }
    return value;
}

type Case = { [K in SubjectKind]: { kind: K; passing: RuleSubjects[K]; failing: RuleSubjects[K]; expected: [string, string][]; context?: Parameters<typeof ruleContext>[0] } }[SubjectKind];

const openTrust = JSON.stringify({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "*@ecs.aliyuncs.com" } }], Version: "1" });
const wideKms = JSON.stringify({ Version: "1", Statement: [{ Action: ["kms:*"], Resource: "*", Effect: "Allow" }] });
/** Grants on a key other than the share's, and only some of the actions. */
const partialKms = JSON.stringify({ Version: "1", Statement: [{ Action: ["kms:Decrypt"], Resource: `acs:kms:cn-shanghai:${OWNER}:key/key-otherkey0001`, Effect: "Allow" }] });

/** For every rule: a subject it accepts, one it rejects, and exactly the findings [rule, path] of the rejected one. */
const cases: Record<string, Case> = {
    "share-not-empty": { kind: "share", passing: share(), failing: share({ resources: [], targets: [] }), expected: [["share-not-empty", "snapshotIds"], ["share-not-empty", "accountIds"]] },
    "principal-format": { kind: "share", passing: share({ targets: [at("accountIds[0]", A), at("resourceDirectoryId", "rd-abc"), at("folderPaths[0]", "rd-abc/r-def/fd-ghi")] }), failing: share({ targets: [at("accountIds[0]", "ram-user-bob"), at("accountIds[1]", A)] }), expected: [["principal-format", "accountIds[0]"]] },
    "not-own-account": { kind: "share", passing: share(), failing: share({ targets: [at("accountIds[0]", OWNER)] }), expected: [["not-own-account", "accountIds[0]"]] },
    "same-site": {
        kind: "share",
        passing: share({ targets: [at("accountIds[0]", A)] }),
        failing: share({ targets: [at("accountIds[0]", A), at("accountIds[1]", B)] }),
        expected: [["same-site", "accountIds[1]"]],
        context: { accountSites: { [OWNER]: "china", [A]: "china", [B]: "international" } },
    },
    "no-duplicates": { kind: "share", passing: share(), failing: share({ targets: [at("accountIds[0]", A), at("accountIds[1]", A)], resources: [at("snapshotIds[0]", "s-abcd1234"), at("snapshotIds[1]", "s-abcd1234")] }), expected: [["no-duplicates", "accountIds[1]"], ["no-duplicates", "snapshotIds[1]"]] },
    "owner-account-format": { kind: "share", passing: share(), failing: share({ ownerAccountId: at("ownerAccountId", "me") }), expected: [["owner-account-format", "ownerAccountId"]] },
    "owner-account-matches-provider": {
        kind: "share",
        passing: share({ providerAccount: { accountId: undefined, source: "provider", programAccounts: [OWNER] } }),
        failing: share({ providerAccount: { accountId: A, source: "provider" } }),
        expected: [["owner-account-matches-provider", "ownerAccountId"]],
    },
    "resource-id-format": { kind: "share", passing: share(), failing: share({ resources: [at("snapshotIds[0]", "m-abcd1234")] }), expected: [["resource-id-format", "snapshotIds[0]"]] },
    "kms-key-format": { kind: "share", passing: share(), failing: share({ encryption: { kind: "customerKey", keyId: at("kmsKeyId", "alias/backup"), keyRegion: at("kmsKeyRegion", "cn-shanghai") } }), expected: [["kms-key-format", "kmsKeyId"]] },
    "region-format": { kind: "share", passing: share(), failing: share({ region: at("region", "Shanghai") }), expected: [["region-format", "region"]] },
    "grant-method": { kind: "share", passing: image({ method: at("method", "imagePermission") }), failing: share({ method: at("method", "imagePermission") }), expected: [["grant-method", "method"]] },
    "snapshot-account-limit": { kind: "share", passing: share({ targets: accounts(64) }), failing: share({ targets: accounts(65) }), expected: [["snapshot-account-limit", "accountIds[64]"]] },
    "snapshot-owner-quota": {
        kind: "share",
        passing: share(),
        failing: share({ resources: [at("snapshotIds[0]", "s-abcd1234"), at("snapshotIds[1]", "s-abcd1235")] }),
        expected: [["snapshot-owner-quota", "snapshotIds[1]"]],
        context: { limits: { sharedSnapshotsInUse: 1023 } },
    },
    "snapshot-service-key": { kind: "share", passing: share(), failing: share({ encryption: { kind: "serviceKey", path: "serviceKeyEncrypted" } }), expected: [["snapshot-service-key", "serviceKeyEncrypted"]] },
    "no-reshare": { kind: "share", passing: share(), failing: share({ sharedWithThisAccount: at("resourceId", true) }), expected: [["no-reshare", "resourceId"]] },
    "key-in-share-region": {
        kind: "share",
        passing: share(),
        failing: share({ encryption: { kind: "customerKey", keyId: at("kmsKeyId", KEY), keyRegion: at("kmsKeyRegion", "cn-hangzhou") } }),
        expected: [["key-in-share-region", "kmsKeyRegion"]],
    },
    "shared-in-own-region": {
        kind: "share",
        passing: share({ resourceRegions: [at("snap.provider.region", "cn-shanghai")] }),
        failing: share({ resourceRegions: [at("snap.provider.region", "cn-beijing")] }),
        expected: [["shared-in-own-region", "snap.provider.region"]],
    },
    "unencrypted-snapshot-acknowledged": {
        kind: "share",
        passing: share({ encryption: { kind: "none" }, unencryptedDataAcknowledged: true }),
        failing: share({ encryption: { kind: "none" }, unencryptedDataAcknowledged: false }),
        expected: [["unencrypted-snapshot-acknowledged", "unencryptedDataAcknowledged"]],
    },
    "region-matches-provider": {
        kind: "share",
        passing: share({ providerRegion: at("provider", "cn-shanghai") }),
        failing: share({ providerRegion: at("provider", "cn-beijing") }),
        expected: [["region-matches-provider", "region"]],
    },
    "external-targets": {
        kind: "share",
        passing: share({ allowExternalTargets: at("accountsInResourceDirectory", false), targets: [at("accountIds[0]", A), at("resourceDirectoryId", "rd-abc")] }),
        failing: share({ allowExternalTargets: at("accountsInResourceDirectory", false), targets: [at("accountIds[0]", A), at("accountIds[1]", B), at("resourceDirectoryId", "rd-abc")] }),
        expected: [["external-targets", "accountIds[1]"]],
        context: { resourceDirectoryAccountIds: [A] },
    },
    "disk-from-shared-encrypted-snapshot": {
        kind: "disk",
        passing: disk({ category: at("category", "cloud_auto") }),
        failing: disk({ category: at("category", "cloud_efficiency"), kmsKeyId: at("kmsKeyId", "key-source0001") }),
        expected: [["disk-from-shared-encrypted-snapshot", "category"], ["disk-from-shared-encrypted-snapshot", "kmsKeyId"]],
    },
    "copy-key": { kind: "copy", passing: copy(), failing: copy({ kmsKeyId: at("kmsKeyId", "key-source0001") }), expected: [["copy-key", "kmsKeyId"]] },
    "image-account-quota": {
        kind: "share",
        passing: image({ targets: accounts(50), encryption: { kind: "none" }, unencryptedDataAcknowledged: true }),
        failing: image({ targets: accounts(51), encryption: { kind: "none" }, unencryptedDataAcknowledged: true }),
        expected: [["image-account-quota", "accountIds[50]"]],
    },
    "image-copy-regions": {
        kind: "share",
        passing: image({ copyToRegions: [at("copyToRegions[0]", "cn-beijing")], copyKeyIds: { "cn-beijing": at("copyKmsKeyIds.cn-beijing", "key-beijing0001") } }),
        failing: image({ copyToRegions: [at("copyToRegions[0]", "cn-beijing"), at("copyToRegions[1]", "cn-shanghai"), at("copyToRegions[2]", "cn-beijing")], copyKeyIds: { "cn-hongkong": at("copyKmsKeyIds.cn-hongkong", "key-hongkong0001") } }),
        expected: [["image-copy-regions", "copyToRegions[0]"], ["image-copy-regions", "copyToRegions[1]"], ["image-copy-regions", "copyToRegions[2]"], ["image-copy-regions", "copyKmsKeyIds.cn-hongkong"]],
    },
    "copy-region-providers": {
        kind: "share",
        passing: image({ copyToRegions: [at("copyToRegions[0]", "cn-beijing")], copyKeyIds: { "cn-beijing": at("copyKmsKeyIds.cn-beijing", "key-beijing0001") }, copyRegionProviders: { explicit: true, given: ["cn-beijing"] } }),
        failing: image({ copyToRegions: [at("copyToRegions[0]", "cn-beijing")], copyKeyIds: { "cn-beijing": at("copyKmsKeyIds.cn-beijing", "key-beijing0001") }, copyRegionProviders: { explicit: true, given: [] } }),
        expected: [["copy-region-providers", "copyToRegions[0]"]],
    },
    "encrypted-image-region": { kind: "share", passing: image(), failing: image({ region: at("region", "cn-hangzhou"), encryption: { kind: "customerKey", keyId: at("kmsKeyId", KEY), keyRegion: at("kmsKeyRegion", "cn-hangzhou") } }), expected: [["encrypted-image-region", "region"]] },
    "image-service-key": { kind: "share", passing: image(), failing: image({ encryption: { kind: "serviceKey", path: "serviceKeyEncrypted" } }), expected: [["image-service-key", "serviceKeyEncrypted"]] },
    "directory-and-accounts": { kind: "share", passing: image({ targets: [at("resourceDirectoryId", "rd-abc")] }), failing: image({ targets: [at("accountIds[0]", A), at("resourceDirectoryId", "rd-abc")] }), expected: [["directory-and-accounts", "accountIds[0]"]] },
    "unencrypted-image-acknowledged": { kind: "share", passing: image({ encryption: { kind: "none" }, unencryptedDataAcknowledged: true }), failing: image({ encryption: { kind: "none" } }), expected: [["unencrypted-image-acknowledged", "unencryptedDataAcknowledged"]] },
    "sharee-image-access": {
        kind: "access",
        passing: access(),
        failing: access({ principals: [at("userNames[0]", "bob smith")], policy: at("policyDocument", JSON.stringify({ Version: "1", Statement: [{ Action: ["ecs:*"], Resource: "*", Effect: "Allow" }] })) }),
        expected: [["sharee-image-access", "userNames[0]"], ["sharee-image-access", "policyDocument"]],
    },
    "paid-image": { kind: "share", passing: image(), failing: image({ derivedFromPaidImage: true }), expected: [["paid-image", "derivedFromPaidImage"]] },
    "share-name": { kind: "share", passing: share({ shareName: at("shareName", "a.b_c-1") }), failing: share({ shareName: at("shareName", "x".repeat(51)) }), expected: [["share-name", "shareName"]] },
    "resource-type": { kind: "share", passing: share(), failing: share({ resourceType: at("resourceType", "snapshot") }), expected: [["resource-type", "resourceType"]] },
    "share-role-name": { kind: "role", passing: role(), failing: role({ roleName: at("roleName", "AliyunECSShareEncryptImageDefaultRole") }), expected: [["share-role-name", "roleName"]] },
    "one-role-per-name": { kind: "role", passing: role({ otherDefinitions: [] }), failing: role({ otherDefinitions: ['EncryptedShareRole "other"'] }), expected: [["one-role-per-name", "roleName"]] },
    "trust-policy-not-open": { kind: "role", passing: role({ expectedTargets: undefined }), failing: role({ trustPolicy: at("trustPolicy", openTrust), expectedTargets: undefined }), expected: [["trust-policy-not-open", "trustPolicy"]] },
    "kms-policy-minimal": { kind: "role", passing: role(), failing: role({ kmsPolicy: at("kmsPolicy", wideKms) }), expected: [["kms-policy-minimal", "kmsPolicy"]] },
    "kms-grants-complete": {
        kind: "role",
        passing: role(),
        failing: role({ attachedKmsPolicies: [at("kms-policy.policyDocument", partialKms)] }),
        expected: [["kms-grants-complete", "kms-policy.policyDocument"], ["kms-grants-complete", "kms-policy.policyDocument"]],
    },
    "trust-matches-targets": { kind: "role", passing: role(), failing: role({ expectedTargets: [B] }), expected: [["trust-matches-targets", "trustPolicy"], ["trust-matches-targets", "trustPolicy"]] },
    "ram-document-limits": {
        kind: "role",
        passing: role({ maxSessionDuration: at("maxSessionDuration", 43200) }),
        failing: role({ maxSessionDuration: at("maxSessionDuration", 60), trustPolicy: at("trustPolicy", renderDocument(trustPolicy({ accountIds: accounts(200).map((a) => a.value!) }))), expectedTargets: undefined }),
        expected: [["ram-document-limits", "trustPolicy"], ["ram-document-limits", "maxSessionDuration"]],
    },
};

Object.assign(cases, {
    "no-image-from-shared-snapshot": {
        kind: "imageSource",
        passing: { snapshotId: at("snapshotId", "s-mine0001"), sharedWithThisAccount: false },
        failing: { snapshotId: at("snapshotId", "s-shared0001"), sharedWithThisAccount: true },
        expected: [["no-image-from-shared-snapshot", "snapshotId"]],
    },
    "share-role-present": { kind: "share", passing: share({ shareRolePresent: true }), failing: share({ shareRolePresent: false }), expected: [["share-role-present", "shareRole"]] },
    "shared-key-protected": { kind: "key", passing: key(), failing: key({ deletionProtection: at("deletionProtection", "Disabled") }), expected: [["shared-key-protected", "deletionProtection"]] },
    "no-inline-share-items": { kind: "share", passing: share({ inlineLists: [] }), failing: share({ inlineLists: ["targets", "resources"] }), expected: [["no-inline-share-items", "targets"], ["no-inline-share-items", "resources"]] },
    "share-role-system-policy": { kind: "role", passing: role({ systemPolicies: [] }), failing: role({ systemPolicies: [at("attachments[0]", "AliyunKMSFullAccess")] }), expected: [["share-role-system-policy", "attachments[0]"]] },
    "recipients-allowed": {
        kind: "share",
        passing: share({ targets: [at("accountIds[0]", A), at("folderPaths[0]", "rd-abc/r-def/fd-ghi/fd-jkl"), at("resourceDirectoryId", "rd-abc")] }),
        failing: share({ targets: [at("accountIds[0]", B), at("folderPaths[0]", "rd-xyz/r-def/fd-other"), at("resourceDirectoryId", "rd-xyz")] }),
        expected: [["recipients-allowed", "accountIds[0]"], ["recipients-allowed", "folderPaths[0]"], ["recipients-allowed", "resourceDirectoryId"]],
        context: allowList,
    },
    "trusted-principals-allowed": {
        kind: "role",
        passing: role(),
        failing: role({ trustPolicy: at("trustPolicy", renderDocument(trustPolicy({ accountIds: [A, B] }))), expectedTargets: undefined }),
        expected: [["trusted-principals-allowed", "trustPolicy"]],
        context: allowList,
    },
    "recipients-known": { kind: "share", passing: share(), failing: share({ targets: [at<string>("targetId", undefined)] }), expected: [["recipients-known", "targetId"]], context: { failClosedOnUnknown: true } },
    "role-documents-known": {
        kind: "role",
        passing: role(),
        failing: role({ trustPolicy: at<unknown>("trustPolicy", undefined), kmsPolicy: at<unknown>("kmsPolicy", undefined), expectedTargets: undefined }),
        expected: [["role-documents-known", "trustPolicy"], ["role-documents-known", "kmsPolicy"]],
        context: { failClosedOnUnknown: true },
    },
    "values-known": {
        kind: "share",
        passing: share(),
        failing: share({ resourceType: at<string>("resourceType", undefined), shareName: at<string>("shareName", undefined) }),
        expected: [["values-known", "shareName"], ["values-known", "resourceType"]],
        context: { failClosedOnUnknown: true },
    },
    "exemption-valid": {
        kind: "exemption",
        passing: exemption(),
        failing: exemption({ reason: at("exemptions[0].reason", "because"), expires: at("exemptions[0].expires", "2026-01-31") }),
        expected: [["exemption-valid", "exemptions[0].reason"], ["exemption-valid", "exemptions[0].expires"]],
        context: { today: "2026-11-22" },
    },
} satisfies Record<string, Case>);

const run = (c: Case, subject: unknown) => judge(c.kind, subject as never, ruleContext(c.context)).map((f) => [f.ruleId, f.path]);

describe.each(Object.entries(cases))("rule %s", (id, c) => {
    test("accepts its passing case: no finding of any rule", () => expect(run(c, c.passing)).toEqual([]));
    test("rejects its failing case: exactly the expected findings", () => expect(run(c, c.failing)).toEqual(c.expected));
    test("its failing messages start with its constraint ids and name the rule", () => {
        const rule = rules.find((r) => r.id === id)!;
        for (const f of judge(c.kind, c.failing as never, ruleContext(c.context))) {
            expect(formatFinding(f)).toMatch(new RegExp(`^\\[${rule.constraints.join(", ")}\\] .+ \\(rule ${id}\\)$`));
        }
    });
});

describe("the registry", () => {
    const known = new Set<string>(CONSTRAINT_IDS);

    test("every rule has a passing and a failing case here (arguments-well-formed judges component arguments: test/components/arguments.test.ts; policy-config-valid a policy's config: test/policy/config.test.ts)", () =>
        expect([...Object.keys(cases), "arguments-well-formed", "policy-config-valid"].sort()).toEqual(rules.map((r) => r.id).sort()));
    test("rule ids are unique kebab-case; constraint ids exist in the catalogue", () => {
        expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
        for (const r of rules) {
            expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
            expect(r.constraints.length).toBeGreaterThan(0);
            for (const c of r.constraints) {
                expect(known.has(c)).toBe(true);
            }
        }
    });
    test("every rule says where it is judged: components or why none, policies or why none", () => {
        const problems: string[] = [];
        for (const r of rules) {
            for (const [point, entry] of [["components", r.enforcement.components], ["policies", r.enforcement.policies]] as const) {
                const named = judgedBy<string>(entry);
                const reason = reasonOf(entry);
                if (named.length === 0 && (reason === undefined || reason.trim().length < 20)) {
                    problems.push(`${r.id}: no ${point} and no reason`);
                }
                if (named.length > 0 && reason !== undefined) {
                    problems.push(`${r.id}: ${point} and a reason`);
                }
            }
            judgedBy<string>(r.enforcement.components).forEach((c) => (COMPONENT_NAMES as readonly string[]).includes(c) || problems.push(`${r.id}: unknown component ${c}`));
            judgedBy<string>(r.enforcement.policies).forEach((p) => p in POLICY_KINDS || problems.push(`${r.id}: unknown policy ${p}`));
        }
        expect(problems).toEqual([]);
    });
    test("every policy of the matrix judges at least one rule", () => {
        expect(POLICY_NAMES.filter((p) => rulesJudgedBy(p).length === 0)).toEqual([]);
    });
    test("S6, derived from the rules' own inputs: each value a rule reads, unknown, is a values-known finding at its place when failing closed, and nothing otherwise", () => {
        /** Rules whose only read is a value that is unknown by construction (whether an image copy is encrypted). */
        const unknownOnly: Record<string, { kind: SubjectKind; subject: unknown; path: string }> = {
            "image-service-key": { kind: "share", subject: image({ encryption: { kind: "unknown", path: "copy.encrypted" } }), path: "copy.encrypted" },
            "snapshot-service-key": { kind: "share", subject: share({ encryption: { kind: "unknown", path: "copy.encrypted" } }), path: "copy.encrypted" },
        };
        const covered: string[] = [];
        for (const rule of rules.filter((r) => r.reads !== undefined)) {
            const c = cases[rule.id];
            const reads = [c.passing, c.failing].flatMap((subject) => (rule.reads as (s: unknown) => readonly Located<unknown>[])(subject).map((read) => ({ subject, read })));
            for (const { subject, read } of reads.filter((r) => r.read.value !== undefined)) {
                const unknownSubject = replaceLocated(subject, read, { ...read, value: undefined });
                const closed = judge(c.kind, unknownSubject as never, ruleContext({ ...c.context, failClosedOnUnknown: true }));
                expect([rule.id, closed.filter((f) => f.ruleId === "values-known").map((f) => f.path)]).toEqual([rule.id, expect.arrayContaining([read.path])]);
                const open = judge(c.kind, unknownSubject as never, ruleContext({ ...c.context, failClosedOnUnknown: false }));
                expect(open.filter((f) => f.constraints.includes("S6"))).toEqual([]);
                covered.push(rule.id);
            }
            const special = unknownOnly[rule.id];
            if (special !== undefined) {
                expect(judge(special.kind, special.subject as never, ruleContext({ failClosedOnUnknown: true })).filter((f) => f.ruleId === "values-known").map((f) => f.path)).toEqual([special.path]);
                covered.push(rule.id);
            }
        }
        expect([...new Set(covered)].sort()).toEqual(rules.filter((r) => r.reads !== undefined).map((r) => r.id).sort());
    });
    test("a recipient named like an object's own property is no account of any site", () => {
        const findings = judge("share", share({ targets: [at("accountIds[0]", "constructor"), at("accountIds[1]", "__proto__")] }), ruleContext({ accountSites: { [OWNER]: "china" } }));
        expect(findings.map((f) => [f.ruleId, f.path])).toEqual([["principal-format", "accountIds[0]"], ["principal-format", "accountIds[1]"]]);
    });
    test("a bare folder id (as a SharedTarget holds it) is allowed when it ends an allowed path", () => {
        const bare = share({ targets: [at("targetId", "fd-ghi"), at("targetId", "fd-def")], targetsAreSharingIds: true });
        expect(judge("share", bare, ruleContext(allowList)).map((f) => [f.ruleId, f.message])).toEqual([["recipients-allowed", '"fd-def" is not an allowed recipient.']]);
    });
    test("a rule's title names no configurable number (the description gives the default and the setting)", () => {
        expect(rules.filter((r) => /[0-9]/.test(r.title)).map((r) => r.id)).toEqual([]);
    });
    test("C33, C22 and C26 are warnings; every other rule is an error", () => {
        expect(rules.filter((r) => r.severity === "warning").map((r) => r.id)).toEqual(["unencrypted-snapshot-acknowledged", "directory-and-accounts", "paid-image"]);
    });
    test("not applicable is an outcome: a rule of snapshots on an image share, a rule of images on a snapshot share", () => {
        const of = (subject: ShareIntent) => Object.fromEntries(outcomes("share", subject).map((o) => [o.ruleId, o.outcome]));
        const snapshotShare = of(share({ targets: accounts(65) }));
        const imageShare = of(image({ targets: accounts(65), unencryptedDataAcknowledged: true }));
        expect([snapshotShare["snapshot-account-limit"], snapshotShare["image-account-quota"], snapshotShare["resource-id-format"]]).toEqual(["non-compliant", "not-applicable", "compliant"]);
        expect([imageShare["snapshot-account-limit"], imageShare["image-account-quota"], imageShare["paid-image"]]).toEqual(["not-applicable", "non-compliant", "compliant"]);
        expect(rules.filter((r) => r.kinds !== undefined).map((r) => `${r.id}: ${r.kinds!.join(",")}`)).toEqual([
            "snapshot-account-limit: snapshot",
            "snapshot-owner-quota: snapshot",
            "snapshot-service-key: snapshot",
            "unencrypted-snapshot-acknowledged: snapshot",
            "image-account-quota: image",
            "encrypted-image-region: image",
            "image-service-key: image",
            "directory-and-accounts: image",
            "unencrypted-image-acknowledged: image",
            "paid-image: image",
        ]);
    });
    test("unknown values are skipped, not judged", () => {
        const unknown = share({ targets: [at<string>("accountIds[0]", undefined)], resources: [at<string>("snapshotIds[0]", undefined)], ownerAccountId: at<string>("ownerAccountId", undefined), region: at<string>("region", undefined) });
        expect(judge("share", unknown)).toEqual([]);
    });
    test("no rule throws on odd values, whatever they are; on plain JSON values each rule judges rather than falls back", () => {
        const plain = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.json());
        const context = ruleContext({ failClosedOnUnknown: true, accountSites: { [OWNER]: "china" }, ...allowList, resourceDirectoryAccountIds: [] });
        const all = (targets: unknown[], value: unknown, doc: unknown) => {
            const v = value as string;
            return [
                ...judge("share", share({ targets: targets.map((t, i) => at(`accountIds[${i}]`, t as string)), resources: [at("snapshotIds[0]", v)], region: at("region", v), shareName: at("shareName", v), resourceType: at("resourceType", v), allowExternalTargets: at("accountsInResourceDirectory", value as boolean) }), context),
                ...judge("share", image({ copyToRegions: [at("copyToRegions[0]", v)], copyKeyIds: { "cn-beijing": at("copyKmsKeyIds.cn-beijing", v) } }), context),
                ...judge("role", role({ roleName: at("roleName", v), trustPolicy: at("trustPolicy", doc), kmsPolicy: at("kmsPolicy", doc), attachedKmsPolicies: [at("k", doc)], expectedTargets: [v], systemPolicies: [at("p", v)], maxSessionDuration: at("m", value as number), otherDefinitions: [v] }), context),
                ...judge("disk", disk({ snapshotId: at("snapshotId", v), category: at("category", v), kmsKeyId: at("kmsKeyId", v) }), context),
                ...judge("key", key({ deletionProtection: at("deletionProtection", v) }), context),
                ...judge("access", access({ principals: [at("userNames[0]", v)], policy: at("policyDocument", doc) }), context),
                ...judge("exemption", exemption({ rules: [at("r", v)], reason: at("reason", v), expires: at("expires", v) }), context),
            ];
        };
        fc.assert(fc.property(fc.array(plain, { maxLength: 5 }), plain, plain, (targets, value, doc) => all(targets, value, doc).every((f) => f.path !== "(value)")));
        fc.assert(fc.property(fc.array(fc.anything(), { maxLength: 5 }), fc.anything({ withObjectString: true, withNullPrototype: true }), fc.anything(), (targets, value, doc) => Array.isArray(all(targets, value, doc))), {
            // Once found by a run of this property: objects whose toString is not a function, objects of no prototype.
            examples: [[[], { toString: "" }, {}], [[{ toString: "" }], "x", { toString: "" }], [[], Object.assign(Object.create(null), { a: 1 }), []]],
        });
    });
});

describe("long reports stay short", () => {
    test("showValues lists five values, then how many more", () => {
        expect(showValues(["a", "b", "c"])).toBe("a, b, c");
        expect(showValues(Array.from({ length: 2000 }, (_, i) => `v${i}`))).toBe("v0, v1, v2, v3, v4 and 1995 more");
    });
    test("a share role missing 2,000 recipients: one message of bounded length naming the count", () => {
        const many = Array.from({ length: 2000 }, (_, i) => String(5000000000000000 + i));
        const [missing] = judge("role", role({ expectedTargets: many }), ruleContext()).filter((f) => f.ruleId === "trust-matches-targets" && /does not trust/.test(f.message));
        expect(missing.message).toBe("the share role does not trust 5000000000000000, 5000000000000001, 5000000000000002, 5000000000000003, 5000000000000004 and 1995 more, recipients of an encrypted share.");
    });
});

test("no-duplicates: two folder paths that end in one folder are one recipient (one SharedTarget), refused as such", () => {
    const found = judge("share", share({ targets: [at("folderPaths[0]", "rd-a1/r-b1/fd-c1"), at("folderPaths[1]", "rd-x1/r-y1/fd-c1"), at("folderPaths[2]", "rd-a1/r-b1/fd-c2")] }), ruleContext()).filter((f) => f.ruleId === "no-duplicates");
    expect(found.map((f) => [f.path, f.message])).toEqual([["folderPaths[1]", 'recipient "rd-x1/r-y1/fd-c1" is listed again, as folder "fd-c1" (first at folderPaths[0]).']]);
});
