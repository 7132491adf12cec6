/** Renders docs/RULES.md from the registry, so the document never drifts from the rules. */
import { rules } from "./registry";

const SUBJECTS: Record<string, string> = {
    share: "a share (owner side)",
    role: "a share role",
    disk: "a sharee's disk",
    copy: "a snapshot copy",
    access: "a sharee's image access",
    key: "a KMS key",
    exemption: "an exemption",
    imageSource: "a sharee's custom image",
};

export function renderRulesDoc(): string {
    const lines = [
        "# Rules",
        "",
        "Generated from the rule registry (`src/rules`) by `npm run docs`; a test fails when this file is stale.",
        "Each rule enforces constraints of the catalogue (C1…C32: what Alibaba Cloud allows; S1…S7: security rules).",
        "Errors stop a component at construction (`InputPropertiesError`); warnings are logged on the component.",
        "",
        "| rule | constraints | severity | judges | title |",
        "|---|---|---|---|---|",
        ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.constraints.join(", ")} | ${r.severity} | ${SUBJECTS[r.subject]} | ${r.title} |`),
        "",
    ];
    for (const r of rules) {
        lines.push(`## ${r.id}`, "", `**${r.title}.** Constraints: ${r.constraints.join(", ")}. Severity: ${r.severity}.`, "", r.description, "");
    }
    return lines.join("\n");
}
