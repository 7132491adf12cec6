/**
 * Families of component programs that were taken as given before the components judged the program's graph: accounts
 * named by providers, recipients of the wrong kind, arguments that would be silently dropped.
 */
import { installMocks } from "../support/mocks";

const rec = installMocks();

import { Provider } from "@pulumi/alicloud/provider";
import { SharedImage, SharedSnapshot } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { findingsOfError } from "../../src/rules";

const A = "2222222222222222";
const KEY = "key-abcdefgh12345678";
const accounts = (n: number, base: number) => Array.from({ length: n }, (_, i) => String(base + i));

/** The [rule, path] of each finding a construction refuses with. */
function refusal(build: () => unknown): [string, string][] {
    try {
        build();
    } catch (e) {
        return (findingsOfError(e) ?? []).map((f) => [f.ruleId, f.path]);
    }
    return [];
}

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

describe("accounts: providers are one account unless the components name theirs", () => {
    test("40 + 40 recipients of one snapshot through two providers exceed C6", () => {
        const one = new Provider("one", { region: "cn-hangzhou" });
        const two = new Provider("two", { region: "cn-hangzhou" });
        new SharedSnapshot("first", { snapshotIds: ["s-aaaa0001"], accountIds: accounts(40, 4000000000000000), unencryptedDataAcknowledged: true }, { provider: one });
        expect(refusal(() => new SharedSnapshot("second", { snapshotIds: ["s-aaaa0001"], accountIds: accounts(40, 5000000000000000), unencryptedDataAcknowledged: true }, { provider: two }))).toEqual([
            ["snapshot-account-limit", "accountIds"],
        ]);
    });
    test("two encrypted shares through two providers that name one account: one share role, not two (S4)", () => {
        const one = new Provider("one", { region: "cn-hangzhou", accountId: "4444444444444444" });
        const two = new Provider("two", { region: "cn-hangzhou", accountId: "4444444444444444" });
        new SharedSnapshot("first", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A] }, { provider: one });
        expect(refusal(() => new SharedSnapshot("second", { snapshotIds: ["s-aaaa0002"], kmsKeyId: KEY, accountIds: [A] }, { provider: two }))).toEqual([["one-role-per-name", "createShareRole"]]);
    });
    test("a share without a key in an account whose share role does not trust its recipient: the role is ECS's for it too (S5)", () => {
        new SharedSnapshot("encrypted", { snapshotIds: ["s-aaaa0001"], kmsKeyId: KEY, accountIds: [A] });
        expect(refusal(() => new SharedSnapshot("plain", { snapshotIds: ["s-aaaa0002"], accountIds: ["3333333333333333"] }))).toEqual([["trust-matches-targets", "accountIds[0]"]]);
        // Acknowledged as unencrypted, it needs no role.
        expect(refusal(() => new SharedSnapshot("acknowledged", { snapshotIds: ["s-aaaa0003"], accountIds: ["3333333333333333"], unencryptedDataAcknowledged: true }))).toEqual([]);
    });
});

describe("recipients are of the kind their argument takes (C1)", () => {
    test.each([
        ["a directory in accountIds", { accountIds: ["rd-abc"] }, [["principal-format", "accountIds[0]"]]],
        ["a folder path in accountIds", { accountIds: ["rd-abc/r-def/fd-ghi"] }, [["principal-format", "accountIds[0]"]]],
        ["an account as resourceDirectoryId", { resourceDirectoryId: A }, [["principal-format", "resourceDirectoryId"]]],
        ["a directory in folderPaths", { folderPaths: ["rd-abc"] }, [["principal-format", "folderPaths[0]"]]],
    ])("%s is refused, with the argument to use", (_, targets, expected) => {
        expect(refusal(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], unencryptedDataAcknowledged: true, ...targets }))).toEqual(expected);
    });
    test("the message says which argument takes it", () => {
        expect(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: ["rd-abc"] })).toThrow(
            'accountIds[0]: [C1] "rd-abc" is a resource directory id, but accountIds takes account ids only. Give it as `resourceDirectoryId`. (rule principal-format)',
        );
    });
});

describe("no argument is silently dropped (S8)", () => {
    test.each([
        ["copyKmsKeyIds without kmsKeyId (the copies would be made and shared unencrypted)", () => new SharedImage("i", { imageIds: ["m-aaaa0001"], accountIds: [A], copyToRegions: ["cn-beijing"], copyKmsKeyIds: { "cn-beijing": KEY }, unencryptedDataAcknowledged: true }), [["arguments-well-formed", "copyKmsKeyIds"]]],
        ["kmsKeyRegion without kmsKeyId", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], kmsKeyRegion: "cn-shanghai" }), [["arguments-well-formed", "kmsKeyRegion"]]],
        ["createShareRole without kmsKeyId", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], createShareRole: false }), [["arguments-well-formed", "createShareRole"]]],
        ["copyServiceKeySnapshots without serviceKeyEncrypted", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], kmsKeyId: KEY, copyServiceKeySnapshots: true }), [["arguments-well-formed", "copyServiceKeySnapshots"]]],
        ["unencryptedDataAcknowledged with a key", () => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], kmsKeyId: KEY, unencryptedDataAcknowledged: true }), [["arguments-well-formed", "unencryptedDataAcknowledged"]]],
    ])("%s is refused", async (_, build, expected) => {
        expect(refusal(build)).toEqual(expected);
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });
    test("the message names both arguments and the fix", () => {
        expect(() => new SharedSnapshot("s", { snapshotIds: ["s-aaaa0001"], accountIds: [A], kmsKeyRegion: "cn-shanghai" })).toThrow(
            "kmsKeyRegion: [S8] kmsKeyRegion is given but kmsKeyId is not, so it would be ignored: it is the region of that key. Give kmsKeyId too, or remove kmsKeyRegion. (rule arguments-well-formed)",
        );
    });
});

describe("an unencrypted snapshot share is named (C33)", () => {
    test("a warning unless acknowledged; the acknowledgement tags the resource share for the pack", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
        new SharedSnapshot("plain", { snapshotIds: ["s-aaaa0001"], accountIds: accounts(40, 4000000000000000) });
        new SharedSnapshot("acknowledged", { snapshotIds: ["s-aaaa0002"], accountIds: [A], unencryptedDataAcknowledged: true });
        await rec.settle();
        expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
            "[C33] the snapshots are not known to be encrypted: each of the 40 recipients can read all of their data. Make sure they hold no sensitive data and set `unencryptedDataAcknowledged: true` (on a raw resource share, the tag `alicloud-sharing-unencrypted-data: acknowledged`), or share snapshots encrypted with a customer-managed key (`kmsKeyId`). (rule unencrypted-snapshot-acknowledged)",
        ]);
        warn.mockRestore();
        expect(rec.byName("acknowledged-share").inputs.tags).toEqual({ "alicloud-sharing-unencrypted-data": "acknowledged" });
        expect(rec.byName("plain-share").inputs.tags).toBeUndefined();
    });
});
