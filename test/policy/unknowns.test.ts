/**
 * S6 for every policy: a value a rule needs that is unknown at preview is a mandatory violation (failing closed, the
 * default), never the SDK's advisory "can't run during preview", never silence; and nothing with `failClosedOnUnknown: false`.
 */
import { encryptedImagesPolicy, shareRoleAttachmentPolicy, shareRolePolicy, shareRolesPolicy, sharedKeysPolicy } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { renderDocument, trustPolicy } from "../../src/ram";
import { runPolicy, TestResource, unknown, urnOf } from "../../src/testing";

const A = "2222222222222222";
const snapshotRole = "AliyunECSShareEncryptSnapshotDefaultRole";
const off = (policy: string) => ({ [policy]: { failClosedOnUnknown: false } });
const found = (violations: Awaited<ReturnType<typeof runPolicy>>) => violations.map((v) => [v.finding?.ruleId, v.finding?.path, v.enforcementLevel]);

describe("unknown values the pack used to skip", () => {
    test("an attached KMS policy whose document is unknown", async () => {
        const role: TestResource = { type: TYPES.role, name: "role", props: { roleName: snapshotRole, assumeRolePolicyDocument: renderDocument(trustPolicy({ accountIds: [A] })) } };
        const policy: TestResource = { type: TYPES.policy, name: "kms", props: { policyName: "kms", policyDocument: unknown.string } };
        const attach: TestResource = { type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: snapshotRole, policyName: "kms", policyType: "Custom" }, propertyDependencies: { roleName: [urnOf(role)], policyName: [urnOf(policy)] } };
        const s: TestResource = { type: TYPES.resourceShare, name: "s", props: { resourceShareName: "s", allowExternalTargets: true }, dependencies: [urnOf(attach)] };
        const link = { propertyDependencies: { resourceShareId: [urnOf(s)] }, dependencies: [urnOf(attach)] };
        const resources = [role, policy, attach, s, { type: TYPES.sharedResource, name: "r", props: { resourceShareId: "x", resourceId: "s-abcd1234", resourceType: "Snapshot" }, ...link }, { type: TYPES.sharedTarget, name: "t", props: { resourceShareId: "x", targetId: A }, ...link }];
        expect(found(await runPolicy(shareRolesPolicy, resources))).toEqual([["role-documents-known", "policyDocument", "mandatory"]]);
        expect(found(await runPolicy(shareRolesPolicy, resources, off("sharing-share-roles")))).toEqual([]);
    });
    test("a System policy attached to a role whose name is unknown", async () => {
        const resources: TestResource[] = [{ type: TYPES.rolePolicyAttachment, name: "attach", props: { roleName: unknown.string, policyName: "AliyunKMSFullAccess", policyType: "System" } }];
        expect(found(await runPolicy(shareRoleAttachmentPolicy, resources))).toEqual([["values-known", "roleName", "mandatory"]]);
        expect(found(await runPolicy(shareRoleAttachmentPolicy, resources, off("sharing-share-role-attachment")))).toEqual([]);
    });
    test("a role whose name and trust are both unknown", async () => {
        const resources: TestResource[] = [{ type: TYPES.role, name: "role", props: { roleName: unknown.string, assumeRolePolicyDocument: unknown.string } }];
        expect(found(await runPolicy(shareRolePolicy, resources))).toEqual([
            ["role-documents-known", "assumeRolePolicyDocument", "mandatory"],
            ["values-known", "roleName", "mandatory"],
        ]);
        expect(found(await runPolicy(shareRolePolicy, resources, off("sharing-share-role")))).toEqual([]);
    });
    test("an image copy whose encryption is unknown, shared (C20 cannot be judged)", async () => {
        const copy: TestResource = { type: TYPES.imageCopy, name: "copy", props: { sourceImageId: "m-abcd1234", encrypted: unknown.boolean }, providerProps: { region: "cn-shanghai" } };
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: "m-copy0001", accountId: A }, propertyDependencies: { imageId: [urnOf(copy)] }, providerProps: { region: "cn-shanghai" } };
        expect(found(await runPolicy(encryptedImagesPolicy, [copy, permission]))).toEqual([["values-known", "copy.encrypted", "mandatory"]]);
        expect(found(await runPolicy(encryptedImagesPolicy, [copy, permission], off("sharing-encrypted-images")))).toEqual([]);
    });
    test("a key behind a shared image whose deletion protection is unknown (C27 cannot be judged)", async () => {
        const key: TestResource = { type: TYPES.kmsKey, name: "key", props: { deletionProtection: unknown.string } };
        const copy: TestResource = { type: TYPES.imageCopy, name: "copy", props: { sourceImageId: "m-abcd1234", encrypted: true, kmsKeyId: "key-abcdefgh1234" }, propertyDependencies: { kmsKeyId: [urnOf(key)] } };
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: "m-copy0001", accountId: A }, propertyDependencies: { imageId: [urnOf(copy)] } };
        expect(found(await runPolicy(sharedKeysPolicy, [key, copy, permission]))).toEqual([["values-known", "deletionProtection", "mandatory"]]);
        expect(found(await runPolicy(sharedKeysPolicy, [key, copy, permission], off("sharing-shared-keys")))).toEqual([]);
    });
});
