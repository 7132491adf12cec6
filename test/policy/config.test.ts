/**
 * The pack's config, as `--policy-pack-config` takes it: every problem at once with its JSON path and the closest
 * valid name (the offline preview refuses such a config before running anything), and, should such a config reach a
 * policy anyway, one clear violation from that policy and judging with its defaults: never a crash.
 */
import { PolicyConfigError, limitsPolicy, packConfigProblems, policies, recipientsPolicy, resolvedPolicyConfig, resourceSharingPolicy, sharingPolicies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { runPolicies, runPolicy, TestResource, urnOf } from "../../src/testing";

describe("packConfigProblems", () => {
    test("a valid config: levels as strings or objects, all, every policy's settings", () => {
        expect(
            packConfigProblems(
                {
                    all: "advisory",
                    "sharing-limits": { enforcementLevel: "mandatory", maxAccountsPerSnapshot: 5, failClosedOnUnknown: false },
                    "sharing-recipients": { allowedRecipients: { accountIds: ["2222222222222222"] } },
                    "sharing-exemptions": "disabled",
                },
                policies,
            ),
        ).toEqual([]);
    });

    test("every problem at once, with its path, the value given and the closest valid name", () => {
        expect(
            packConfigProblems(
                {
                    "sharing-limit": {},
                    "sharing-limits": { enforcementLevel: "strict", maxAccountPerSnapshot: 3, maxAccountsPerSnapshot: "ten", allowedRecipients: {} },
                    "sharing-recipients": { allowedRecipients: { accountId: ["2222222222222222"] } },
                    "sharing-exemptions": "on",
                    "sharing-share-roles": { exemptions: [{ resource: "x", rules: "S3", reason: "a reason long enough", expires: "2030-01-01" }] },
                },
                policies,
            ),
        ).toEqual([
            { path: "sharing-limit", message: 'is not a policy of the pack; did you mean "sharing-limits"?' },
            { path: "sharing-limits.maxAccountPerSnapshot", message: 'is not a known key; did you mean "maxAccountsPerSnapshot"?' },
            { path: "sharing-limits.allowedRecipients", message: "is not a known key; allowedRecipients is a setting of sharing-recipients" },
            { path: "sharing-limits.enforcementLevel", message: 'must be one of "advisory", "mandatory", "remediate", "disabled", not "strict"' },
            { path: "sharing-limits.maxAccountsPerSnapshot", message: 'must be integer, not "ten"' },
            { path: "sharing-recipients.allowedRecipients.accountId", message: 'is not a known key; did you mean "accountIds"?' },
            {
                path: "sharing-exemptions",
                message: 'must be one of "advisory", "mandatory", "remediate", "disabled" (or an object of enforcementLevel and the policy\'s settings), not "on"',
            },
            { path: "sharing-share-roles.exemptions[0].rules", message: 'must be array, not "S3"' },
        ]);
    });

    test("not an object at all", () => {
        expect(packConfigProblems([], policies)).toEqual([{ path: "", message: "must be an object keyed by policy name (or all)" }]);
        expect(packConfigProblems("mandatory", policies)).toEqual([{ path: "", message: "must be an object keyed by policy name (or all)" }]);
    });
});

describe("resolvedPolicyConfig: the level and settings a policy is given", () => {
    test("its own entry, as a string or an object; else all's level; else its default", () => {
        expect(resolvedPolicyConfig({ "sharing-limits": "advisory" }, limitsPolicy)).toEqual({ enforcementLevel: "advisory", properties: {} });
        expect(resolvedPolicyConfig({ all: "disabled", "sharing-limits": { maxAccountsPerSnapshot: 5 } }, limitsPolicy)).toEqual({ enforcementLevel: "disabled", properties: { maxAccountsPerSnapshot: 5 } });
        expect(resolvedPolicyConfig({ all: "disabled", "sharing-limits": { enforcementLevel: "advisory" } }, limitsPolicy)).toEqual({ enforcementLevel: "advisory", properties: {} });
        expect(resolvedPolicyConfig({}, limitsPolicy)).toEqual({ enforcementLevel: limitsPolicy.enforcementLevel, properties: {} });
    });

    test("runPolicies honours the string form and all", async () => {
        const target: TestResource = { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: "ram-user-x" } };
        const levels = async (config: Record<string, unknown>) => [...new Set((await runPolicies(policies, [target], config)).map((v) => v.enforcementLevel))];
        expect(await levels({})).toEqual(["mandatory"]);
        expect(await levels({ all: "advisory" })).toEqual(["advisory"]);
        expect(await levels({ all: "disabled" })).toEqual([]);
    });
});

