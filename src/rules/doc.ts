/**
 * Renders docs/RULES.md (the rules and the enforcement matrix) and docs/CONSTRAINTS.md (the constraint catalogue and
 * the rules that enforce each constraint) from the registry and the catalogue, so the documents never drift.
 */
import { CONSTRAINTS, CONSTRAINT_IDS, ConstraintId } from "../alibaba/constraints";
import { POLICY_KINDS, PolicyName, judgedBy, reasonOf } from "./enforcement";
import { rules } from "./registry";
import { SubjectKind } from "./types";

const SUBJECTS: Record<SubjectKind, string> = {
    share: "a share (owner side)",
    role: "a share role",
    disk: "a sharee's disk",
    copy: "a snapshot copy",
    access: "a sharee's image access",
    key: "a KMS key",
    exemption: "an exemption",
    imageSource: "a sharee's custom image",
};

const cell = (text: string): string => text.replace(/\|/g, "\\|");
const constraintLinks = (ids: readonly ConstraintId[]): string => ids.map((c) => `[${c}](CONSTRAINTS.md#${c.toLowerCase()})`).join(", ");
const policiesOf = (kind: "resource" | "stack", names: readonly PolicyName[]): string[] => names.filter((n) => POLICY_KINDS[n] === kind);

export function renderRulesDoc(): string {
    const lines = [
        "# Rules",
        "",
        "Generated from the rule registry (`src/rules`) by `npm run docs`; a test fails when this file is stale.",
        "Each rule enforces constraints of the catalogue ([CONSTRAINTS.md](CONSTRAINTS.md): C1…C33, what Alibaba Cloud allows; S1…S8, security rules).",
        "Errors stop a component at construction (`InputPropertiesError`) or its resources at deploy time (`ResourceError`); warnings are logged on the component.",
        "",
        "| rule | constraints | severity | judges | title |",
        "|---|---|---|---|---|",
        ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.constraints.join(", ")} | ${r.severity} | ${SUBJECTS[r.subject]} | ${cell(r.title)} |`),
        "",
        "## Enforcement matrix",
        "",
        "Where each rule is judged: by the components at construction, by the policy pack's resource policies (one raw resource at a",
        "time) and stack policies (the whole stack), before deployment. The pack's policies take their rules from this matrix. A rule",
        "that an enforcement point does not judge says why.",
        "",
        "| rule | components | resource policies | stack policies |",
        "|---|---|---|---|",
    ];
    for (const r of rules) {
        const components = judgedBy(r.enforcement.components);
        const policies = judgedBy(r.enforcement.policies);
        const componentCell = components.length > 0 ? components.join(", ") : `— (${cell(reasonOf(r.enforcement.components) ?? "")})`;
        const none = policies.length === 0 ? `— (${cell(reasonOf(r.enforcement.policies) ?? "")})` : "—";
        const resourceCell = policiesOf("resource", policies).map((p) => `\`${p}\``).join(", ") || none;
        const stackCell = policiesOf("stack", policies).map((p) => `\`${p}\``).join(", ") || (policies.length === 0 ? "" : "—");
        lines.push(`| [\`${r.id}\`](#${r.id}) | ${componentCell} | ${resourceCell} | ${stackCell} |`);
    }
    lines.push("");
    for (const r of rules) {
        const components = judgedBy(r.enforcement.components);
        const policies = judgedBy(r.enforcement.policies);
        lines.push(
            `## ${r.id}`,
            "",
            `**${r.title}.** Constraints: ${constraintLinks(r.constraints)}. Severity: ${r.severity}.${r.kinds === undefined ? "" : ` Applies to shares of ${r.kinds.map((k) => `${k}s`).join(" and ")}; to others it is not applicable.`}`,
            "",
            r.description,
            "",
            `Judged by components: ${components.length > 0 ? components.join(", ") : `none (${reasonOf(r.enforcement.components)})`}. ` +
                `By policies: ${policies.length > 0 ? policies.map((p) => `\`${p}\``).join(", ") : `none (${reasonOf(r.enforcement.policies)})`}.`,
            "",
        );
    }
    return lines.join("\n");
}

/** The catalogue: each constraint's fact and sources, and the rules that enforce it (links into RULES.md). */
export function renderConstraintsDoc(): string {
    const lines = [
        "# Constraints",
        "",
        "What Alibaba Cloud enforces on sharing ECS snapshots and custom images (C1…C33), and the security rules this project adds",
        "(S1…S8), in the project's own words, each with its source. Every rule of the library and the policy pack names the",
        "constraints it enforces ([RULES.md](RULES.md)). Generated from `src/alibaba/constraints.ts` and the rule registry by",
        "`npm run docs`; a test fails when this file is stale. Facts marked *newer* are newer than the 2024 help pages; limits that",
        "move are settings (see the README).",
        "",
    ];
    let group = "";
    for (const id of CONSTRAINT_IDS) {
        const c = CONSTRAINTS[id];
        if (c.group !== group) {
            group = c.group;
            lines.push(`## ${group}`, "");
        }
        const enforcing = rules.filter((r) => r.constraints.includes(id)).map((r) => `[\`${r.id}\`](RULES.md#${r.id})`);
        const sources = c.sources.map((s) => `${s.url === undefined ? s.title : `[${s.title}](${s.url})`}${s.date === undefined ? "" : ` (${s.date})`}`);
        lines.push(
            `### ${id}`,
            "",
            `**${c.title}.** ${c.fact}${"newer" in c && c.newer ? " *(newer)*" : ""}`,
            "",
            `- Sources: ${sources.join("; ")}.`,
            `- Enforced by: ${enforcing.length > 0 ? enforcing.join(", ") : "no rule yet"}.`,
            "",
        );
    }
    return lines.join("\n");
}
