/**
 * Hostile argument values (issue 17, item 6): each argument is read once into a plain copy that is all a component
 * reads, a getter, Proxy trap or `then` that throws is an InputPropertiesError naming the path, sizes are bounded
 * before anything walks them (counted: how many times the hostile value was touched), and a message quotes a prefix.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../support/mocks";

const rec = installMocks();

import { EncryptedShareRole, SharedImage, SharedSnapshot, findingsOfError } from "../../src";
import { resetProgramState } from "../../src/components/programState";

const A = "2222222222222222";
const B = "3333333333333333";
const KEY = "key-abcdefgh12345678";

/** The refusal's findings as `path: message` lines, or [] when the component was built. */
function refusal(build: () => unknown): string[] {
    try {
        build();
    } catch (e) {
        expect(pulumi.InputPropertiesError.isInstance(e)).toBe(true);
        return findingsOfError(e)!.map((f) => `${f.path}: ${f.message}`);
    }
    return [];
}

/** A list whose reads are counted: `length`, index presence and index reads (a Proxy over the given list). */
function counted<T>(list: T[]): { list: T[]; reads: { length: number; entries: number } } {
    const reads = { length: 0, entries: 0 };
    const proxy = new Proxy(list, {
        get(target, key, receiver) {
            if (key === "length") reads.length++;
            else if (typeof key === "string" && /^\d+$/.test(key)) reads.entries++;
            return Reflect.get(target, key, receiver);
        },
        has(target, key) {
            if (typeof key === "string" && /^\d+$/.test(key)) reads.entries++;
            return Reflect.has(target, key);
        },
    });
    return { list: proxy, reads };
}

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

describe("a read that throws is a refusal naming the path, never another error", () => {
    test.each([
        ["a getter", () => new SharedSnapshot("s", Object.defineProperty({ snapshotIds: ["s-aaaa0001"] }, "accountIds", { get: () => { throw new Error("getter says no"); }, enumerable: true }) as never), 'accountIds: reading accountIds threw an error: "getter says no".'],
        ["a Proxy's ownKeys trap", () => new SharedSnapshot("s", new Proxy({ snapshotIds: ["s-aaaa0001"], accountIds: [A] }, { ownKeys: () => { throw new Error("no keys"); } }) as never), 'args: reading the names of the arguments threw an error: "no keys".'],
        ["a Proxy's get trap on a list entry", () => new SharedSnapshot("s", { snapshotIds: new Proxy(["s-aaaa0001"], { get: (t, k) => { if (k === "0") throw new Error("entry trap"); return Reflect.get(t, k); } }), accountIds: [A] }), 'snapshotIds[0]: reading snapshotIds[0] threw an error: "entry trap".'],
        ["a then that throws", () => new SharedSnapshot("s", { snapshotIds: [Object.defineProperty({}, "then", { get: () => { throw new Error("then trap"); } }) as never], accountIds: [A] }), 'snapshotIds[0]: reading snapshotIds[0] (whether it is an Output or a promise) threw an error: "then trap".'],
        ["a throw of something not an Error", () => new SharedImage("i", Object.defineProperty({ imageIds: ["m-aaaa0001"], accountIds: [A], unencryptedDataAcknowledged: true }, "copyToRegions", { get: () => { throw 42; }, enumerable: true }) as never), "copyToRegions: reading copyToRegions threw a number."],
        ["a field of a list's object", () => new EncryptedShareRole("r", { resourceKind: "image", kmsKeyId: KEY, accountIds: [A], additionalKmsKeys: [Object.defineProperty({ region: "cn-beijing" }, "keyId", { get: () => { throw new Error("key trap"); }, enumerable: true }) as never] }), 'additionalKmsKeys[0].keyId: reading additionalKmsKeys[0].keyId threw an error: "key trap".'],
    ] as [string, () => unknown, string][])("%s", async (_what, build, expected) => {
        expect(refusal(build)).toEqual([expected]);
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });
});