describe("a config the schema refuses that reaches a policy anyway", () => {
    const share: TestResource = { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: "4444444444444444" } };

    test("one mandatory policy-config-valid violation naming the path, then the defaults judge (an exemption of the wrong form lifts nothing)", async () => {
        const config = {
            "sharing-recipients": {
                allowedRecipients: { accountIds: ["2222222222222222"] },
                exemptions: [{ resource: "*", rules: "S3", reason: "a reason long enough", expires: "2030-01-01" }],
            },
        };
        const violations = await runPolicy(recipientsPolicy, [share, { ...share, name: "u" }], config);
        expect(violations.map((v) => [v.finding?.ruleId, v.finding?.path, v.enforcementLevel])).toEqual([
            ["policy-config-valid", "sharing-recipients config exemptions[0].rules", "mandatory"],
        ]);
        expect(violations[0].message).toBe(
            '[S8] the config of sharing-recipients: exemptions[0].rules must be array, not "S3". Correct the policy config (pulumi preview --policy-pack-config, or the policy group\'s config). (rule policy-config-valid; at sharing-recipients config exemptions[0].rules)',
        );
    });

    test("never a crash, whatever the config holds", async () => {
        for (const bad of [{ exemptions: "all" }, { exemptions: [null] }, { allowedRecipients: 5 }, { failClosedOnUnknown: "no" }, { maxAccountsPerSnapshot: -1 }]) {
            const violations = await runPolicies(policies, [share], Object.fromEntries(policies.map((p) => [p.name, bad])));
            expect(violations.filter((v) => v.finding?.ruleId === "policy-config-valid").length).toBeGreaterThan(0);
        }
    });
});

describe("sharingPolicies: the pack's policies with a configuration of one's own", () => {
    const offList: TestResource = { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: "4444444444444444" } };
    const malformed: TestResource = { type: TYPES.sharedTarget, name: "m", props: { resourceShareId: "rs-1", targetId: "ram-user-x" } };

    test("levels: all, then each policy's own; disabled policies stay in the list, disabled", () => {
        const configured = sharingPolicies({ all: "advisory", "sharing-limits": "mandatory", "sharing-exemptions": { enforcementLevel: "disabled" } });
        expect(configured.map((p) => p.name)).toEqual(policies.map((p) => p.name));
        expect(Object.fromEntries(configured.map((p) => [p.name, p.enforcementLevel]))).toEqual({
            ...Object.fromEntries(policies.map((p) => [p.name, "advisory"])),
            "sharing-limits": "mandatory",
            "sharing-exemptions": "disabled",
        });
    });

    test("settings given are the policies' own: judged with no engine config, and shown as the schema's defaults", async () => {
        const configured = sharingPolicies({ "sharing-recipients": { allowedRecipients: { accountIds: ["2222222222222222"] } } });
        expect((await runPolicies(configured, [offList])).map((v) => [v.policy, v.finding?.ruleId])).toEqual([["sharing-recipients", "recipients-allowed"]]);
        expect(await runPolicies(policies, [offList])).toEqual([]);
        expect(configured.find((p) => p.name === "sharing-recipients")!.configSchema!.properties.allowedRecipients).toEqual({
            ...recipientsPolicy.configSchema!.properties.allowedRecipients,
            default: { accountIds: ["2222222222222222"] },
        });
    });

    test("a config the engine passes overrides them, key by key", async () => {
        const configured = sharingPolicies({ "sharing-recipients": { allowedRecipients: { accountIds: ["2222222222222222"] } } });
        expect(await runPolicies(configured, [offList], { "sharing-recipients": { allowedRecipients: { accountIds: ["4444444444444444"] } } })).toEqual([]);
        expect((await runPolicies(configured, [malformed])).map((v) => v.finding?.ruleId).sort()).toEqual(["principal-format", "recipients-allowed"]);
    });

    test("a config that does not fit the schemas throws a PolicyConfigError listing every problem", () => {
        expect(() => sharingPolicies({ "sharing-limit": "mandatory", "sharing-limits": { maxAccountsPerSnapshot: "ten" } })).toThrow(
            new PolicyConfigError([
                { path: "sharing-limit", message: 'is not a policy of the pack; did you mean "sharing-limits"?' },
                { path: "sharing-limits.maxAccountsPerSnapshot", message: 'must be integer, not "ten"' },
            ]),
        );
        try {
            sharingPolicies({ all: "strict" as never });
        } catch (e) {
            expect((e as PolicyConfigError).problems).toEqual([{ path: "all", message: 'must be one of "advisory", "mandatory", "remediate", "disabled" (or an object of enforcementLevel and the policy\'s settings), not "strict"' }]);
        }
        expect.assertions(2);
    });
});

