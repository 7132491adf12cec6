/**
 * docs/SETTINGS.md, generated from the settings' one declaration (their JSON schemas, with type, default and
 * description) and the policies that read each: what the components take as stack config and the pack as policy
 * config, so the table is never written twice.
 */
import { SHARED_SETTINGS, JsonSchema } from "../rules/settings";
import { PACK_SETTINGS, SettingName } from "./settings";
import { policies } from "./policies";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A schema's type in words: `integer`, `string[]`, `object`. */
function typeOf(schema: JsonSchema): string {
    if (schema.type === "array") {
        const items = (schema.items ?? {}) as JsonSchema;
        return `${typeOf(items)}[]`;
    }
    if (Array.isArray(schema.enum)) {
        return schema.enum.map((v) => JSON.stringify(v)).join(" \\| ");
    }
    return typeof schema.type === "string" ? schema.type : "any";
}

const defaultOf = (schema: JsonSchema): string => (schema.default === undefined ? "none" : `\`${JSON.stringify(schema.default)}\``);

/** The policies whose config schema declares a setting. */
function readers(name: SettingName): string[] {
    return policies
        .filter((p) => "definition" in p && (p as { definition: { settings: readonly string[] } }).definition.settings.includes(name))
        .map((p) => `\`${p.name}\``);
}

/** The whole document. */
export function renderSettingsDoc(): string {
    const shared = Object.entries(SHARED_SETTINGS).map(([name, spec]) => {
        const schema = spec.schema as JsonSchema;
        const by = readers(name as SettingName);
        return `| \`${name}\` | ${typeOf(schema)} | ${defaultOf(schema)} | ${spec.constraints.join(", ")} | ${by.join(", ") || "—"} | ${cell(String(schema.description ?? ""))} |`;
    });
    const own = Object.entries(PACK_SETTINGS).map(([name, schema]) => {
        const by = readers(name as SettingName);
        return `| \`${name}\` | ${typeOf(schema as JsonSchema)} | ${defaultOf(schema as JsonSchema)} | ${by.join(", ") || "every policy"} | ${cell(String((schema as JsonSchema).description ?? ""))} |`;
    });
    return [
        "# Settings",
        "",
        "Generated from the settings' declarations by `npm run docs`; a test fails when this file is stale. Each setting is",
        "declared once, with its JSON schema; the components read the shared ones from stack config (`alicloud-sharing:<name>`)",
        "and the pack from each policy's config, both checked against the same schema.",
        "",
        "## Shared by the components and the pack",
        "",
        "| setting | type | default | constraints | policies | meaning |",
        "|---|---|---|---|---|---|",
        ...shared,
        "",
        "## The pack's own",
        "",
        "| setting | type | default | policies | meaning |",
        "|---|---|---|---|---|",
        ...own,
        "",
    ].join("\n");
}
