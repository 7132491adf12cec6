/**
 * Review (issue 15), the offline preview's capture: URNs as the engine makes them. The capture takes the mock
 * monitor's URN, which prefixes only the parent's own type, where the engine prefixes the parent's whole qualified type
 * chain: two resources the engine tells apart get one URN, and the pack (which indexes resources by URN) judges one.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks, asPolicyResources } from "../support/mocks";

const rec = installMocks();

import { EncryptedShareRole, SharedSnapshot } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { policies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { runPolicies } from "../../src/testing";
import { findingsOfError } from "../../src/rules";

const A = "2222222222222222";
const KEY = "key-abcdefgh12345678";

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

test("a share's own role (SharedSnapshot 'n' > EncryptedShareRole 'n-share-role' > ram.Role) and a top-level EncryptedShareRole 'n-share-role' get two URNs", async () => {
    new SharedSnapshot("n", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A] });
    try {
        new EncryptedShareRole("n-share-role", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] });
    } catch {
        // Refused or not, what was registered is judged below.
    }
    await rec.settle();
    const roles = rec.resources(TYPES.role);
    // The engine: urn:pulumi:stack::project::alicloud-sharing:index:SharedSnapshot$alicloud-sharing:index:EncryptedShareRole$alicloud:ram/role:Role::n-share-role-role
    const expected = pulumi.createUrn("n-share-role-role", TYPES.role, pulumi.createUrn("n-share-role", "alicloud-sharing:index:EncryptedShareRole", pulumi.createUrn("n", "alicloud-sharing:index:SharedSnapshot")));
    expect(await new Promise((resolve) => (expected as pulumi.Output<string>).apply(resolve))).toBe(
        "urn:pulumi:stack::project::alicloud-sharing:index:SharedSnapshot$alicloud-sharing:index:EncryptedShareRole$alicloud:ram/role:Role::n-share-role-role",
    );
    expect(new Set(roles.map((r) => r.urn)).size).toBe(roles.length);
});

test("so the second role of one name in one account is found (S4): refused by the component, or seen by the pack on what was captured", async () => {
    new SharedSnapshot("n", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A] });
    let refused: string[] = [];
    try {
        new EncryptedShareRole("n-share-role", { resourceKind: "snapshot", kmsKeyId: KEY, accountIds: [A] });
    } catch (e) {
        refused = (findingsOfError(e) ?? []).map((f) => f.ruleId);
    }
    await rec.settle();
    const found = await runPolicies(policies, asPolicyResources(rec.registrations));
    expect([...refused, ...found.map((v) => v.finding?.ruleId)].filter((r) => r === "one-role-per-name").length).toBeGreaterThan(0);
});
