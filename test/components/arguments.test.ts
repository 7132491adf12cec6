/**
 * Every component argument has a declared form (S8): hostile values (undefined, null, NaN, wrong types, sparse
 * arrays, huge arrays, unicode, prototype keys, Outputs where the value must be known) get an InputPropertiesError
 * naming the path, or make a valid program; never another error, and never a registered resource missing a required
 * input. CI runs fixed seeds; `npm run fuzz` runs many more.
 */
import { runsOf } from "../support/fuzz";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, T } from "../support/mocks";

const rec = installMocks();

import { EncryptedShareRole, SharedImage, SharedSnapshot, SharedSnapshotDisk, ShareAcceptance, ShareeImageAccess, SnapshotCopy, findingsOfError } from "../../src";
import { resetProgramState } from "../../src/components/programState";

/** A list whose first entry is a hole (never assigned), then the given values. */
const holeThen = (...values: unknown[]): unknown[] => {
    const list: unknown[] = new Array(1 + values.length);
    values.forEach((v, i) => (list[i + 1] = v));
    return list;
};
const A = "2222222222222222";
const KEY = "key-abcdefgh12345678";
const refusal = (build: () => unknown): [string, string][] => {
    try {
        build();
    } catch (e) {
        expect(pulumi.InputPropertiesError.isInstance(e)).toBe(true);
        return findingsOfError(e)!.map((f) => [f.path, f.ruleId]);
    }
    return [];
};

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

describe("arguments of the wrong form are refused with their path (S8), before anything else", () => {
    test.each([
        ["no arguments at all", () => new SharedSnapshot("s", undefined as never), [["args", "arguments-well-formed"]]],
        ["accountIds as a string", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: A as never }), [["accountIds", "arguments-well-formed"]]],
        ["accountIds as an Output", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: pulumi.output([A]) as never }), [["accountIds", "arguments-well-formed"]]],
        ["a hole and undefined in snapshotIds", () => new SharedSnapshot("s", { snapshotIds: holeThen(undefined, "s-aaaa0001") as never, accountIds: [A] }), [["snapshotIds[0]", "arguments-well-formed"], ["snapshotIds[1]", "arguments-well-formed"]]],
        ['protect: "false"', () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], protect: "false" as never }), [["protect", "arguments-well-formed"]]],
        ["a non-string shareName", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], shareName: 7 as never }), [["shareName", "arguments-well-formed"]]],
        ["a misspelt argument", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], acountIds: [A] } as never), [["acountIds", "arguments-well-formed"]]],
        ["copyToRegions: [undefined]", () => new SharedImage("i", { imageIds: ["m-aaaa0001"], accountIds: [A], unencryptedDataAcknowledged: true, copyToRegions: [undefined as never] }), [["copyToRegions[0]", "arguments-well-formed"]]],
        ['copyKmsKeyIds: { "cn-beijing": undefined }', () => new SharedImage("i", { imageIds: ["m-aaaa0001"], accountIds: [A], kmsKeyId: KEY, region: "cn-shanghai", copyToRegions: ["cn-beijing"], copyKmsKeyIds: { "cn-beijing": undefined as never } }), [["copyKmsKeyIds.cn-beijing", "arguments-well-formed"]]],
        ["additionalKmsKeys: [null]", () => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A], additionalKmsKeys: [null as never] }), [["additionalKmsKeys[0]", "arguments-well-formed"]]],
        ["additionalKmsKeys: [{ keyId: undefined }]", () => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A], additionalKmsKeys: [{ keyId: undefined as never, region: "cn-beijing" }] }), [["additionalKmsKeys[0].keyId", "arguments-well-formed"]]],
        ["maxSessionDuration: NaN", () => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A], maxSessionDuration: NaN }), [["maxSessionDuration", "arguments-well-formed"]]],
        ["a policy name RAM would refuse", () => new ShareeImageAccess("a", { roleNames: ["ops"], policyName: "has spaces" }), [["policyName", "arguments-well-formed"]]],
        ["a disk size that is not a number", () => new SharedSnapshotDisk("d", { snapshotId: "s-aaaa0001", zoneId: "z", kmsKeyId: KEY, size: "100" as never }), [["size", "arguments-well-formed"]]],
        ["no resource share id", () => new ShareAcceptance("a", {} as never), [["resourceShareId", "arguments-well-formed"]]],
        ["pollSeconds as a string", () => new SnapshotCopy("c", { sourceSnapshotId: "s-aaaa0001", kmsKeyId: KEY, pollSeconds: "10" as never }), [["pollSeconds", "arguments-well-formed"]]],
    ] as [string, () => unknown, [string, string][]][])("%s", async (_what, build, expected) => {
        expect(refusal(build)).toEqual(expected);
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });
    test("an Output where the value must be known says which argument and why", () => {
        expect(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: pulumi.output([A]) as never })).toThrow(
            "accountIds: [S8] accountIds is an Output, but it must be known when the program runs: each recipient becomes a resource of its own and is checked against the rules and the allow-list. " +
                "Give accountIds as a plain value (a literal, or stack config); a value computed by other resources cannot decide what is created. (rule arguments-well-formed)",
        );
    });
});

