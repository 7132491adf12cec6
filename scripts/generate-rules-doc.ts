import { writeFileSync } from "fs";
import { join } from "path";
import { renderConstraintsDoc, renderRulesDoc } from "../src/rules/doc";
import { renderSettingsDoc } from "../src/policy/settingsDoc";

for (const [file, render] of [["RULES.md", renderRulesDoc], ["CONSTRAINTS.md", renderConstraintsDoc], ["SETTINGS.md", renderSettingsDoc]] as const) {
    const target = join(__dirname, "..", "docs", file);
    writeFileSync(target, render());
    process.stdout.write(`wrote ${target}\n`);
}
