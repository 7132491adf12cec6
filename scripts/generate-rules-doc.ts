import { writeFileSync } from "fs";
import { join } from "path";
import { renderRulesDoc } from "../src/rules/doc";

const target = join(__dirname, "..", "docs", "RULES.md");
writeFileSync(target, renderRulesDoc());
process.stdout.write(`wrote ${target}\n`);
