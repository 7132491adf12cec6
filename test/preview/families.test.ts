/**
 * The offline preview of one organization written twice, in JavaScript: with the components, and with the raw
 * resources a user writes by hand the way the seeds do (a share by the role's name, folders by their ids, the
 * acknowledgement as a tag). Both read one organization file, the components from stack config and the pack from
 * the policy config, and get the same verdicts: C6 across two shares, S5 a role missing a recipient, S3 a folder
 * beside the allowed one by the directory's tree, C33 an unencrypted snapshot share.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const root = join(__dirname, "..", "..");
const families = join(root, "test", "fixtures", "families");

function verdicts(program: string): string[] {
    const organization = join(families, "organization.yaml");
    const config = join(mkdtempSync(join(tmpdir(), "alicloud-sharing-families-")), "policy-config.json");
    writeFileSync(config, JSON.stringify({ "sharing-recipients": { organizationFile: organization }, "sharing-share-contents": { organizationFile: organization }, "sharing-share-roles": { organizationFile: organization } }));
    const r = spawnSync(process.execPath, [join(root, "dist", "preview", "cli.js"), "preview", join(families, program), "--policy-config", config, "--format", "json"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { violations: { level: string; rule: string; name: string }[] };
    // Relations between elements are reported on the element each point sees first: compared as the rule alone.
    const relational = new Set(["snapshot-account-limit", "trust-matches-targets"]);
    return report.violations.map((v) => `${v.level} ${v.rule}${relational.has(v.rule) ? "" : `@${v.name.replace(/-(share|target-.*)$/, "")}`}`).sort();
}

test("components and raw resources of one organization get the same verdicts", () => {
    const expected = [
        "advisory unencrypted-snapshot-acknowledged@plain",
        "mandatory recipients-allowed@sandbox",
        "mandatory snapshot-account-limit",
        "mandatory trust-matches-targets",
    ];
    expect(verdicts("components")).toEqual(expected);
    expect(verdicts("raw")).toEqual(expected);
});