describe("each argument is read once, so a value that changes between reads cannot build half a component", () => {
    test("a getter read once: the recipients checked are the recipients shared with", async () => {
        let reads = 0;
        const args = Object.defineProperty({ snapshotIds: ["s-aaaa0001"], unencryptedDataAcknowledged: true }, "accountIds", {
            get: () => (++reads === 1 ? [A] : ["not-an-account"]),
            enumerable: true,
        });
        new SharedSnapshot("s", args as never);
        await rec.settle();
        expect(reads).toBe(1);
        expect(rec.resources().map((r) => r.name)).toEqual(["s-share", "s-target-2222222222222222", "s-snapshot-s-aaaa0001"]);
    });
    test("each entry of a list read once, whatever the component does with it", async () => {
        const { list, reads } = counted([A, B]);
        new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: list, unencryptedDataAcknowledged: true });
        await rec.settle();
        // Presence and value of each of the two entries, and the length: once each.
        expect(reads).toEqual({ length: 1, entries: 4 });
        expect(rec.resources().map((r) => r.name)).toEqual(["s-share", "s-target-2222222222222222", "s-target-3333333333333333", "s-snapshot-s-aaaa0001"]);
    });
    test("the copy is what the component keeps: changing the arguments afterwards changes nothing", async () => {
        const accountIds = [A];
        const args = { snapshotIds: ["s-aaaa0001"], accountIds, unencryptedDataAcknowledged: true };
        new SharedSnapshot("s", args);
        accountIds.push("not-an-account");
        args.snapshotIds = ["bad"];
        await rec.settle();
        expect(rec.resources().map((r) => r.name)).toEqual(["s-share", "s-target-2222222222222222", "s-snapshot-s-aaaa0001"]);
    });
});

describe("sizes are bounded before anything walks them", () => {
    test("a sparse list of length 1,000,000: one finding, no entry touched", () => {
        const { list, reads } = counted(new Array<string>(1_000_000));
        expect(refusal(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: list }))).toEqual(["accountIds: accountIds has 1,000,000 entries; it takes at most 1,000."]);
        expect(reads).toEqual({ length: 1, entries: 0 });
    });
    test("100,000 sharee identities: one finding, no entry touched", () => {
        const { list, reads } = counted(Array.from({ length: 100_000 }, (_, i) => String(2000000000000000 + i)));
        expect(refusal(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: list, unencryptedDataAcknowledged: true }))).toEqual([
            "accountIds: accountIds has 100,000 entries; it takes at most 1,000.",
        ]);
        expect(reads).toEqual({ length: 1, entries: 0 });
    });
    test("a 20 MB id: refused, and the message quotes a prefix", () => {
        const id = `s-${"a".repeat(20 * 1024 * 1024)}`;
        let message = "";
        try {
            new SharedSnapshot("s", { snapshotIds: [id], accountIds: [A] });
        } catch (e) {
            message = (e as Error).message;
        }
        expect(message).toBe(
            'SharedSnapshot "s" has 1 invalid argument:\n' +
                `  - snapshotIds[0]: [S8] snapshotIds[0] is "s-${"a".repeat(38)}"… (20,971,522 characters), longer than any value it takes (at most 1,024 characters). ` +
                "Give snapshotIds[0] as the id, name or path it names. (rule arguments-well-formed)",
        );
    });
    test("a map of 100,000 regions, and an arguments object of 100,000 keys", () => {
        const copyKmsKeyIds = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`r${i}`, KEY]));
        expect(refusal(() => new SharedImage("i", { imageIds: ["m-aaaa0001"], accountIds: [A], kmsKeyId: KEY, region: "cn-shanghai", copyToRegions: ["cn-beijing"], copyKmsKeyIds }))).toEqual([
            "copyKmsKeyIds: copyKmsKeyIds has 100,000 keys; it takes at most 100.",
        ]);
        const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
        expect(refusal(() => new SharedSnapshot("s", wide as never))).toEqual(["args: args has 100,000 keys; it takes at most 100."]);
    });
    test("an argument name of a million characters is named by a prefix, never compared with the declared names", () => {
        const name = "x".repeat(1_000_000);
        expect(refusal(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], [name]: true } as never))).toEqual([
            `${"x".repeat(40)}…: args has a key of 1,000,000 characters ("${"x".repeat(40)}"… (1,000,000 characters)), not an argument of this component.`,
        ]);
    });
});

describe("a deploy-time refusal is cheap to print", () => {
    test("inspected (as Pulumi's runner prints a rejection), it is its stack: not the resource and the promise hung on it", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { failOnErrors } = require("../../src/components/common") as typeof import("../../src/components/common");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { inspect } = require("util") as typeof import("util");
        const component = new pulumi.ComponentResource("test:index:Component", "c");
        let error: Error | undefined;
        try {
            failOnErrors([{ path: "snapshotIds[0]", message: "bad.", fix: "Fix it.", ruleId: "resource-id-format", constraints: ["C5"], severity: "error" }], component);
        } catch (e) {
            error = e as Error;
        }
        (error as unknown as { promise: Promise<unknown> }).promise = Promise.resolve(component);
        expect(inspect(error, { colors: true })).toBe(error!.stack);
        expect(error!.message).toBe("snapshotIds[0]: [C5] bad. Fix it. (rule resource-id-format)");
    });
});
