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

/**
 * A finding as it leaves the rules: its message and fix show no secret value, and the values it names (`values`, for a
 * component to place it in its arguments) are not carried.
 */
export function redactFinding(finding: Finding, secrets: Iterable<string>): Finding {
    const { values: _placed, ...shown } = finding;
    const list = [...secrets];
    if (list.length === 0) {
        return shown;
    }
    return { ...shown, message: redactText(shown.message, list), fix: redactText(shown.fix, list) };
}

/** The ids a message may quote out of a longer value: accounts, directory objects, snapshots, images, keys. */
const ID_TOKEN = /\b(?:[0-9]{16}|(?:rd|r|fd|s|m|rs)-[A-Za-z0-9]{3,}|key-[A-Za-z0-9]{4,})\b/g;

/** Every string (and number, as text) inside a value: what a secret value may show up as in a message. Walked without recursion (any depth). */
export function leafStrings(value: unknown, out: string[] = []): string[] {
    const stack: unknown[] = [value];
    while (stack.length > 0) {
        const v = stack.pop();
        if (typeof v === "string") {
            out.push(v);
            // Messages quote the ids inside a value too (the account of `<uid>@ecs.aliyuncs.com`, the folder of a path).
            out.push(...(v.match(ID_TOKEN) ?? []));
            // A secret JSON document (a policy) shows up in messages by its parts too.
            if (/^\s*[[{]/.test(v)) {
                try {
                    stack.push(JSON.parse(v));
                } catch {
                    // Not JSON: the string itself is enough.
                }
            }
        } else if (typeof v === "number" || typeof v === "boolean") {
            out.push(String(v));
        } else if (Array.isArray(v)) {
            for (let i = v.length - 1; i >= 0; i--) {
                stack.push(v[i]);
            }
        } else if (typeof v === "object" && v !== null) {
            stack.push(...Object.values(v).reverse());
        }
    }
    return out;
}