/** What a registered resource must have, by type: a resource missing one would fail (or do harm) at deploy time. */
const REQUIRED: Record<string, string[]> = {
    [T.share]: ["resourceShareName"],
    [T.resource]: ["resourceShareId", "resourceId", "resourceType"],
    [T.target]: ["resourceShareId", "targetId"],
    [T.permission]: ["imageId", "accountId"],
    [T.ramRole]: ["roleName", "assumeRolePolicyDocument"],
    [T.policy]: ["policyName", "policyDocument"],
    [T.attachment]: ["roleName", "policyName", "policyType"],
    [T.copy]: ["sourceImageId", "sourceRegionId", "kmsKeyId"],
};

const hostile = fc.oneof(
    fc.constantFrom(undefined, null, NaN, Infinity, -1, 0, true, false, "", "false", "__proto__", "constructor", "toString", "𝔰-𝔞𝔟𝔠𝔡", "s-aaaa0001", "m-aaaa0001", KEY, A, "cn-beijing", "rd-abc/r-def/fd-ghi"),
    fc.string(),
    fc.array(fc.oneof(fc.string(), fc.constant(undefined), fc.constant(null), fc.integer()), { maxLength: 4 }),
    fc.constant(Object.assign([], { length: 3 })),
    fc.constant(Array.from({ length: 300 }, (_, i) => String(2000000000000000 + i))),
    fc.dictionary(fc.constantFrom("cn-beijing", "__proto__", "constructor", "x"), fc.oneof(fc.string(), fc.constant(undefined)), { maxKeys: 2 }),
    // No Outputs here: an Output where a plain value is required is refused at construction (the table above); where an
    // Output is taken, its value is judged at deploy time, observed in a process of its own (deployTime.test.ts), since jest
    // owns this process's rejection handlers.
);

const components: [string, readonly string[], (args: Record<string, unknown>) => unknown][] = [
    ["SharedSnapshot", ["snapshotIds", "accountIds", "resourceDirectoryId", "folderPaths", "kmsKeyId", "kmsKeyRegion", "region", "ownerAccountId", "shareName", "protect", "createShareRole", "copyServiceKeySnapshots"], (a) => new SharedSnapshot("fz", a as never)],
    ["SharedImage", ["imageIds", "accountIds", "folderPaths", "kmsKeyId", "region", "copyToRegions", "copyKmsKeyIds", "method", "unencryptedDataAcknowledged"], (a) => new SharedImage("fz", a as never)],
    ["EncryptedShareRole", ["resourceKind", "kmsKeyId", "kmsKeyRegion", "additionalKmsKeys", "accountIds", "policyName", "maxSessionDuration"], (a) => new EncryptedShareRole("fz", a as never)],
    ["SharedSnapshotDisk", ["snapshotId", "zoneId", "kmsKeyId", "category", "sourceKmsKeyId", "sourceEncrypted", "size", "copyFirst"], (a) => new SharedSnapshotDisk("fz", a as never)],
    ["ShareeImageAccess", ["userNames", "groupNames", "roleNames", "allowLaunch", "policyName"], (a) => new ShareeImageAccess("fz", a as never)],
    ["SnapshotCopy", ["sourceSnapshotId", "kmsKeyId", "sourceKmsKeyId", "pollSeconds", "snapshotName"], (a) => new SnapshotCopy("fz", a as never)],
];
const VALID: Record<string, Record<string, unknown>> = {
    SharedSnapshot: { snapshotIds: ["s-aaaa0001"], accountIds: [A], kmsKeyId: KEY },
    SharedImage: { imageIds: ["m-aaaa0001"], accountIds: [A], kmsKeyId: KEY, region: "cn-shanghai" },
    EncryptedShareRole: { resourceKind: "image", kmsKeyId: KEY, accountIds: [A] },
    SharedSnapshotDisk: { snapshotId: "s-aaaa0001", zoneId: "z", kmsKeyId: KEY },
    ShareeImageAccess: { roleNames: ["ops"] },
    SnapshotCopy: { sourceSnapshotId: "s-aaaa0001", kmsKeyId: KEY },
};

const runs = runsOf(30);

describe.each(components)("%s under hostile arguments", (component, names, build) => {
    test(`an InputPropertiesError or a valid program, never another error, never a resource missing a required input (${runs} runs)`, async () => {
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        // An asynchronous failure (a rejection nothing handles) fails the test: jest owns this process's rejection
        // handlers. None is expected: every value here is known at construction (no Outputs, see above).
        try {
            await fc.assert(
                fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), hostile, { minKeys: 1, maxKeys: 3 }), async (changes) => {
                    await rec.settle();
                    rec.clear();
                    resetProgramState();
                    const args = { ...VALID[component], ...changes };
                    try {
                        build(args);
                    } catch (e) {
                        if (!pulumi.InputPropertiesError.isInstance(e)) {
                            throw new Error(`${component}(${JSON.stringify(changes)}) threw ${e instanceof Error ? e.stack : String(e)}`);
                        }
                        await rec.settle();
                        expect(rec.registrations).toEqual([]);
                        return;
                    }
                    await rec.settle();
                    for (const r of rec.resources()) {
                        for (const input of REQUIRED[r.type] ?? []) {
                            if (r.inputs[input] === undefined || r.inputs[input] === null) {
                                throw new Error(`${component}(${JSON.stringify(changes)}) registered ${r.type} ${r.name} without ${input}`);
                            }
                        }
                    }
                }),
                { numRuns: runs },
            );
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
    }, 120_000);
});
