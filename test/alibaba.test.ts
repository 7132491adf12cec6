import fc from "fast-check";
import {
    isAccountId,
    isFolderPath,
    isImageId,
    isKmsKeyId,
    isRegionId,
    isResourceDirectoryId,
    isRootFolderId,
    isFolderId,
    isSnapshotId,
    kmsKeyArn,
    kmsKeyListArn,
    parseFolderPath,
    principalKind,
    resourceSharingTargetId,
    DEFAULT_LIMITS,
    SHARE_ROLE_NAME,
} from "../src/alibaba";

const grammars: [string, (v: unknown) => boolean, string[], unknown[]][] = [
    ["account", isAccountId, ["1234567890123456", "0000000000000001"], ["123456789012345", "12345678901234567", "12345678901234a6", " 1234567890123456", "", 1234567890123456, null]],
    ["directory", isResourceDirectoryId, ["rd-3G6Rt8", "rd-a"], ["rd-", "RD-abc", "rd_abc", "rd-ab/c", "r-abc", undefined]],
    ["root folder", isRootFolderId, ["r-Wm2Xo1", "r-b"], ["r-", "rd-abc", "r-a b", {}]],
    ["folder", isFolderId, ["fd-bVaRIG8Zp1", "fd-x"], ["fd-", "fd-a/b", "f-abc", []]],
    ["folder path", isFolderPath, ["rd-abc/r-def", "rd-abc/r-def/fd-g1", "rd-abc/r-def/fd-g1/fd-h2"], ["rd-abc", "rd-abc/fd-g1", "rd-abc/r-def/", "r-def/fd-g1", "rd-abc/r-def/fd-g1*", "rd-abc//r-def"]],
    ["snapshot", isSnapshotId, ["s-bp1c0doj0taqyzzl0001", "s-abcd"], ["s-abc", "S-abcd1234", "m-abcd1234", "s-ABCD1234", "snap-abcd1234"]],
    ["image", isImageId, ["m-bp1g7004ksh0oeuc0001", "m-abcd"], ["m-abc", "s-abcd1234", "ubuntu_22_04_x64_20G_alibase_20240101.vhd", "M-abcd1234"]],
    ["kms key", isKmsKeyId, ["key-hzz62f1cb66fa42qo0001", "0e478b7a-4262-4802-b8cb-00d3fb400001"], ["key-", "key-short", "alias/backup", "0e478b7a42624802b8cb00d3fb400001", "acs:kms:cn-hangzhou:1:key/key-x"]],
    [
        "region",
        isRegionId,
        // Region ids Alibaba Cloud lists, of every shape: two- and three-letter areas, numbered, government and finance regions.
        ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-hongkong", "ap-southeast-1", "ap-northeast-2", "cn-north-2-gov-1", "us-west-1", "rus-west-1", "me-central-1", "me-east-1", "na-south-1", "eu-central-1", "cn-shenzhen-finance-1", "cn-wulanchabu"],
        ["cn", "CN-hangzhou", "cn_hangzhou", "cn_shanghai", "hangzhou", "Hangzhou", "cn-", "-cn-hangzhou", "cn--hangzhou", "cn-hangzhou-", "c-hangzhou", "russ-west-1", "cn hangzhou"],
    ],
];

describe.each(grammars)("the %s grammar", (_what, valid, good, bad) => {
    test.each(good)("accepts %p", (v) => expect(valid(v)).toBe(true));
    test.each(bad)("rejects %p", (v) => expect(valid(v)).toBe(false));
    test("never throws on any input", () => fc.assert(fc.property(fc.anything(), (v) => typeof valid(v) === "boolean")));
});

describe("grammars, property-based", () => {
    const accountId = fc.stringMatching(/^[0-9]{16}$/);
    const token = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
    const folderPath = fc
        .tuple(token, token, fc.array(token, { maxLength: 5 }))
        .map(([rd, r, fds]) => [`rd-${rd}`, `r-${r}`, ...fds.map((f) => `fd-${f}`)].join("/"));

    test("random valid account ids are accounts and nothing else", () =>
        fc.assert(fc.property(accountId, (id) => isAccountId(id) && principalKind(id) === "account" && !isFolderPath(id))));
    test("random strings of another length are never account ids", () =>
        fc.assert(fc.property(fc.stringMatching(/^[0-9]{0,30}$/).filter((s) => s.length !== 16), (id) => !isAccountId(id))));
    test("random valid folder paths parse back to their parts", () =>
        fc.assert(
            fc.property(folderPath, (path) => {
                const parsed = parseFolderPath(path)!;
                return [parsed.directoryId, parsed.rootFolderId, ...parsed.folderIds].join("/") === path && principalKind(path) === "folderPath";
            }),
        ));
    test("a folder path with any part broken is rejected", () =>
        fc.assert(
            fc.property(folderPath, fc.nat(), fc.constantFrom("", "x", "fd_", "rd-a b", "*"), (path, at, junk) => {
                const parts = path.split("/");
                parts[at % parts.length] = junk;
                return !isFolderPath(parts.join("/"));
            }),
        ));
    test("the Resource Sharing target of a folder path is its last folder", () => {
        expect(resourceSharingTargetId("rd-a/r-b/fd-c/fd-d")).toBe("fd-d");
        expect(resourceSharingTargetId("rd-a/r-b")).toBe("r-b");
        expect(resourceSharingTargetId("1234567890123456")).toBe("1234567890123456");
        expect(resourceSharingTargetId("rd-a")).toBe("rd-a");
    });
});

describe("facts", () => {
    test("ARNs of a key and of the key list", () => {
        expect(kmsKeyArn("cn-shanghai", "1234567890123456", "key-abc")).toBe("acs:kms:cn-shanghai:1234567890123456:key/key-abc");
        expect(kmsKeyListArn("cn-shanghai", "1234567890123456")).toBe("acs:kms:cn-shanghai:1234567890123456:key");
    });
    test("the limits of the catalogue", () => {
        expect(DEFAULT_LIMITS).toEqual({
            maxAccountsPerSnapshot: 64,
            maxSharedSnapshotsPerOwner: 1024,
            sharedSnapshotsInUse: 0,
            imageShareQuota: 50,
            encryptedImageRegions: ["cn-beijing", "cn-shanghai", "cn-hongkong", "ap-southeast-1"],
            essdCategories: ["cloud_essd", "cloud_auto", "cloud_essd_entry"],
            maxPolicyDocumentBytes: 6144,
            minRoleSessionSeconds: 3600,
            maxRoleSessionSeconds: 43200,
        });
        expect(SHARE_ROLE_NAME).toEqual({ snapshot: "AliyunECSShareEncryptSnapshotDefaultRole", image: "AliyunECSShareEncryptImageDefaultRole" });
    });
});
