/**
 * The offline preview of one organization written twice, in JavaScript: with the components, and with the raw
 * resources a user writes by hand the way the seeds do (a share by the role's name, folders by their ids, the
 * acknowledgement as a tag). Both read one organization file, the components from stack config and the pack from
 * the policy config, and get the same verdicts: C6 across two shares, S5 a role missing a recipient, S3 a folder
 * beside the allowed one by the directory's tree, C33 an unencrypted snapshot share. Both programs run at once, each
 * by its own runner, through the command in this process.
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { commands } from "../support/previewRuns";

const families = join(__dirname, "..", "fixtures", "families");
const organization = join(families, "organization.yaml");
const config = join(mkdtempSync(join(tmpdir(), "alicloud-sharing-families-")), "policy-config.json");
writeFileSync(config, JSON.stringify({ "sharing-recipients": { organizationFile: organization }, "sharing-share-contents": { organizationFile: organization }, "sharing-share-roles": { organizationFile: organization } }));
const runs = commands({
    components: ["preview", join(families, "components"), "--policy-config", config, "--format", "json"],
    raw: ["preview", join(families, "raw"), "--policy-config", config, "--format", "json"],
});
jest.setTimeout(120_000);

async function verdicts(program: "components" | "raw"): Promise<string[]> {
    const r = await runs[program];
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { violations: { level: string; rule: string; name: string }[] };
    // Relations between elements are reported on the element each point sees first: compared as the rule alone.
    const relational = new Set(["snapshot-account-limit", "trust-matches-targets"]);
    return report.violations.map((v) => `${v.level} ${v.rule}${relational.has(v.rule) ? "" : `@${v.name.replace(/-(share|target-.*)$/, "")}`}`).sort();
}

test("components and raw resources of one organization get the same verdicts", async () => {
    const expected = [
        "advisory unencrypted-snapshot-acknowledged@plain",
        "mandatory recipients-allowed@sandbox",
        "mandatory snapshot-account-limit",
        "mandatory trust-matches-targets",
    ];
    expect(await verdicts("components")).toEqual(expected);
    expect(await verdicts("raw")).toEqual(expected);
});
