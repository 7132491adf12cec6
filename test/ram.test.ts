import fc from "fast-check";
import {
    analyzePermissionPolicy,
    analyzeTrustPolicy,
    documentBytes,
    kmsSharePolicy,
    renderDocument,
    shareeImageAccessPolicy,
    trustPolicy,
} from "../src/ram";

const OWNER = "1234567890123456";

describe("trust policies, in the shapes of the Alibaba pages", () => {
    test("per account: one statement listing each sharee's ECS service principal", () => {
        expect(renderDocument(trustPolicy({ accountIds: ["2222222222222222", "3333333333333333"] }))).toBe(
            JSON.stringify({
                Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: ["2222222222222222@ecs.aliyuncs.com", "3333333333333333@ecs.aliyuncs.com"] } }],
                Version: "1",
            }),
        );
    });
    test("whole directory: the wildcard principal with StringEquals sts:ServiceOwnerRDId", () => {
        expect(renderDocument(trustPolicy({ resourceDirectoryId: "rd-3G6Rt8" }))).toBe(
            JSON.stringify({
                Statement: [{
                    Action: "sts:AssumeRole",
                    Effect: "Allow",
                    Principal: { Service: "*@ecs.aliyuncs.com" },
                    Condition: { StringEquals: { "sts:ServiceOwnerRDId": "rd-3G6Rt8" } },
                }],
                Version: "1",
            }),
        );
    });
    test("one folder: StringLike sts:ServiceOwnerRDPath with the path and a trailing *", () => {
        expect(trustPolicy({ folderPaths: ["rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1"] })).toEqual({
            Statement: [{
                Action: "sts:AssumeRole",
                Effect: "Allow",
                Principal: { Service: "*@ecs.aliyuncs.com" },
                Condition: { StringLike: { "sts:ServiceOwnerRDPath": "rd-3G6Rt8/r-Wm2Xo1/fd-bVaRIG8Zp1*" } },
            }],
            Version: "1",
        });
    });
    test("several folders in one role: one statement, one pattern each", () => {
        expect(trustPolicy({ folderPaths: ["rd-a/r-b/fd-c", "rd-a/r-b/fd-d/fd-e"] }).Statement).toEqual([{
            Action: "sts:AssumeRole",
            Effect: "Allow",
            Principal: { Service: "*@ecs.aliyuncs.com" },
            Condition: { StringLike: { "sts:ServiceOwnerRDPath": ["rd-a/r-b/fd-c*", "rd-a/r-b/fd-d/fd-e*"] } },
        }]);
    });
    test("mixed targets: accounts, then directory, then folders", () => {
        const doc = trustPolicy({ accountIds: ["2222222222222222"], resourceDirectoryId: "rd-a", folderPaths: ["rd-a/r-b/fd-c"] });
        expect(doc.Statement.map((s) => s.Condition ?? s.Principal)).toEqual([
            { Service: ["2222222222222222@ecs.aliyuncs.com"] },
            { StringEquals: { "sts:ServiceOwnerRDId": "rd-a" } },
            { StringLike: { "sts:ServiceOwnerRDPath": "rd-a/r-b/fd-c*" } },
        ]);
    });
    test("no principal at all is refused", () => {
        expect(() => trustPolicy({})).toThrow(/at least one account, directory or folder path/);
    });
});

