/**
 * Output safety: every string that came from outside (an API answer, a program's names, config) made safe for the
 * medium it is shown in, before it is shown. One module for every renderer of the preview and the audit.
 *
 * - Terminal text: every control character (C0 with ESC, CR and LF, DEL, C1), every format character (the bidi
 *   overrides and isolates U+202A-U+202E and U+2066-U+2069, zero-width characters, the BOM), the line and paragraph
 *   separators and lone surrogates are written as visible escapes (`\x1B`, `\n`, `\u202E`), so that one record stays
 *   one line, nothing can clear the screen, move the cursor, reorder what follows or forge a `[mandatory] …` line.
 * - Mermaid: a label is quoted and every character that could mean something to Mermaid's lexer or to the HTML it
 *   renders (quotes, `#`, `%`, `{`, `}`, `<`, `>`, `:`, `;`, `&`, backticks, newlines…) is written as Mermaid's entity
 *   code (`#35;`); node ids are generated (`n1`, `n2`, …), never copied from a name.
 * - HTML: controls and format characters made visible as in the terminal (a bidi override cannot reorder the page),
 *   then `&`, `<`, `>`, `"` and `'` written as character references, so a value is text in an element or a quoted
 *   attribute and nothing else; the `html` tagged template escapes every value it is given unless it is already `Html`.
 * - JSON (and SARIF): `JSON.stringify` escapes what JSON must; nothing more is needed.
 */

