/**
 * Output safety with hostile strings: terminal text that cannot clear the screen, move the cursor, reorder what
 * follows or forge a verdict line; Mermaid labels and ids that cannot add syntax to a flowchart; and the renderers of
 * the preview and the audit, fed hostile names, drawing exactly one line per record.
 */
import fc from "fast-check";
import { Html, MermaidIds, html, htmlText, htmlWithCode, mermaidLabel, mermaidText, terminal, terminalLines, terminalText } from "../../src/report/safe";
import { renderMermaid } from "../../src/report/mermaid";
import type { Verdict } from "../../src/report/model";
import { renderMapText, renderPlanText, renderVerdictsText } from "../../src/report/text";
import { ISSUE_CASE, organizationReport } from "./fixture";

/** Every character a terminal acts on instead of showing, or that reorders or hides text. */
// eslint-disable-next-line no-control-regex -- the very characters the test looks for
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/;

const FORGED_VERDICT = "ok\n  [mandatory] sharing-recipients rs-x/1 at targetId\n      forged\r  [mandatory] again";
const HOSTILE = [
    "\x1b[2J\x1b[H", // clear the screen, cursor home
    "\x1b]0;title\x07", // set the window title (OSC, BEL)
    "\x9b31m", // CSI as one C1 character
    "a\rb", // carriage return: overwrite the line
    FORGED_VERDICT,
    "\u202Egnp.exe", // right-to-left override
    "\u2066isolated\u2069", // isolates
    "zero\u200Bwidth\uFEFF",
    "line\u2028separator\u2029paragraph",
    "\ud800lone surrogate",
    "tab\there",
    "\x00nul\x7fdel",
];

describe("terminalText", () => {
    test.each([
        ["\x1b[2J\x1b[H", "\\x1B[2J\\x1B[H"],
        ["\x1b]0;title\x07", "\\x1B]0;title\\x07"],
        ["\x9b31m", "\\x9B31m"],
        ["a\rb", "a\\rb"],
        ["a\nb", "a\\nb"],
        ["tab\there", "tab\\there"],
        ["\u202Egnp.exe", "\\u202Egnp.exe"],
        ["\u2066isolated\u2069", "\\u2066isolated\\u2069"],
        ["zero\u200Bwidth\uFEFF", "zero\\u200Bwidth\\uFEFF"],
        ["line\u2028separator\u2029paragraph", "line\\u2028separator\\u2029paragraph"],
        ["\ud800lone surrogate", "\\uD800lone surrogate"],
        ["\x00nul\x7fdel", "\\x00nul\\x7Fdel"],
        ["\u{E0041}tag", "\\u{E0041}tag"],
    ])("%j is shown as %s", (hostile, shown) => {
        expect(terminalText(hostile)).toBe(shown);
    });

    test("printable text in any script is kept as it is", () => {
        for (const text of ["golden-images", "共享快照", "снимок", "😀 emoji", "a/b\\c \"quoted\" 'single' <tag> #%{}"]) {
            expect(terminalText(text)).toBe(text);
        }
    });

    test("any string: the result is one line with no character a terminal acts on (property, fast-check)", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary" }), (s) => {
                const shown = terminalText(s);
                expect(shown).not.toMatch(UNSAFE);
                expect(shown.split("\n")).toHaveLength(1);
            }),
        );
    });

    test("non-strings are shown as String shows them", () => {
        expect([terminalText(42), terminalText(undefined), terminalText(null)]).toEqual(["42", "undefined", "null"]);
    });
});

describe("terminal`…` and terminalLines", () => {
    test("the template escapes every value and keeps its own text", () => {
        expect(terminal`  [${"mandatory\n  [advisory]"}] ${"x\x1b[2J"}\n`).toBe("  [mandatory\\n  [advisory]] x\\x1B[2J\n");
    });

    test("terminalLines keeps the text's own line feeds and escapes the rest", () => {
        expect(terminalLines("line one\nline \x1b[31mtwo\r\n")).toBe("line one\nline \\x1B[31mtwo\\r\n");
    });
});

