import * as pulumi from "@pulumi/pulumi";
import { installMocks, mockId, nameOf, OWNER, shape, T, valueOf, withLibraryConfig } from "../support/mocks";

const rec = installMocks();

import { SharedImage } from "../../src";
import { resetProgramState } from "../../src/components/programState";
import { kmsSharePolicy, renderDocument } from "../../src/ram";

const A = "2222222222222222";
const B = "3333333333333333";
const KEY = "key-shanghai00001";
const BEIJING_KEY = "key-beijing000001";

beforeEach(async () => {
    await rec.settle();
    rec.clear();
    resetProgramState();
});

async function build(name: string, args: ConstructorParameters<typeof SharedImage>[1], opts?: ConstructorParameters<typeof SharedImage>[2]) {
    const component = new SharedImage(name, args, opts);
    const outputs = {
        resourceShareId: await valueOf(component.resourceShareId),
        shareRoleName: await valueOf(component.shareRoleName),
        imageIdsByRegion: await valueOf(component.imageIdsByRegion),
    };
    await rec.settle();
    return outputs;
}

describe("SharedImage with a resource share (the default)", () => {
    test("encrypted, to a folder and accounts, copied to a second region: exact children, providers and documents", async () => {
        // The stack's own region: the source region's children use the default provider; the copy region gets the program's provider of it.
        const before = pulumi.runtime.allConfig();
        pulumi.runtime.setConfig("alicloud:region", "cn-shanghai");
        const outputs = await build("golden", {
            imageIds: ["m-aaaa0001"],
            region: "cn-shanghai",
            kmsKeyId: KEY,
            accountIds: [A],
            copyToRegions: ["cn-beijing"],
            copyKmsKeyIds: { "cn-beijing": BEIJING_KEY },
        }).finally(() => pulumi.runtime.setAllConfig(before));
        expect(shape(rec.registrations)).toEqual(
            [
                `${T.imageShare} golden`,
                `${T.role} golden-share-role`,
                `${T.ramRole} golden-share-role-role`,
                `${T.policy} golden-share-role-kms-policy`,
                `${T.attachment} golden-share-role-attachment`,
                `${T.share} golden-share`,
                `${T.resource} golden-image-m-aaaa0001`,
                `${T.target} golden-target-${A}`,
                `${T.provider} alicloud-sharing-cn-beijing`,
                `${T.copy} golden-cn-beijing-copy-m-aaaa0001`,
                `${T.share} golden-cn-beijing-share`,
                `${T.resource} golden-cn-beijing-image-m-aaaa0001`,
                `${T.target} golden-cn-beijing-target-${A}`,
            ].sort(),
        );
        expect(rec.byName("alicloud-sharing-cn-beijing").inputs).toEqual({ region: "cn-beijing" });
        expect(rec.byName("alicloud-sharing-cn-beijing").parent).toBe("");
        const beijing = rec.byName("alicloud-sharing-cn-beijing");
        const beijingRef = `${beijing.urn}::${beijing.name}-id`;
        for (const n of ["golden-cn-beijing-copy-m-aaaa0001", "golden-cn-beijing-share", "golden-cn-beijing-image-m-aaaa0001", `golden-cn-beijing-target-${A}`]) {
            expect(rec.byName(n).provider).toBe(beijingRef);
        }
        for (const n of ["golden-share", "golden-image-m-aaaa0001", `golden-target-${A}`]) {
            expect(rec.byName(n).provider).toBe("");
        }
        expect(rec.byName("golden-cn-beijing-copy-m-aaaa0001").inputs).toEqual({
            sourceImageId: "m-aaaa0001",
            sourceRegionId: "cn-shanghai",
            encrypted: true,
            kmsKeyId: BEIJING_KEY,
            description: "Copy of a shared image, shared in cn-beijing (managed by alicloud-sharing:index:SharedImage).",
        });
        expect(rec.byName("golden-cn-beijing-copy-m-aaaa0001").protect).toBe(true);
        expect(rec.byName("golden-cn-beijing-image-m-aaaa0001").inputs).toEqual({
            resourceShareId: "golden-cn-beijing-share-id",
            resourceId: mockId(T.copy, "golden-cn-beijing-copy-m-aaaa0001"),
            resourceType: "Image",
        });
        expect(rec.byName("golden-cn-beijing-share").inputs).toEqual({ resourceShareName: "golden-cn-beijing", allowExternalTargets: true, tags: { "alicloud-sharing-encryption": "customer-key" } });
        expect(rec.byName("golden-share-role-role").inputs.roleName).toBe("AliyunECSShareEncryptImageDefaultRole");
        expect(rec.byName("golden-share-role-kms-policy").inputs.policyDocument).toBe(
            renderDocument(
                kmsSharePolicy([
                    { keyId: KEY, region: "cn-shanghai", ownerAccountId: OWNER },
                    { keyId: BEIJING_KEY, region: "cn-beijing", ownerAccountId: OWNER },
                ]),
            ),
        );
        const attachment = rec.byName("golden-share-role-attachment").urn;
        for (const child of [...rec.resources(T.share), ...rec.resources(T.resource), ...rec.resources(T.target)]) {
            expect(child.dependencies).toContain(attachment);
        }
        expect(outputs).toEqual({
            resourceShareId: "golden-share-id",
            shareRoleName: "AliyunECSShareEncryptImageDefaultRole",
            imageIdsByRegion: { "cn-shanghai": ["m-aaaa0001"], "cn-beijing": [mockId(T.copy, "golden-cn-beijing-copy-m-aaaa0001")] },
        });
    });

    test("resources grow as images + recipients: 3 images x 4 accounts make 1 share, 3 resources, 4 targets", async () => {
        await build("scale", {
            imageIds: ["m-aaaa0001", "m-aaaa0002", "m-aaaa0003"],
            accountIds: [A, B, "4444444444444444", "5555555555555555"],
            unencryptedDataAcknowledged: true,
        });
        expect([rec.resources(T.share).length, rec.resources(T.resource).length, rec.resources(T.target).length, rec.resources(T.permission).length]).toEqual([1, 3, 4, 0]);
    });

    test("the program's regional providers act as the default provider does: every alicloud: setting but the region, secrets kept secret", async () => {
        const before = pulumi.runtime.allConfig();
        pulumi.runtime.setAllConfig(
            { "alicloud:region": "cn-hangzhou", "alicloud:profile": "owner", "alicloud:accountId": OWNER, "alicloud:assumeRole": JSON.stringify({ roleArn: `acs:ram::${OWNER}:role/deployer` }), "alicloud:secretKey": "not-printed-secret" },
            ["alicloud:secretKey"],
        );
        await build("set", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", accountIds: [A], unencryptedDataAcknowledged: true }).finally(() => pulumi.runtime.setAllConfig(before));
        const provider = rec.byName("alicloud-sharing-cn-shanghai");
        const { secretKey, ...plain } = provider.inputs;
        // The SDK hands a provider its object settings as JSON text, as the engine expects them.
        expect(plain).toEqual({ region: "cn-shanghai", profile: "owner", accountId: OWNER, assumeRole: JSON.stringify({ roleArn: `acs:ram::${OWNER}:role/deployer` }) });
        expect(secretKey).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "not-printed-secret" });
    });

    test("with a provider passed in, every copy region needs one of its own (regionProviders), or the copies would go to the default account", async () => {
        const { Provider } = await import("@pulumi/alicloud/provider");
        const mine = new Provider("mine", { region: "cn-shanghai" });
        expect(() => new SharedImage("follow", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", accountIds: [A], unencryptedDataAcknowledged: true, copyToRegions: ["cn-beijing"] }, { provider: mine })).toThrow(
            "copyToRegions[0]: [C18] the component was given a provider, but copy region cn-beijing has none of its own; its copies would be made by the stack's default account. " +
                'Pass `regionProviders: { "cn-beijing": <a provider of the same account in cn-beijing> }` in the component\'s options. (rule copy-region-providers)',
        );
        const beijing = new Provider("mine-bj", { region: "cn-beijing" });
        expect(() => new SharedImage("follow", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", accountIds: [A], unencryptedDataAcknowledged: true, copyToRegions: ["cn-beijing"] }, { provider: mine, regionProviders: { "cn-beijing": beijing } })).not.toThrow();
    });

    test("a given region provider is used instead of creating one", async () => {
        const { Provider } = await import("@pulumi/alicloud/provider");
        const mine = new Provider("mine", { region: "cn-beijing" });
        await build("given", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", kmsKeyId: KEY, resourceDirectoryId: "rd-abc", copyToRegions: ["cn-beijing"], copyKmsKeyIds: { "cn-beijing": BEIJING_KEY } }, { regionProviders: { "cn-beijing": mine } });
        // The source region is not the stack's (no alicloud:region here), so it gets the program's provider of cn-shanghai.
        expect(rec.resources(T.provider).map((r) => r.name)).toEqual(["mine", "alicloud-sharing-cn-shanghai"]);
        expect(nameOf(rec.byName("given-cn-beijing-copy-m-aaaa0001").provider.split("::").slice(0, -1).join("::"))).toBe("mine");
    });
});

describe("SharedImage with image permissions", () => {
    test("one permission per image and account, no resource share, no acceptance", async () => {
        const outputs = await build("perm", { imageIds: ["m-aaaa0001", "m-aaaa0002"], accountIds: [A, B], method: "imagePermission", unencryptedDataAcknowledged: true });
        expect(shape(rec.resources())).toEqual(
            [
                `${T.permission} perm-permission-m-aaaa0001-${A}`,
                `${T.permission} perm-permission-m-aaaa0001-${B}`,
                `${T.permission} perm-permission-m-aaaa0002-${A}`,
                `${T.permission} perm-permission-m-aaaa0002-${B}`,
            ].sort(),
        );
        expect(rec.byName(`perm-permission-m-aaaa0002-${B}`).inputs).toEqual({ imageId: "m-aaaa0002", accountId: B });
        expect(rec.resources().every((r) => r.protect)).toBe(true);
        expect(outputs.resourceShareId).toBeUndefined();
    });

    test("folders still go through a resource share; mixing them with accounts warns (C22)", async () => {
        const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
        await build("mixed", { imageIds: ["m-aaaa0001"], accountIds: [A], folderPaths: ["rd-a/r-b/fd-c"], method: "imagePermission", unencryptedDataAcknowledged: true, derivedFromPaidImage: true });
        expect(shape(rec.resources())).toEqual(
            [`${T.permission} mixed-permission-m-aaaa0001-${A}`, `${T.share} mixed-share`, `${T.resource} mixed-image-m-aaaa0001`, `${T.target} mixed-target-fd-c`].sort(),
        );
        expect(rec.byName("mixed-share").inputs.allowExternalTargets).toBe(false);
        expect(warn.mock.calls.map((c) => c[0])).toEqual([
            "[C22] the images are shared both with a directory or folder and with individual accounts. Share with the directory or folders only, or with accounts only. (rule directory-and-accounts)",
            "[C26] the images derive from a paid marketplace image: sharees who launch them are billed. Tell the sharees, or share an image built from a free base. (rule paid-image)",
        ]);
        warn.mockRestore();
    });
});

describe("SharedImage, invalid arguments", () => {
    test("an unencrypted image needs the acknowledgement (C23), an encrypted one a shareable region (C19) and copy keys (C18)", async () => {
        expect(() => new SharedImage("plain", { imageIds: ["m-aaaa0001"], accountIds: [A] })).toThrow(/\[C23\].*\(rule unencrypted-image-acknowledged\)/);
        let error: pulumi.InputPropertiesError | undefined;
        try {
            new SharedImage("enc", { imageIds: ["m-aaaa0001"], region: "cn-hangzhou", kmsKeyId: KEY, accountIds: [A], copyToRegions: ["cn-beijing", "eu-central-1"] });
        } catch (e) {
            error = e as pulumi.InputPropertiesError;
        }
        expect(error!.errors.map((e) => [e.propertyPath, e.reason.match(/\(rule ([a-z-]+)\)$/)![1]])).toEqual([
            ["copyToRegions[0]", "image-copy-regions"],
            ["copyToRegions[1]", "image-copy-regions"],
            ["region", "encrypted-image-region"],
            ["copyToRegions[1]", "encrypted-image-region"],
        ]);
        await rec.settle();
        expect(rec.registrations).toEqual([]);
    });
    test("a method that does not exist (C5, C17), a service-key image (C20), too many accounts (C17)", () => {
        const accountIds = Array.from({ length: 51 }, (_, i) => String(6000000000000000 + i));
        expect(() => new SharedImage("m", { imageIds: ["m-aaaa0001"], accountIds: [A], method: "ram", unencryptedDataAcknowledged: true })).toThrow(/\[C5, C17\].*\(rule grant-method\)/);
        expect(() => new SharedImage("s", { imageIds: ["m-aaaa0001"], accountIds: [A], serviceKeyEncrypted: true })).toThrow(/\[C20\].*\(rule image-service-key\)/);
        expect(() => new SharedImage("q", { imageIds: ["m-aaaa0001"], accountIds, unencryptedDataAcknowledged: true })).toThrow(/\[C17\] the images are shared with 51 accounts; the quota is 50/);
    });
    test("a trust policy over 6,144 bytes is refused (C32) once the image quota is raised", () => {
        const accountIds = Array.from({ length: 200 }, (_, i) => String(7000000000000000 + i));
        withLibraryConfig({ imageShareQuota: 500 }, () =>
            expect(() => new SharedImage("big", { imageIds: ["m-aaaa0001"], region: "cn-shanghai", kmsKeyId: KEY, accountIds })).toThrow(/\[C32\] the document is 7\d{3} bytes; RAM takes at most 6144.*\(rule ram-document-limits\)/),
        );
    });
});
