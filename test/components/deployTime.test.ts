import { spawnSync } from "child_process";
import { join } from "path";

type Outcome = { failures: string[]; registered: string[] };
const SCENARIOS = ["snapshot", "image", "provider", "secret", "regionProviders", "role", "disk"];
let outcomes: Record<string, Outcome> | undefined;

/** What a deploy-time scenario failed and registered: every scenario runs once, in one process of its own (apart from jest's rejection handlers). */
function run(scenario: string): Outcome {
    outcomes ??= runScenarios();
    return outcomes[scenario];
}

function runScenarios(): Record<string, Outcome> {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", join(__dirname, "..", "fixtures", "deploy-time.ts"), ...SCENARIOS], {
        encoding: "utf8",
        cwd: join(__dirname, "..", ".."),
    });
    return JSON.parse(result.stdout);
}

describe("values known only at deploy time are checked then, failing the component's resources with the rule id", () => {
    test("SharedSnapshot: an owner that is a recipient (C2) and a malformed snapshot id (C5, C16)", () => {
        const { failures, registered } = run("snapshot");
        // The share's checks and each id's are apart (each grant depends on its own resource): both are reported.
        expect(failures).toEqual([
            "ResourceError on late: accountIds[0]: [C2] account 2222222222222222 is the owner of the snapshots; an account cannot share with itself. " +
                "Remove the owner's own account from the recipients. (rule not-own-account)",
            'ResourceError on late: snapshotIds[0]: [C5, C16] "snap-late" is not a snapshot id (s-…). Give the ids of the snapshots to share. (rule resource-id-format)',
        ]);
        expect(registered).toEqual([]);
    });
    test("SharedImage: an encrypted image in a region where it cannot be shared (C19)", () => {
        const { failures, registered } = run("image");
        expect(failures).toEqual([
            "ResourceError on late: region: [C19] encrypted images cannot be shared in cn-hangzhou; they can in cn-beijing, cn-shanghai, cn-hongkong, ap-southeast-1. " +
                "Share from one of those regions (copy the image there), or share an unencrypted image. (rule encrypted-image-region)",
        ]);
        // The share role and the provider of a region known only at deploy time are registered; no share resource is.
        expect(registered.filter((n) => !n.startsWith("late-share-role") && n !== "late-provider")).toEqual([]);
    });
    test("SharedImage: a region other than the region of the provider passed in (the region judged is the region deployed)", () => {
        const { failures, registered } = run("provider");
        expect(failures).toEqual([
            "ResourceError on late: region: [C18, C19] region is cn-shanghai but the provider passed to the component is in cn-beijing; the share would be made in cn-beijing. " +
                "Pass a provider of cn-shanghai, or leave the provider out (the component then uses one of cn-shanghai), or set region to cn-beijing. (rule region-matches-provider)",
        ]);
        expect(registered.filter((n) => !n.startsWith("late-share-role") && n !== "beijing")).toEqual([]);
    });
    test("a secret input's value is never quoted: the error names the argument and shows [secret]", () => {
        const { failures } = run("secret");
        expect(failures.join("\n")).not.toMatch(/canary/);
        expect(failures.some((f) => f.includes('snapshotIds[0]: [C5, C16] [secret] is not a snapshot id (s-…).'))).toBe(true);
        expect(failures.some((f) => f.includes("kmsKeyId: [C9, C21] [secret] is not a KMS key id (key-…)."))).toBe(true);
    });
    test("a secret wrapped in a promise, and each kind of id given as a secret (snapshot, image, key, copy source), is never quoted either", () => {
        const { failures } = run("secret");
        expect(failures.join("\n")).not.toMatch(/canary/);
        // Every error on the resource (a share's checks and each id's are apart), in order.
        const at = (resource: string) =>
            failures
                .filter((f) => f.startsWith(`ResourceError on ${resource}: `))
                .map((f) => f.split(": ").slice(1).join(": "))
                .join("\n");
        expect(at("promised")).toBe(
            "kmsKeyId: [C9, C21] [secret] is not a KMS key id (key-…). Give the id of the customer-managed key, as KMS shows it. (rule kms-key-format)\n" +
                "snapshotIds[0]: [C5, C16] [secret] is not a snapshot id (s-…). Give the ids of the snapshots to share. (rule resource-id-format)",
        );
        expect(at("copy")).toBe(
            "sourceSnapshotId: [C5, C16] [secret] is not a snapshot id (s-…). Give the ids of the snapshots to share. (rule resource-id-format)\n" +
                "kmsKeyId: [C9, C21] [secret] is not a KMS key id (key-…). Give the id of the customer-managed key, as KMS shows it. (rule kms-key-format)",
        );
        expect(at("image")).toMatch(/^imageIds\[0\]: \[C5, C16\] \[secret\] is not a custom image id/);
        expect(at("disk")).toMatch(/^snapshotId: \[C5, C16\] \[secret\] is not a snapshot id/);
    });
    test("SharedImage: a provider given for a copy region that works in another region", () => {
        const { failures, registered } = run("regionProviders");
        expect(failures).toEqual([
            "ResourceError on late: copyToRegions[0]: [C18, C19] region is cn-beijing but the provider passed to the component is in cn-hangzhou; the share would be made in cn-hangzhou. " +
                "Pass a provider of cn-beijing, or leave the provider out (the component then uses one of cn-beijing), or set region to cn-hangzhou. (rule region-matches-provider)",
        ]);
        expect(registered.filter((n) => n.includes("cn-beijing-copy"))).toEqual([]);
    });
    test("EncryptedShareRole: a malformed key id, so no KMS policy is created (C9, C21)", () => {
        const { failures, registered } = run("role");
        expect(failures).toEqual([
            'ResourceError on late: kmsKeyId: [C9, C21] "not-a-key" is not a KMS key id (key-…). Give the id of the customer-managed key, as KMS shows it. (rule kms-key-format)',
        ]);
        expect(registered).toEqual(["late-role"]);
    });
    test("SharedSnapshotDisk: the disk key is the source's own key (C11)", () => {
        const { failures, registered } = run("disk");
        expect(failures).toEqual([
            "ResourceError on late: kmsKeyId: [C11] key key-source0001 is the shared snapshot's own key. Encrypt the disk with a key of your own account. (rule disk-from-shared-encrypted-snapshot)",
        ]);
        expect(registered).toEqual([]);
    });
});