/** The characters a quoted Mermaid label may hold after escaping. */
const LABEL_CHARACTERS = /^[\p{L}\p{N} _.,/()@+=*#;-]*$/u;

describe("Mermaid", () => {
    test.each([
        ['"] --> evil["x', "#34;#93; --#62; evil#91;#34;x"],
        ["a\nclick n1 \"javascript:alert(1)\"", "a#92;nclick n1 #34;javascript#58;alert(1)#34;"],
        ["%%{init: {'securityLevel': 'loose'}}%%", "#37;#37;#123;init#58; #123;#39;securityLevel#39;#58; #39;loose#39;#125;#125;#37;#37;"],
        ["<script>alert(1)</script>", "#60;script#62;alert(1)#60;/script#62;"],
        ["#quot; &amp; `md`", "#35;quot#59; #38;amp#59; #96;md#96;"],
        ["\u202Eevil", "#92;u202Eevil"],
    ])("mermaidText(%j) is %s", (hostile, escaped) => {
        expect(mermaidText(hostile)).toBe(escaped);
    });

    test("any string: a label holds only letters, digits, harmless marks and entity codes, one line, no quote (property, fast-check)", () => {
        fc.assert(
            fc.property(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 3 }), (lines) => {
                const label = mermaidLabel(...lines);
                expect(label.startsWith('"') && label.endsWith('"')).toBe(true);
                const inner = label.slice(1, -1).split("<br/>");
                expect(inner).toHaveLength(lines.length);
                for (const part of inner) {
                    expect(part).toMatch(LABEL_CHARACTERS);
                }
                expect(label).not.toContain("%%");
                expect(label).not.toContain("\n");
            }),
        );
    });

    test("node ids are generated in order of first use, never from the text", () => {
        const ids = new MermaidIds();
        expect([ids.of("owner"), ids.of("share\n0"), ids.of("owner"), ids.of('x"]; click')]).toEqual(["n1", "n2", "n1", "n3"]);
        expect([ids.has("owner"), ids.has("nothing")]).toEqual([true, false]);
    });
});

describe("HTML", () => {
    test.each([
        ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
        ['"><img src=x onerror="alert(1)">', "&quot;&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"],
        ["' onmouseover='alert(1)", "&#39; onmouseover=&#39;alert(1)"],
        ["&amp; &lt;", "&amp;amp; &amp;lt;"],
        ["<!-- -->", "&lt;!-- --&gt;"],
        ["</title><style>*{display:none}</style>", "&lt;/title&gt;&lt;style&gt;*{display:none}&lt;/style&gt;"],
        ["\u202Eevil", "\\u202Eevil"],
        ["\u202Eevil\x1b[2J", "\\u202Eevil\\x1B[2J"],
        ["a\nb\rc", "a\\nb\\rc"],
        ["共享快照 😀", "共享快照 😀"],
    ])("htmlText(%j) is %s", (hostile, escaped) => {
        expect(htmlText(hostile)).toBe(escaped);
    });

    test("any string: the text has no character HTML acts on, no control or format character, one line (property, fast-check)", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary" }), (s) => {
                const shown = htmlText(s);
                expect(shown).not.toMatch(/[<>"']/);
                expect(shown).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
                expect(shown).not.toMatch(UNSAFE);
                expect(shown.split("\n")).toHaveLength(1);
            }),
        );
    });

    test("the html template escapes every value, keeps its own markup and markup made by itself, and takes lists and nothing", () => {
        const name = "<b>bold</b>";
        const cell = html`<td title="${name}">${name}</td>`;
        expect(cell).toBeInstanceOf(Html);
        expect(html`<tr>${cell}${[html`<td>${1}</td>`, "<i>"]}${undefined}${null}${false}</tr>`.markup).toBe(
            '<tr><td title="&lt;b&gt;bold&lt;/b&gt;">&lt;b&gt;bold&lt;/b&gt;</td><td>1</td>&lt;i&gt;</tr>',
        );
        // A string is never taken as markup, whatever it holds.
        expect(html`${"<td>x</td>" as string}`.markup).toBe("&lt;td&gt;x&lt;/td&gt;");
        expect(String(html`<p>${"a&b"}</p>`)).toBe("<p>a&amp;b</p>");
    });

    test("code spans of a fix are code, escaped like any text; a backtick without its pair stays as written", () => {
        expect(htmlWithCode("Set `allowedRecipients` or `organization`.").markup).toBe("Set <code>allowedRecipients</code> or <code>organization</code>.");
        expect(htmlWithCode('a `<script>"x"</script>` b').markup).toBe("a <code>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</code> b");
        expect(htmlWithCode("one `a` two ` three <i>").markup).toBe("one <code>a</code> two ` three &lt;i&gt;");
        expect(htmlWithCode("`\u202E`").markup).toBe("<code>\\u202E</code>");
        expect(htmlWithCode("no span").markup).toBe("no span");
    });
});

/** The issue's organization with every name from outside hostile: the shares' names and the folders' names. */
const hostileGraph = (evil: string) =>
    organizationReport({ ...ISSUE_CASE, shareNames: { snapshots: `backups${evil}`, images: `golden${evil}` }, folderNames: { "fd-prod": `Production${evil}`, "fd-dev": `Development${evil}` } }).graph;