/** Characters a terminal (or a renderer) would act on instead of showing: controls, format characters, separators, lone surrogates. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, "0");

/** The visible escape of one unsafe character: `\n`, `\r`, `\t`, `\xHH` up to U+00FF, `\uHHHH`, `\u{HHHHH}` beyond. */
function escapeCharacter(c: string): string {
    const named = NAMED[c];
    if (named !== undefined) {
        return named;
    }
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\u{${hex(code, 5)}}`;
}

/** Any value as text: strings as they are, other values as `String` shows them. */
const textOf = (value: unknown): string => (typeof value === "string" ? value : String(value));

/**
 * A value as one line of terminal text: every control, format and separator character (ESC, CR, LF, C1 controls, bidi
 * overrides and isolates, zero-width characters…) written as a visible escape. Printable text, in any script, is kept.
 */
export function terminalText(value: unknown): string {
    return textOf(value).replace(UNSAFE, escapeCharacter);
}

/**
 * JSON text (or a YAML double-quoted scalar made by `JSON.stringify`) with every character {@link terminalText} escapes,
 * other than LF (a line of the document), written as `\uXXXX` (each UTF-16 unit): the text is safe on a terminal and
 * parses back to the same value. Raw line breaks inside strings are already escaped by `JSON.stringify`.
 */
export function quotedEscapes(json: string): string {
    return json.replace(UNSAFE, (c) => (c === "\n" ? c : [...Array(c.length).keys()].map((i) => `\\u${hex(c.charCodeAt(i), 4)}`).join("")));
}

/**
 * Text of several lines for the terminal, where the line breaks are the text's own (a program's error with its stack):
 * each line made safe as {@link terminalText}; only LF separates lines (a CR is escaped).
 */
export function terminalLines(value: unknown): string {
    return textOf(value)
        .split("\n")
        .map((line) => terminalText(line))
        .join("\n");
}

/**
 * A tagged template for one line of terminal text: the literal parts are the program's own, every interpolated value
 * is made safe with {@link terminalText}. `terminal\`  [${level}] ${policy}\``.
 */
export function terminal(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
    let out = strings[0];
    values.forEach((v, i) => {
        out += terminalText(v) + strings[i + 1];
    });
    return out;
}

/** What a Mermaid label may hold as it is: letters and digits of any script, and a few harmless marks. */
const MERMAID_PLAIN = /^[\p{L}\p{N} _.,/()@+=*-]$/u;

/**
 * Text for inside a quoted Mermaid label: controls and format characters first made visible (as in the terminal, so
 * that a bidi override cannot reorder the drawn label), then every character that is not a letter, a digit or a
 * harmless mark written as Mermaid's entity code `#<code point>;` (`"` is `#34;`, `#` is `#35;`, `%` is `#37;`, `<`
 * is `#60;`, a backslash `#92;`), so that nothing can end the label, start a directive (`%%{init}%%`), a comment, a
 * `click` statement, HTML or a new line.
 */
export function mermaidText(value: unknown): string {
    let out = "";
    for (const c of terminalText(value)) {
        out += MERMAID_PLAIN.test(c) ? c : `#${c.codePointAt(0)};`;
    }
    return out;
}

/** A quoted Mermaid label of one or more lines (joined by `<br/>`, the only markup written), each line escaped with {@link mermaidText}. */
export function mermaidLabel(...lines: readonly unknown[]): string {
    return `"${lines.map(mermaidText).join("<br/>")}"`;
}

/** Node ids for a Mermaid flowchart: `n1`, `n2`, … in the order things are first named, never derived from their text. */
export class MermaidIds {
    private readonly ids = new Map<string, string>();

    /** The id of a thing (by a key of the caller's: its kind and natural id), made on first use. */
    of(key: string): string {
        let id = this.ids.get(key);
        if (id === undefined) {
            id = `n${this.ids.size + 1}`;
            this.ids.set(key, id);
        }
        return id;
    }

    /** Whether the thing has an id already. */
    has(key: string): boolean {
        return this.ids.has(key);
    }
}

const HTML_REFERENCES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * A value as HTML text, for an element's content or a quoted attribute value: controls and format characters first
 * made visible as {@link terminalText} does, then every character HTML gives a meaning to (`&`, `<`, `>`, `"`, `'`)
 * written as a character reference. Nothing can open a tag, end an attribute, start a comment or reorder the text.
 */
export function htmlText(value: unknown): string {
    return terminalText(value).replace(/[&<>"']/g, (c) => HTML_REFERENCES[c]);
}

/**
 * Text of several lines for a `<pre>` element, where the line breaks are the text's own (a program's error with its
 * stack): each line made safe as {@link htmlText}; only LF separates lines (a CR is escaped).
 */
export function htmlLines(value: unknown): Html {
    return new Html(textOf(value).split("\n").map(htmlText).join("\n"));
}

/** Markup that is safe as it is: made by {@link html} from the program's own literals and escaped values. */
export class Html {
    constructor(readonly markup: string) {}

    toString(): string {
        return this.markup;
    }
}

/** What an `html` template takes: markup, a list of markup, a value to escape, or nothing (`undefined`, `null`, `false`). */
export type HtmlValue = Html | readonly HtmlValue[] | string | number | boolean | undefined | null;

function htmlOf(value: HtmlValue): string {
    if (value instanceof Html) {
        return value.markup;
    }
    if (Array.isArray(value)) {
        return value.map((v: HtmlValue) => htmlOf(v)).join("");
    }
    if (value === undefined || value === null || value === false) {
        return "";
    }
    return htmlText(value);
}

/**
 * A tagged template for HTML: the literal parts are the program's own markup, every interpolated value is escaped with
 * {@link htmlText} unless it is `Html` (made by this template) or a list of those; `undefined`, `null` and `false`
 * are nothing, for optional parts. `html\`<td>${name}</td>\``.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
    let out = strings[0];
    values.forEach((v, i) => {
        out += htmlOf(v) + strings[i + 1];
    });
    return new Html(out);
}

/**
 * Text whose Markdown code spans are shown as code (a rule's fix names a setting as `allowedRecipients`): what is
 * between each pair of backticks in a `<code>` element, everything escaped as {@link htmlText} (a span's content too);
 * a backtick left without its pair stays as written.
 */
export function htmlWithCode(value: unknown): Html {
    const parts = textOf(value).split("`");
    // An even number of parts is an odd number of backticks: the last one has no pair, and stays text with what follows.
    if (parts.length % 2 === 0) {
        const tail = parts.pop()!;
        parts[parts.length - 1] += `\`${tail}`;
    }
    return html`${parts.map((p, i) => (i % 2 === 1 ? html`<code>${p}</code>` : p))}`;
}
