/**
 * Secrets are never printed: a finding's text is rendered from values, some of which may be secret (a secret input of
 * a component, a secret property of a resource). Whoever knows the secret values redacts a finding before it leaves:
 * each secret's quoted and plain forms become `[secret]`; the finding's path still names the property.
 */
import type { Finding } from "./types";

/** What replaces a secret value in any text shown. */
export const SECRET_MARK = "[secret]";

/** Secrets shorter than this are not redacted (they would mangle the text around them, and are no secret worth the name). */
const SHORTEST = 3;

/** The text with every secret value (quoted as JSON, or plain) replaced by `[secret]`. */
export function redactText(text: string, secrets: Iterable<string>): string {
    let out = text;
    const sorted = [...new Set(secrets)].filter((s) => s.length >= SHORTEST).sort((a, b) => b.length - a.length);
    for (const s of sorted) {
        out = out.split(JSON.stringify(s)).join(SECRET_MARK).split(s).join(SECRET_MARK);
    }
    return out;
}

/** A finding whose message and fix show no secret value. */
export function redactFinding(finding: Finding, secrets: Iterable<string>): Finding {
    const list = [...secrets];
    if (list.length === 0) {
        return finding;
    }
    return { ...finding, message: redactText(finding.message, list), fix: redactText(finding.fix, list) };
}

/** The ids a message may quote out of a longer value: accounts, directory objects, snapshots, images, keys. */
const ID_TOKEN = /\b(?:[0-9]{16}|(?:rd|r|fd|s|m|rs)-[A-Za-z0-9]{3,}|key-[A-Za-z0-9]{4,})\b/g;

/** Every string (and number, as text) inside a value: what a secret value may show up as in a message. */
export function leafStrings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") {
        out.push(value);
        // Messages quote the ids inside a value too (the account of `<uid>@ecs.aliyuncs.com`, the folder of a path).
        out.push(...(value.match(ID_TOKEN) ?? []));
        // A secret JSON document (a policy) shows up in messages by its parts too.
        if (/^\s*[[{]/.test(value)) {
            try {
                leafStrings(JSON.parse(value), out);
            } catch {
                // Not JSON: the string itself is enough.
            }
        }
    } else if (typeof value === "number" || typeof value === "boolean") {
        out.push(String(value));
    } else if (Array.isArray(value)) {
        value.forEach((v) => leafStrings(v, out));
    } else if (typeof value === "object" && value !== null) {
        Object.values(value).forEach((v) => leafStrings(v, out));
    }
    return out;
}
