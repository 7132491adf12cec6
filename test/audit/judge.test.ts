/**
 * The audit's direct judge: what was read, judged by the pack's own policies without encoding anything, gives exactly
 * the violations the pack gives when the policy server hands it the same resources (the test kit encodes each one as
 * the engine does, per policy); and the sharing graph of the stack policies is read once, not once per policy.
 */
import { auditContext } from "../../src/audit/clients";
import { judgeResources } from "../../src/audit/judge";
import { readAccount } from "../../src/audit/read";
import { auditView, withDirectoryMembers, withReceivedSnapshots } from "../../src/audit/view";
import { policies } from "../../src/policy/policies";
import * as reader from "../../src/policy/reader";
import { apiSettings } from "../../src/sdk/settings";
import { runPolicies } from "../../src/testing";
import { Emulator, startEmulator } from "../support/emulator";
import { AUDIT_ENV, POLICY_CONFIG, loadFixture } from "./fixture";

let emulator: Emulator;
beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());

async function readFixture() {
    loadFixture(emulator);
    const ctx = auditContext(apiSettings({ env: AUDIT_ENV, region: "cn-hangzhou", endpoint: emulator.endpoint }), 8);
    const read = await readAccount(ctx);
    return { read, resources: auditView(read) };
}

describe("judging what was read directly", () => {
    test("the same violations, in the same order, as the pack served through the test kit, for several configs", async () => {
        const { read, resources } = await readFixture();
        const configs = [
            {},
            POLICY_CONFIG,
            { ...POLICY_CONFIG, all: "advisory", "sharing-limits": { imageShareQuota: 100 } },
            // A setting the schema refuses: the policy's policy-config-valid violation, and its default settings.
            { "sharing-share-contents": { resourceDirectoryAccountIds: "not a list" }, "sharing-directory-and-accounts": "disabled" },
            { "sharing-exemptions": "mandatory", "sharing-shared-keys": { exemptions: [{ resource: "key-bjs6golden0001", rules: ["C27"], reason: "rotating the key next week", expires: "2999-01-01" }] } },
        ];
        for (const base of configs) {
            const config = withDirectoryMembers(withReceivedSnapshots(base, read), read);
            const direct = judgeResources(resources, config);
            const served = await runPolicies(policies, resources, config);
            expect(direct.length).toBeGreaterThan(0);
            expect(direct).toEqual(served);
        }
    });

    test("the stack policies read the sharing graph once for every policy with the same settings", async () => {
        const { resources } = await readFixture();
        const spy = jest.spyOn(reader, "readStack");
        try {
            judgeResources(resources, {});
            expect(spy).toHaveBeenCalledTimes(1);
            spy.mockClear();
            // A policy with settings of its own reads its own graph (its settings may change how the graph is read).
            judgeResources(resources, { "sharing-share-contents": { resourceDirectoryAccountIds: ["1234567890123456"] } });
            expect(spy).toHaveBeenCalledTimes(2);
        } finally {
            spy.mockRestore();
        }
    });
});