describe("the KMS share policy (C9, C21)", () => {
    test("one key: exactly the documented policy", () => {
        expect(renderDocument(kmsSharePolicy([{ keyId: "key-hzz62f1cb66fa42qo0001", region: "cn-hangzhou", ownerAccountId: OWNER }]))).toBe(
            JSON.stringify({
                Version: "1",
                Statement: [
                    { Action: "kms:List*", Resource: `acs:kms:cn-hangzhou:${OWNER}:key`, Effect: "Allow" },
                    {
                        Action: ["kms:DescribeKey", "kms:TagResource", "kms:UntagResource", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: `acs:kms:cn-hangzhou:${OWNER}:key/key-hzz62f1cb66fa42qo0001`,
                        Effect: "Allow",
                    },
                ],
            }),
        );
    });
    test("keys in two regions: each key list and each key, once", () => {
        const doc = kmsSharePolicy([
            { keyId: "key-a0000001", region: "cn-shanghai", ownerAccountId: OWNER },
            { keyId: "key-b0000001", region: "cn-beijing", ownerAccountId: OWNER },
            { keyId: "key-a0000001", region: "cn-shanghai", ownerAccountId: OWNER },
        ]);
        expect(doc.Statement.map((s) => s.Resource)).toEqual([
            [`acs:kms:cn-shanghai:${OWNER}:key`, `acs:kms:cn-beijing:${OWNER}:key`],
            [`acs:kms:cn-shanghai:${OWNER}:key/key-a0000001`, `acs:kms:cn-beijing:${OWNER}:key/key-b0000001`],
        ]);
    });
    test("no key is refused", () => expect(() => kmsSharePolicy([])).toThrow(/at least one key/));
});

describe("the sharee access policy (C25)", () => {
    test("see and launch", () => {
        expect(shareeImageAccessPolicy()).toEqual({
            Version: "1",
            Statement: [{ Action: ["ecs:DescribeImages", "ecs:RunInstances", "ecs:CreateInstance"], Resource: "*", Effect: "Allow" }],
        });
    });
    test("see only", () => {
        expect(shareeImageAccessPolicy(false).Statement[0].Action).toEqual(["ecs:DescribeImages"]);
    });
});

describe("reading documents back", () => {
    const A = "2222222222222222";
    const allow = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: principal, ...extra }], Version: "1" });
    const folder = (operator: string, value: unknown) => allow({ Service: "*@ecs.aliyuncs.com" }, { Condition: { [operator]: { "sts:ServiceOwnerRDPath": value } } });

    test.each([
        ["an account's ECS", allow({ Service: `${A}@ecs.aliyuncs.com` }), { accountIds: [A] }],
        ["a directory", allow({ Service: "*@ecs.aliyuncs.com" }, { Condition: { StringEquals: { "sts:ServiceOwnerRDId": "rd-abc" } } }), { directoryIds: ["rd-abc"] }],
        ["a folder pattern (StringLike)", folder("StringLike", "rd-a/r-b/fd-c*"), { folderPathPatterns: ["rd-a/r-b/fd-c*"] }],
        ["an exact folder path (StringEquals, stricter than StringLike)", folder("StringEquals", "rd-a/r-b/fd-c"), { folderPathPatterns: ["rd-a/r-b/fd-c"] }],
        ["a whole root folder", folder("StringLike", ["rd-a/r-b*", "rd-a/r-b/fd-c/*"]), { folderPathPatterns: ["rd-a/r-b*", "rd-a/r-b/fd-c/*"] }],
        ["an action list of one", { Statement: [{ Action: ["sts:AssumeRole"], Effect: "Allow", Principal: { Service: [`${A}@ecs.aliyuncs.com`] } }] }, { accountIds: [A] }],
    ])("a safe trust policy (%s) is read and proven safe", (_what, doc, expected) => {
        const analysis = analyzeTrustPolicy(JSON.stringify(doc));
        expect({ accountIds: analysis.accountIds, directoryIds: analysis.directoryIds, folderPathPatterns: analysis.folderPathPatterns }).toEqual({ accountIds: [], directoryIds: [], folderPathPatterns: [], ...expected });
        expect(analysis.unsafe).toEqual([]);
        expect(analysis.problems).toEqual([]);
        expect(analysis.mentionsEcs).toBe(true);
    });

    test.each([
        ["an open wildcard", allow({ Service: "*@ecs.aliyuncs.com" }), ['Statement[0] trusts "*@ecs.aliyuncs.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition: any account\'s ECS could use the key']],
        ["Principal *", { Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: "*" }] }, ['Statement[0] trusts Principal "*": anyone could assume the role']],
        ["a RAM principal beside ECS", allow({ Service: `${A}@ecs.aliyuncs.com`, RAM: ["acs:ram::3333333333333333:root"] }), ['Statement[0] trusts RAM "acs:ram::3333333333333333:root", which is not ECS\'s service in a 16-digit account (<uid>@ecs.aliyuncs.com) or *@ecs.aliyuncs.com with a directory condition']],
        ["a Federated principal", allow({ Federated: "acs:ram::3333333333333333:saml-provider/idp" }), ['Statement[0] trusts Federated "acs:ram::3333333333333333:saml-provider/idp", which is not ECS\'s service in a 16-digit account (<uid>@ecs.aliyuncs.com) or *@ecs.aliyuncs.com with a directory condition']],
        ["a partial wildcard", allow({ Service: "1*@ecs.aliyuncs.com" }), ['Statement[0] trusts Service "1*@ecs.aliyuncs.com", which is not ECS\'s service in a 16-digit account (<uid>@ecs.aliyuncs.com) or *@ecs.aliyuncs.com with a directory condition']],
        ["another service", allow({ Service: "ecs.aliyuncs.com" }), ['Statement[0] trusts Service "ecs.aliyuncs.com", which is not ECS\'s service in a 16-digit account (<uid>@ecs.aliyuncs.com) or *@ecs.aliyuncs.com with a directory condition']],
        ["a wildcard-only folder condition", folder("StringLike", "*"), ['Statement[0].Condition.StringLike.sts:ServiceOwnerRDPath "*" is not a folder path (rd-…/r-…[/fd-…], at most a trailing *)', 'Statement[0] trusts "*@ecs.aliyuncs.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition: any account\'s ECS could use the key']],
        ["a wildcard in the middle of a path", folder("StringLike", "rd-a/*/fd-c"), ['Statement[0].Condition.StringLike.sts:ServiceOwnerRDPath "rd-a/*/fd-c" is not a folder path (rd-…/r-…[/fd-…], at most a trailing *)', 'Statement[0] trusts "*@ecs.aliyuncs.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition: any account\'s ECS could use the key']],
        ["a directory condition under StringLike", allow({ Service: "*@ecs.aliyuncs.com" }, { Condition: { StringLike: { "sts:ServiceOwnerRDId": "rd-*" } } }), ["Statement[0].Condition.StringLike.sts:ServiceOwnerRDId is not a condition that narrows ECS to a resource directory or folder", 'Statement[0] trusts "*@ecs.aliyuncs.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition: any account\'s ECS could use the key']],
        ["another condition key", allow({ Service: "*@ecs.aliyuncs.com" }, { Condition: { StringEquals: { "sts:ServiceOwnerRDId": "rd-abc", "acs:SourceIp": "1.2.3.4" } } }), ["Statement[0].Condition.StringEquals.acs:SourceIp is not a condition that narrows ECS to a resource directory or folder"]],
        ["NotPrincipal", { Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", NotPrincipal: { Service: `${A}@ecs.aliyuncs.com` } }] }, ["Statement[0] uses NotPrincipal, which grants everyone it does not name"]],
        ["a Deny", { Statement: [{ Action: "sts:AssumeRole", Effect: "Deny", Principal: { Service: `${A}@ecs.aliyuncs.com` } }] }, ['Statement[0] has Effect "Deny"; a share role\'s trust policy has only Allow statements']],
        ["a wider action", { Statement: [{ Action: "sts:*", Effect: "Allow", Principal: { Service: `${A}@ecs.aliyuncs.com` } }] }, ['Statement[0] has Action "sts:*"; a share role\'s trust policy allows exactly sts:AssumeRole']],
        ["a directory id that is not one", allow({ Service: "*@ecs.aliyuncs.com" }, { Condition: { StringEquals: { "sts:ServiceOwnerRDId": "*" } } }), ['Statement[0].Condition.StringEquals.sts:ServiceOwnerRDId "*" is not a resource directory id', 'Statement[0] trusts "*@ecs.aliyuncs.com" with no sts:ServiceOwnerRDId or sts:ServiceOwnerRDPath condition: any account\'s ECS could use the key']],
    ])("an unsafe trust policy (%s) is reported, never skipped", (_what, doc, unsafe) => {
        expect(analyzeTrustPolicy(doc).unsafe).toEqual(unsafe);
    });

    test.each([
        ["not json", "{", ["the document is not valid JSON"]],
        ["a number", 42, ["the document is a number, not a JSON object"]],
        ["null", null, ["the document is null, not a JSON object"]],
        ["no statement", {}, ["the document has no Statement"]],
        ["a bad statement", { Statement: ["x"] }, ["Statement[0] is a string, not an object"]],
        ["a bad principal", { Statement: [{ Effect: "Allow", Principal: { Service: 7 } }] }, ["Statement[0].Principal.Service is not a string or a list of strings"]],
        [
            // JSON.parse keeps the open principal, a reader taking the first would keep the narrow one: neither is proven.
            "a repeated key",
            '{"Version":"1","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["1234567890123456@ecs.aliyuncs.com"]},"Principal":{"Service":["*@ecs.aliyuncs.com"]}}]}',
            ["the document repeats the key Statement[0].Principal (a reader may take either value)"],
        ],
    ])("a malformed document (%s) gives problems, not an exception", (_what, doc, problems) => {
        expect(analyzeTrustPolicy(doc).problems).toEqual(problems);
    });
    test("a permission policy's grants", () => {
        expect(analyzePermissionPolicy(shareeImageAccessPolicy()).grants).toEqual([
            { actions: ["ecs:DescribeImages", "ecs:RunInstances", "ecs:CreateInstance"], resources: ["*"] },
        ]);
        expect(analyzePermissionPolicy({ Statement: [{ Effect: "Allow", Action: 1, Resource: "*" }] }).problems).toEqual([
            "Statement[0] has no readable Action or Resource",
        ]);
        expect(analyzePermissionPolicy({ Statement: [{ Effect: "Allow", NotAction: "kms:Delete*", Resource: "*" }] }).problems).toEqual([
            "Statement[0] allows with NotAction, which grants everything it does not name",
        ]);
    });
});

