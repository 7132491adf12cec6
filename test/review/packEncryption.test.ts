/**
 * Review (issue 15), pack reader: encryption followed through images made from several stack snapshots, and long
 * chains of copies. Each test names the defect and asserts the correct behaviour.
 */
import { encryptedImagesPolicy, policies } from "../../src/policy";
import { TYPES } from "../../src/policy/resources";
import { TestResource, runPolicies, runPolicy, unknown, urnOf, violationSet } from "../../src/testing";

const MADE = unknown.string;
const OWNER = "1111111111111111";
const A = "2222222222222222";
const at = { providerProps: { region: "cn-shanghai", accountId: OWNER } };

/** A disk on the service key and its snapshot, both made in the stack. */
function serviceKeySnapshot(name: string): [TestResource, TestResource] {
    const disk: TestResource = { type: TYPES.ecsDisk, name: `${name}-disk`, props: { encrypted: true, zoneId: "cn-shanghai-b" }, ...at };
    const snapshot: TestResource = { type: TYPES.ecsSnapshot, name, props: { diskId: MADE }, propertyDependencies: { diskId: [urnOf(disk)] }, ...at };
    return [disk, snapshot];
}

describe("an image made from several stack snapshots (diskDeviceMappings)", () => {
    const [d1, s1] = serviceKeySnapshot("system");
    const [d2, s2] = serviceKeySnapshot("data");
    // As the engine sends it: both mappings' snapshot ids unknown, the property depending on both snapshots.
    const image: TestResource = {
        type: TYPES.image,
        name: "golden",
        props: { imageName: "golden", diskDeviceMappings: [{ snapshotId: MADE }, { snapshotId: MADE }] },
        propertyDependencies: { diskDeviceMappings: [urnOf(s1), urnOf(s2)] },
        ...at,
    };
    const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: MADE, accountId: A }, propertyDependencies: { imageId: [urnOf(image)] }, ...at };
    const resources = [d1, s1, d2, s2, image, permission];

    test("both snapshots on the service key: the image is on the service key (C20), not 'unknown at preview'", async () => {
        // One mapping is followed (image-service-key); two are read as unknown because referenceOf wants exactly one source.
        expect(violationSet(await runPolicies(policies, resources))).toEqual(["image-service-key@p"]);
    });

    test("with failClosedOnUnknown: false the service-key image is still refused (today it passes)", async () => {
        const found = await runPolicy(encryptedImagesPolicy, resources, { "sharing-encrypted-images": { failClosedOnUnknown: false } });
        expect(found.map((v) => `${v.finding?.ruleId}@${v.urn?.split("::").pop()}`)).toEqual(["image-service-key@p"]);
    });
});

const CHAIN = 2500;
describe("long chains of copies", () => {
    test("a chain of 2,500 image copies is judged, not a RangeError escaping the policy", async () => {
        const chain: TestResource[] = [{ type: TYPES.image, name: "base", props: { imageName: "base", snapshotId: "s-abcdef0123" }, ...at }];
        for (let i = 0; i < CHAIN; i++) {
            chain.push({ type: TYPES.imageCopy, name: `copy${i}`, props: { sourceImageId: MADE, sourceRegionId: "cn-shanghai", encrypted: i === 0 ? true : undefined }, propertyDependencies: { sourceImageId: [urnOf(chain[chain.length - 1])] }, ...at });
        }
        const permission: TestResource = { type: TYPES.imageSharePermission, name: "p", props: { imageId: MADE, accountId: A }, propertyDependencies: { imageId: [urnOf(chain[chain.length - 1])] }, ...at };
        // The first copy is on the service key; every copy of it too (C20).
        const found = await runPolicy(encryptedImagesPolicy, [...chain, permission]);
        expect(found.map((v) => `${v.finding?.ruleId}@${v.urn?.split("::").pop()}`)).toEqual(["image-service-key@p"]);
    }, 60_000);
});
