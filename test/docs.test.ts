import { readFileSync } from "fs";
import { join } from "path";
import { renderConstraintsDoc, renderRulesDoc } from "../src/rules/doc";
import { renderSettingsDoc } from "../src/policy/settingsDoc";
import { rules } from "../src/rules";

test("docs/RULES.md is generated from the registry and up to date (run `npm run docs`)", () => {
    expect(readFileSync(join(__dirname, "..", "docs", "RULES.md"), "utf8")).toBe(renderRulesDoc());
});

test("every rule has its section", () => {
    const doc = renderRulesDoc();
    for (const r of rules) {
        expect(doc).toContain(`## ${r.id}\n`);
    }
});

test("docs/CONSTRAINTS.md and docs/SETTINGS.md are generated and up to date (run `npm run docs`)", () => {
    expect(readFileSync(join(__dirname, "..", "docs", "CONSTRAINTS.md"), "utf8")).toBe(renderConstraintsDoc());
    expect(readFileSync(join(__dirname, "..", "docs", "SETTINGS.md"), "utf8")).toBe(renderSettingsDoc());
});

test("docs/SETTINGS.md lists every setting once, with the policies that read it", () => {
    const doc = renderSettingsDoc();
    expect(doc).toContain("| `organizationFile` | string | none | S3, C3, C30, C13 | `sharing-recipients`, `sharing-share-contents`, `sharing-share-roles` |");
    expect(doc).toContain("| `maxAccountsPerSnapshot` | integer | `64` | C6 | `sharing-limits` |");
    expect(doc).toContain("| `existingShareRoles` | \"snapshot\" \\| \"image\"[] | none | `sharing-share-roles` |");
});