describe("builders and readers, property-based", () => {
    const accountId = fc.stringMatching(/^[0-9]{16}$/);
    const token = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);
    const folderPath = fc.tuple(token, token, fc.array(token, { minLength: 1, maxLength: 3 })).map(([a, b, c]) => [`rd-${a}`, `r-${b}`, ...c.map((f) => `fd-${f}`)].join("/"));
    const principals = fc.record(
        {
            accountIds: fc.uniqueArray(accountId, { maxLength: 80 }),
            resourceDirectoryId: token.map((t) => `rd-${t}`),
            folderPaths: fc.uniqueArray(folderPath, { maxLength: 5 }),
        },
        { requiredKeys: [] },
    );

    test("a rendered trust policy reads back to the same principals and is never open", () =>
        fc.assert(
            fc.property(principals, (p) => {
                const empty = (p.accountIds ?? []).length === 0 && p.resourceDirectoryId === undefined && (p.folderPaths ?? []).length === 0;
                if (empty) {
                    return true;
                }
                const analysis = analyzeTrustPolicy(renderDocument(trustPolicy(p)));
                expect(analysis.accountIds).toEqual(p.accountIds ?? []);
                expect(analysis.directoryIds).toEqual(p.resourceDirectoryId === undefined ? [] : [p.resourceDirectoryId]);
                expect(analysis.folderPathPatterns).toEqual((p.folderPaths ?? []).map((f) => `${f}*`));
                expect(analysis.unsafe).toEqual([]);
                expect(analysis.problems).toEqual([]);
                return true;
            }),
        ));
    test("a rendered KMS policy grants exactly the seven actions on exactly its keys", () =>
        fc.assert(
            fc.property(fc.uniqueArray(token.map((t) => `key-${t}`), { minLength: 1, maxLength: 4 }), accountId, (keys, owner) => {
                const grants = analyzePermissionPolicy(renderDocument(kmsSharePolicy(keys.map((keyId) => ({ keyId, region: "cn-shanghai", ownerAccountId: owner }))))).grants;
                expect(grants[0]).toEqual({ actions: ["kms:List*"], resources: [`acs:kms:cn-shanghai:${owner}:key`] });
                expect(grants[1].resources).toEqual(keys.map((k) => `acs:kms:cn-shanghai:${owner}:key/${k}`));
                return true;
            }),
        ));
    test("the readers never throw, whatever the input", () =>
        fc.assert(
            fc.property(fc.oneof(fc.anything(), fc.json(), fc.string()), (doc) => {
                analyzeTrustPolicy(doc);
                analyzePermissionPolicy(doc);
                return true;
            }),
        ));
    test("the document size is counted in UTF-8 bytes", () => {
        expect(documentBytes("ab")).toBe(2);
        expect(documentBytes("é")).toBe(2);
    });
});