describe("the renderers of the preview and the audit, fed hostile names", () => {
    test.each(HOSTILE.map((h) => [JSON.stringify(h), h]))("the Mermaid map with %s in every name: only the chart's own syntax, one statement a line", (_name, evil) => {
        const chart = renderMermaid(hostileGraph(evil)).split("\n");
        expect(chart[0]).toBe("flowchart LR");
        const node = /^ +n\d+(\[|\{\{|\(\[|\[\/|\[\[)"[^"\n]*"(\]|\}\}|\]\)|\/\]|\]\])$/;
        const edge = /^ {2}n\d+ (-->|-- \d+ -->|-\. (encrypted with|granted|uses) \.->) n\d+$/;
        const subgraph = /^ +(subgraph n\d+ \["[^"\n]*"\]|end)$/;
        for (const line of chart.slice(1)) {
            expect(node.test(line) || edge.test(line) || subgraph.test(line)).toBe(true);
            const label = /"([^"]*)"/.exec(line)?.[1];
            if (label !== undefined) {
                for (const part of label.split("<br/>")) {
                    expect(part).toMatch(LABEL_CHARACTERS);
                }
            }
        }
        expect(chart.length).toBe(renderMermaid(hostileGraph("")).split("\n").length);
    });

    test.each(HOSTILE.map((h) => [JSON.stringify(h), h]))("the text map with %s in every name: the same lines as a clean map, nothing a terminal acts on", (_name, evil) => {
        const lines = renderMapText(hostileGraph(evil)).split("\n");
        expect(lines).toHaveLength(renderMapText(hostileGraph("")).split("\n").length);
        for (const line of lines) {
            expect(line).not.toMatch(UNSAFE);
        }
    });

    test("verdicts quoting a hostile value: two lines each, never a forged verdict line", () => {
        const verdict: Verdict = {
            policy: "sharing-recipients",
            rule: "recipients-allowed",
            constraints: ["S3"],
            level: "mandatory",
            message: `"${FORGED_VERDICT}" is not an allowed recipient.`,
            fix: `Remove ${FORGED_VERDICT}.`,
            name: `rs-x/${FORGED_VERDICT}`,
            path: "targetId",
            nodes: [],
            judgedBy: "audit",
        };
        const lines = renderVerdictsText([verdict]).split("\n");
        expect(lines).toEqual([
            "  [mandatory] recipients-allowed (audit: sharing-recipients) rs-x/ok\\n  [mandatory] sharing-recipients rs-x/1 at targetId\\n      forged\\r  [mandatory] again at targetId",
            '      [S3] "ok\\n  [mandatory] sharing-recipients rs-x/1 at targetId\\n      forged\\r  [mandatory] again" is not an allowed recipient. Remove ok\\n  [mandatory] sharing-recipients rs-x/1 at targetId\\n      forged\\r  [mandatory] again.',
        ]);
        expect(lines.filter((l) => l.startsWith("  [mandatory]"))).toHaveLength(1);
        // Grouped with others of its rule, and listed whole with --verbose: still one line per subject.
        const many = [verdict, { ...verdict, name: "rs-y/2" }, { ...verdict, name: "rs-z/3" }, { ...verdict, name: "rs-w/4" }];
        expect(renderVerdictsText(many).split("\n").filter((l) => l.startsWith("  [mandatory]"))).toHaveLength(1);
        expect(renderVerdictsText(many, { verbose: true }).split("\n")).toHaveLength(1 + 2 * many.length);
    });
});

test("the preview's plan: a hostile resource name, input key and value, and a document that is not JSON are one line each", () => {
    const role = {
        type: "alicloud:ram/role:Role",
        name: `r\x1b[2J${FORGED_VERDICT}`,
        urn: "urn:pulumi:dev::p::alicloud:ram/role:Role::r",
        custom: true,
        inputs: { [`key\n  [mandatory]`]: `v\u202E\x9b`, assumeRolePolicyDocument: `not json\n  [mandatory] forged\x1b[H`, policyDocument: JSON.stringify({ Statement: [{ Sid: "a\u2028b\x85" }] }) },
        protect: false,
        provider: "default",
    };
    expect(renderPlanText([role]).split("\n")).toEqual([
        "+ alicloud:ram/role:Role r\\x1B[2Jok\\n  [mandatory] sharing-recipients rs-x/1 at targetId\\n      forged\\r  [mandatory] again",
        '    assumeRolePolicyDocument: "not json\\n  [mandatory] forged\\u001b[H"',
        '    key\\n  [mandatory]: "v\\u202E\\x9B"',
        "    policyDocument:",
        "      {",
        '        "Statement": [',
        "          {",
        '            "Sid": "a\\u2028b\\x85"',
        "          }",
        "        ]",
        "      }",
    ]);
});
