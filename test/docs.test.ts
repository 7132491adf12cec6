import { readFileSync } from "fs";
import { join } from "path";
import { renderRulesDoc } from "../src/rules/doc";
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