describe("what a review found", () => {
    test("runPolicies refuses a level that is none (never a violation tagged \"off\")", async () => {
        const target: TestResource = { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: "ram-user-x" } };
        await expect(runPolicies(policies, [target], { "sharing-resource-share": "off" })).rejects.toThrow(PolicyConfigError);
        await expect(runPolicies(policies, [target], { all: { enforcementLevel: "Disabled" } })).rejects.toThrow(/all\.enforcementLevel: must be one of/);
        await expect(runPolicies(policies, [target], { "sharing-resource-share": [] })).rejects.toThrow(/sharing-resource-share: must be object/);
    });
    test("a key every object has (constructor, __proto__) is not mistaken for another policy's setting", () => {
        expect(packConfigProblems({ "sharing-limits": { constructor: 1, hasOwnProperty: 2 } }, policies)).toEqual([
            { path: "sharing-limits.constructor", message: "is not a known key" },
            { path: "sharing-limits.hasOwnProperty", message: "is not a known key" },
        ]);
        expect(packConfigProblems({ "": "mandatory" }, policies)).toEqual([{ path: '""', message: "is not a policy of the pack" }]);
    });
    test("an exemption in use stays advisory when all policies are made mandatory", async () => {
        const share: TestResource = { type: TYPES.resourceShare, name: "backups-share", props: { resourceShareName: "backups", allowExternalTargets: true } };
        const dup = (name: string): TestResource => ({ type: TYPES.sharedTarget, name, props: { resourceShareId: "backups-share-id", targetId: "2222222222222222" }, propertyDependencies: { resourceShareId: [urnOf(share)] } });
        const config = { all: "mandatory", "sharing-share-contents": { exemptions: [{ resource: "*", rules: ["C4"], reason: "a migration in progress", expires: "2099-01-01" }] } };
        const violations = await runPolicies(policies, [share, dup("a"), dup("b")], config);
        expect(violations.map((v) => [v.policy, v.enforcementLevel])).toEqual([["sharing-exemptions", "advisory"]]);
    });
});

test("an exemption whose expiry is no day of the calendar lifts nothing and says why", async () => {
    const target: TestResource = { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "rs-1", targetId: "ram-user-x" } };
    for (const expires of ["9999-99-99", "2030-02-30"]) {
        const config = { "sharing-resource-share": { exemptions: [{ resource: "*", rules: ["C1"], reason: "a migration in progress", expires }] } };
        const violations = await runPolicy(resourceSharingPolicy, [target], config);
        expect(violations.map((v) => [v.finding?.ruleId, v.finding?.path])).toEqual([
            ["exemption-valid", "sharing-resource-share config exemptions[0].expires"],
            ["principal-format", "targetId"],
        ]);
        expect(violations[0].message).toMatch(new RegExp(`^\\[S7\\] expiry "${expires}" is not a date \\(YYYY-MM-DD\\)\\.`));
    }
});
