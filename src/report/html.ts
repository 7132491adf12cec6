/**
 * The report as one self-contained HTML page: no request of any kind (no font, image, script or style from elsewhere),
 * a strict Content-Security-Policy (nothing but the page's own style and script, allowed by their hashes), so it works
 * opened from a file or as a CI artifact. The sharing graph is laid out by ELK (elkjs, at render time, in Node) and
 * drawn as inline SVG: owners → snapshots and images (region, encryption, key) → shares → recipients in their
 * directory and folder boxes, share roles and keys beside them; verdicts marked on the nodes they concern; a folder's
 * accounts beyond a few drawn as one node. Around it: the verdicts grouped by rule (with fix and constraint ids), the
 * per-recipient table with a filter box, the shares with their recipients by folder, the drift and what was read
 * (audit), and the plan.
 * Every value from outside goes through `html` (src/report/safe.ts); landmarks, table headers, labels, SVG title/desc.
 */
import { createHash } from "crypto";
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { DriftMark, Grant, GraphView, RECIPIENTS_DRAWN_PER_GROUP, RecipientAccess, RecipientView, ReportModel, groupsDepthFirst, listsBy, recipientGroups } from "./model";
import { Html, html, htmlLines, htmlWithCode } from "./safe";
import { DRIFT_KIND, GroupedLine, REMOVALS_HEADING, driftLines, encryptionWords, groupLabel, groupVerdicts, incompleteNotice, itemId, nothingShared, removalLines, subjectOf, undeclaredHeading, undeclaredLines } from "./text";

/** The page's own style: the only style it has, allowed by its hash. */
const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #1a1a1a; background: #fff; }
header, main, footer, nav { padding: 0 24px; }
header { background: #1f3a5f; color: #fff; padding-top: 12px; padding-bottom: 12px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; }
nav ul { list-style: none; padding: 0; margin: 8px 0; display: flex; gap: 16px; flex-wrap: wrap; }
nav a, main a { color: #0b4f9c; }
h2 { border-bottom: 2px solid #d0d7e2; padding-bottom: 4px; margin-top: 32px; }
.summary { display: flex; gap: 24px; flex-wrap: wrap; margin: 8px 0 0; padding: 0; list-style: none; }
.summary strong { font-size: 18px; }
.mandatory { color: #a1001b; font-weight: 600; }
.advisory { color: #7a4a00; font-weight: 600; }
.incomplete { border: 2px solid #a1001b; padding: 8px 12px; background: #fff0f2; }
.rule { border-left: 4px solid #a1001b; padding: 4px 12px; margin: 12px 0; background: #fbf7f8; }
.rule.advisory-group { border-left-color: #b36b00; background: #fdf9f2; }
.rule h3 { margin: 4px 0; font-size: 16px; }
.fix { font-weight: 600; }
.ids { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
code, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
figure { margin: 0; overflow: auto; border: 1px solid #d0d7e2; }
figure svg { display: block; max-width: 100%; height: auto; }
figure.full-size svg { max-width: none; }
.graph-tools { margin: 8px 0; }
button { font: inherit; padding: 2px 10px; border: 1px solid #66707f; border-radius: 4px; background: #eef2f7; color: #1a1a1a; cursor: pointer; }
pre.error { white-space: pre-wrap; margin: 6px 0 0; }
figcaption { padding: 6px 10px; font-size: 13px; border-top: 1px solid #d0d7e2; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e1e5ec; padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #eef2f7; position: sticky; top: 0; }
label { font-weight: 600; margin-right: 8px; }
input[type=search] { font: inherit; padding: 4px 8px; width: 28em; max-width: 100%; border: 1px solid #66707f; border-radius: 4px; }
.d1 { padding-left: 24px; } .d2 { padding-left: 44px; } .d3 { padding-left: 64px; } .d4 { padding-left: 84px; } .d5 { padding-left: 104px; }
.tree, .tree ul { list-style: none; padding-left: 20px; }
.drift-outside { color: #7a4a00; }
svg text { font: 12px "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: #1a1a1a; }
svg .n rect { stroke: #4a5566; stroke-width: 1; rx: 6; }
svg .owner rect { fill: #dfe9f7; } svg .item rect { fill: #e3f3e3; } svg .key rect { fill: #fff1d6; }
svg .share rect { fill: #ece4fa; } svg .role rect { fill: #f6ebdf; } svg .recipient rect { fill: #f3f4f6; } svg .summary rect { fill: #e2e5ea; }
svg .n.flagged rect { stroke: #a1001b; stroke-width: 3; }
svg .n.drift rect { stroke: #b35c00; stroke-width: 3; stroke-dasharray: 6 3; }
svg .n text .warn { fill: #a1001b; font-weight: 700; }
svg .n text .driftline { fill: #8a4700; font-weight: 700; }
svg .g rect { fill: #fafbfd; stroke: #8b95a5; stroke-dasharray: 4 3; rx: 8; }
svg .g text { font-weight: 700; fill: #2b3440; }
svg .e { fill: none; stroke: #5b6573; stroke-width: 1.2; }
svg .e.dep { stroke-dasharray: 5 4; stroke: #8b6a3e; }
svg .lbl { font-size: 11px; fill: #2b3440; }
svg marker path { fill: #5b6573; }
`;

/** The page's own script: the graph fitted to the width or at full size, and the per-recipient table filtered as the filter box changes. No data in it. */
const SCRIPT = `(function () {
  var figure = document.getElementById("graph-figure");
  var size = document.getElementById("graph-size");
  if (figure && size) {
    size.addEventListener("click", function () {
      var full = figure.classList.toggle("full-size");
      size.setAttribute("aria-pressed", full ? "true" : "false");
      size.textContent = full ? "Fit the graph to the width" : "Show the graph at full size";
    });
  }
  var input = document.getElementById("filter");
  var shown = document.getElementById("access-shown");
  if (!input || !shown) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("#access-table tbody tr"));
  function apply() {
    var query = input.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (row) {
      var hit = query === "" || row.getAttribute("data-search").indexOf(query) >= 0;
      row.hidden = !hit;
      if (hit) { n++; }
    });
    shown.textContent = n + " of " + rows.length + " rows shown";
  }
  input.addEventListener("input", apply);
  apply();
})();`;

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The policy: nothing loads, nothing runs, but the page's own style and script. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;

/** Characters of a node's line drawn at most; the whole text is in the node's title. */
const LINE_CHARS = 44;
const CHAR_WIDTH = 7.4;
const LINE_HEIGHT = 16;
const PAD_X = 10;
const PAD_Y = 8;

/** A line cut to LINE_CHARS characters (code points: a character outside the BMP is never split). */
const clip = (line: string): string => {
    const chars = [...line];
    return chars.length > LINE_CHARS ? `${chars.slice(0, LINE_CHARS - 1).join("")}…` : line;
};
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A node to lay out and draw. */
interface DrawnNode {
    readonly id: string;
    readonly kind: "owner" | "item" | "key" | "share" | "role" | "recipient" | "summary";
    readonly lines: readonly string[];
    /** Lines of the verdicts and drift on it, drawn in their colours. */
    readonly marks: readonly { readonly text: string; readonly kind: "warn" | "driftline" }[];
    /** Everything about it, for its title. */
    readonly title: string;
    readonly flagged: boolean;
    readonly drift: boolean;
}

interface DrawnEdge {
    readonly id: string;
    readonly from: string;
    readonly to: string;
    readonly dependency: boolean;
    readonly label?: string;
}

/** Graph element ids for the page: generated (`n1`, `g1`, `e1`), never copied from a name. */
class PageIds {
    private readonly ids = new Map<string, string>();
    has(prefix: string, key: string): boolean {
        return this.ids.has(`${prefix}\n${key}`);
    }
    of(prefix: string, key: string): string {
        const k = `${prefix}\n${key}`;
        let id = this.ids.get(k);
        if (id === undefined) {
            id = `${prefix}${this.ids.size + 1}`;
            this.ids.set(k, id);
        }
        return id;
    }
}

/** A drift entry on a node; `undeclared` for a share no stack of an organization's audit declares. */
type NodeDrift = DriftMark & { readonly undeclared?: true };

/**
 * The drift line of a node: the kinds of what is in the account and not in the stack (`drift: target not in the
 * stack`), of what no stack declares (`drift: share no stack declares`), else that it differs.
 */
function driftMark(drift: readonly NodeDrift[]): string {
    const kinds = (entries: readonly NodeDrift[]) => [...new Set(entries.map((d) => DRIFT_KIND[d.kind]))].join(", ");
    const outside = drift.filter((d) => d.side === "outsideStack" && d.undeclared !== true);
    const undeclared = drift.filter((d) => d.undeclared === true);
    const parts = [outside.length === 0 ? undefined : `${kinds(outside)} not in the stack`, undeclared.length === 0 ? undefined : `${kinds(undeclared)} no stack declares`].filter((p) => p !== undefined);
    return parts.length === 0 ? "drift: differs" : `drift: ${parts.join("; ")}`;
}

/** The shares no stack declares, as drift entries on the nodes they name. */
const undeclaredDrift = (model: ReportModel): NodeDrift[] =>
    (model.undeclared?.shares ?? []).map((u) => ({ side: "outsideStack", kind: u.kind === "share" ? "share" : "imagePermission", key: `${u.accountId}: ${u.key}`, nodes: u.nodes, undeclared: true }));

/** What the graph draws, as nodes and edges with generated ids, before layout. */
function drawing(model: ReportModel, ids: PageIds) {
    const g = model.graph;
    const keyIds = new Map(g.keys.map((k) => [k.id, k.keyId ?? "(id unknown)"]));
    const verdictsByNode = new Map([...listsBy(model.verdicts.flatMap((v) => v.nodes.map((node) => ({ node, v }))), (x) => x.node)].map(([n, xs]) => [n, xs.map((x) => x.v)]));
    // A principal a role trusts beyond the stack's is drawn as its own node (the recipient it is, or one of its own), not the role.
    const trustDrift = (model.drift?.entries ?? []).filter((d) => d.side === "outsideStack" && d.trust !== undefined);
    const recipientByValue = new Map(g.recipients.map((r) => [r.value, r.id]));
    const trustedNode = (principal: string): string => recipientByValue.get(principal) ?? `trusted:${principal}`;
    const driftByNode = new Map(
        [
            ...listsBy(
                [...(model.drift?.entries ?? []), ...undeclaredDrift(model)].flatMap((d: NodeDrift) => [...d.nodes, ...(d.trust !== undefined && !recipientByValue.has(d.trust.principal) ? [trustedNode(d.trust.principal)] : [])].map((node) => ({ node, d }))),
                (x) => x.node,
            ),
        ].map(([n, xs]) => [n, xs.map((x) => x.d)]),
    );
    const nodes: DrawnNode[] = [];
    const edges: DrawnEdge[] = [];
    const nodeOf = (modelId: string, kind: DrawnNode["kind"], lines: string[]): string => {
        const id = ids.of("n", modelId);
        const verdicts = verdictsByNode.get(modelId) ?? [];
        const drift = driftByNode.get(modelId) ?? [];
        const rulesOn = [...new Set(verdicts.map((v) => v.rule ?? v.policy ?? "verdict"))];
        const marks = [
            ...(verdicts.length === 0 ? [] : [{ text: `⚠ ${plural(verdicts.length, "verdict")}: ${rulesOn.join(", ")}`, kind: "warn" as const }]),
            ...(drift.length === 0 ? [] : [{ text: driftMark(drift), kind: "driftline" as const }]),
        ];
        const title = [
            lines.join(", "),
            ...verdicts.map((v) => `[${v.level}] ${v.rule ?? v.policy ?? ""} (${v.constraints.join(", ")}): ${v.message}${v.fix === undefined ? "" : ` Fix: ${v.fix}`}`),
            ...drift.map((d: NodeDrift) => `drift (${d.undeclared === true ? "no stack declares it" : d.side === "outsideStack" ? "in the account, not in the stack" : "in the stack, not in the account"}): ${DRIFT_KIND[d.kind]} ${d.key}`),
        ].join("\n");
        nodes.push({ id, kind, lines, marks, title, flagged: verdicts.length > 0, drift: drift.length > 0 });
        return id;
    };
    const edgeIds = new Set<string>();
    const edge = (from: string, to: string, dependency = false, label?: string) => {
        const id = ids.of("e", `${from}>${to}`);
        if (!edgeIds.has(id)) {
            edgeIds.add(id);
            edges.push({ id, from, to, dependency, ...(label === undefined ? {} : { label }) });
        }
    };
    for (const o of g.owners) {
        nodeOf(o.id, "owner", ["owner", o.accountId === undefined ? "the stack's account" : `account ${o.accountId}`]);
    }
    for (const k of g.keys) {
        nodeOf(k.id, "key", ["KMS key", k.keyId ?? "(id unknown)", k.region ?? "(region unknown)"]);
    }
    for (const i of g.items) {
        const id = nodeOf(i.id, "item", [
            `${i.kind} ${itemId(i)}`,
            ...(i.name === undefined || i.resourceId === undefined || i.name === i.resourceId ? [] : [i.name]),
            `${i.region ?? "(region unknown)"}, ${encryptionWords(i.encryption, [], i.keyFrom)}`,
            ...(i.key === undefined ? [] : [`key ${keyIds.get(i.key)}`]),
        ]);
        edge(ids.of("n", i.owner), id);
        // Keys point at what they encrypt and the roles granted them, so they sit beside the owner, left of both.
        if (i.key !== undefined) {
            edge(ids.of("n", i.key), id, true);
        }
    }
    for (const r of g.roles) {
        const id = nodeOf(r.id, "role", ["share role", r.name ?? "(name unknown)", r.keys.length === 0 ? "granted no key" : `granted ${r.keys.map((k) => keyIds.get(k)).join(", ")}`]);
        r.keys.forEach((k) => edge(ids.of("n", k), id, true));
    }
    const groups = groupsDepthFirst(g);
    const members = listsBy(g.recipients, (r) => r.group);
    /** The drawn node of each recipient (its own, or its group's summary), and what each group holds. */
    const drawnAs = new Map<string, string>();
    const inGroup = new Map<string, string[]>();
    for (const { group } of groups) {
        const inside = members.get(group.id) ?? [];
        const accounts = inside.filter((r) => r.kind === "account");
        const collapsed = new Set(accounts.length > RECIPIENTS_DRAWN_PER_GROUP ? accounts : []);
        const held: string[] = [];
        for (const r of inside.filter((r) => !collapsed.has(r))) {
            const label = r.kind === "account" ? [`account ${r.value}`] : r.kind === "unknown" ? [`recipient ${r.value}`] : [`every member of ${r.value.slice(r.value.lastIndexOf("/") + 1)}`];
            const id = nodeOf(r.id, "recipient", [...label, ...(r.name === undefined ? [] : [r.name])]);
            drawnAs.set(r.id, id);
            held.push(id);
        }
        if (collapsed.size > 0) {
            const flagged = [...collapsed].map((r) => r.id);
            const id = nodeOf(`summary:${group.id}`, "summary", [plural(collapsed.size, "account"), "listed in the table below"]);
            // The summary carries the verdicts and drift of the accounts it stands for.
            const node = nodes[nodes.length - 1];
            const verdicts = flagged.flatMap((r) => verdictsByNode.get(r) ?? []);
            if (verdicts.length > 0) {
                nodes[nodes.length - 1] = { ...node, flagged: true, marks: [{ text: `⚠ ${plural(verdicts.length, "verdict")}`, kind: "warn" }], title: `${node.title}\n${verdicts.map((v) => `[${v.level}] ${v.rule ?? v.policy ?? ""}: ${v.message}`).join("\n")}` };
            }
            collapsed.forEach((r) => drawnAs.set(r.id, id));
            held.push(id);
        }
        inGroup.set(group.id, held);
    }
    for (const d of trustDrift) {
        const principal = d.trust!.principal;
        const drawn = recipientByValue.has(principal) ? drawnAs.get(recipientByValue.get(principal)!) : undefined;
        const target = drawn ?? (ids.has("n", trustedNode(principal)) ? ids.of("n", trustedNode(principal)) : nodeOf(trustedNode(principal), "recipient", ["trusted principal", principal]));
        d.trust!.roles.forEach((r) => edge(ids.of("n", r), target, true, "trusts"));
    }
    for (const s of g.shares) {
        const id = nodeOf(s.id, "share", [
            `share ${s.name}`,
            `${s.method === "resourceShare" ? "resource share" : "image permissions"}, ${s.region ?? "(region unknown)"}`,
            encryptionWords(s.encryption, s.keys.map((k) => keyIds.get(k)!), s.keyFrom),
        ]);
        s.items.forEach((i) => edge(ids.of("n", i), id));
        s.roles.forEach((r) => edge(ids.of("n", r), id, true));
        const counts = new Map<string, number>();
        s.recipients.forEach((r) => counts.set(drawnAs.get(r)!, (counts.get(drawnAs.get(r)!) ?? 0) + 1));
        counts.forEach((n, target) => edge(id, target, false, n > 1 ? String(n) : undefined));
    }
    return { nodes, edges, groups, inGroup };
}

const sizeOf = (n: DrawnNode) => {
    const lines = [...n.lines, ...n.marks.map((m) => m.text)].map(clip);
    return { width: Math.ceil(Math.max(...lines.map((l) => l.length)) * CHAR_WIDTH + 2 * PAD_X), height: lines.length * LINE_HEIGHT + 2 * PAD_Y };
};

/** Lays the drawing out with ELK (layered, left to right, groups as compound nodes) and draws it as SVG. */
/**
 * The most boxes (nodes and directory or folder boxes) the graph is drawn with. Past it, a layout is slow (ELK's time
 * grows faster than the boxes: 2,000 boxes took 10 s) and the picture no longer legible; the page says so, and its
 * tables (shares by folder, what each recipient can use, with the filter box) say everything the graph would.
 */
export const DRAWN_BOXES_LIMIT = 400;

/** The graph as SVG, or the number of boxes it would need when that is past DRAWN_BOXES_LIMIT. */
async function graphSvg(model: ReportModel, ids: PageIds): Promise<Html | number> {
    const { nodes, edges, groups, inGroup } = drawing(model, ids);
    if (nodes.length + groups.length > DRAWN_BOXES_LIMIT) {
        return nodes.length + groups.length;
    }
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const inAnyGroup = new Set([...inGroup.values()].flat());
    const elkNode = (n: DrawnNode): ElkNode => ({ id: n.id, ...sizeOf(n) });
    const groupNodes = new Map<string, ElkNode>();
    const top: ElkNode[] = nodes.filter((n) => !inAnyGroup.has(n.id)).map(elkNode);
    for (const { group } of groups) {
        const label = groupLabel(group);
        const node: ElkNode = {
            id: ids.of("g", group.id),
            labels: [{ text: label, width: clip(label).length * CHAR_WIDTH, height: LINE_HEIGHT }],
            layoutOptions: { "elk.padding": "[top=30,left=12,bottom=12,right=12]", "elk.nodeLabels.placement": "INSIDE V_TOP H_LEFT" },
            children: (inGroup.get(group.id) ?? []).map((id) => elkNode(byId.get(id)!)),
        };
        groupNodes.set(group.id, node);
        const parent = group.parent === undefined ? undefined : groupNodes.get(group.parent);
        if (parent === undefined) {
            top.push(node);
        } else {
            parent.children!.push(node);
        }
    }
    const elkEdges: ElkExtendedEdge[] = edges.map((e) => ({
        id: e.id,
        sources: [e.from],
        targets: [e.to],
        ...(e.label === undefined ? {} : { labels: [{ text: e.label, width: e.label.length * 7 + 4, height: 14 }] }),
    }));
    const root: ElkNode = {
        id: "root",
        layoutOptions: {
            "elk.algorithm": "layered",
            "elk.direction": "RIGHT",
            "elk.hierarchyHandling": "INCLUDE_CHILDREN",
            "elk.spacing.nodeNode": "16",
            "elk.layered.spacing.nodeNodeBetweenLayers": "48",
            "elk.edgeLabels.placement": "CENTER",
            "elk.padding": "[top=16,left=16,bottom=16,right=16]",
        },
        children: top,
        edges: elkEdges,
    };
    const laid: ElkNode = await new ELK().layout(root);
    // Absolute positions: ELK gives each child's position within its parent, and each edge's within its container.
    const origin = new Map<string, { x: number; y: number }>([["root", { x: 0, y: 0 }]]);
    const shapes: Html[] = [];
    const boxes: Html[] = [];
    const groupById = new Map(groups.map(({ group }) => [ids.of("g", group.id), group]));
    const walk = (n: ElkNode, at: { x: number; y: number }) => {
        for (const c of n.children ?? []) {
            const x = at.x + (c.x ?? 0);
            const y = at.y + (c.y ?? 0);
            origin.set(c.id, { x, y });
            const group = groupById.get(c.id);
            if (group !== undefined) {
                const label = c.labels?.[0];
                boxes.push(html`<g class="g"><rect x="${r(x)}" y="${r(y)}" width="${r(c.width ?? 0)}" height="${r(c.height ?? 0)}"/><text x="${r(x + (label?.x ?? 0) + 10)}" y="${r(y + (label?.y ?? 0) + 18)}">${clip(groupLabel(group))}</text></g>`);
                walk(c, { x, y });
            } else {
                shapes.push(nodeSvg(byId.get(c.id)!, x, y, c.width ?? 0, c.height ?? 0));
            }
        }
    };
    walk(laid, { x: 0, y: 0 });
    const lines: Html[] = [];
    const edgeById = new Map(edges.map((e) => [e.id, e]));
    for (const e of (laid.edges ?? []) as ElkExtendedEdge[]) {
        const base = origin.get(e.container ?? "root") ?? { x: 0, y: 0 };
        const drawn = edgeById.get(e.id)!;
        for (const s of e.sections ?? []) {
            const points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${r(base.x + p.x)},${r(base.y + p.y)}`);
            lines.push(html`<path class="${drawn.dependency ? "e dep" : "e"}" d="M${points.join(" L")}" marker-end="url(#arrow)"/>`);
        }
        for (const l of e.labels ?? []) {
            lines.push(html`<text class="lbl" x="${r(base.x + (l.x ?? 0))}" y="${r(base.y + (l.y ?? 0) + 11)}">${l.text ?? ""}</text>`);
        }
    }
    const width = r(laid.width ?? 0);
    const height = r(laid.height ?? 0);
    const g = model.graph;
    const description =
        `${plural(g.owners.length, "owner account")}, ${plural(g.items.length, "shared snapshot or image", "shared snapshots and images")}, ${plural(g.shares.length, "share")}, ` +
        `${plural(g.roles.length, "share role")}, ${plural(g.keys.length, "KMS key")} and ${plural(g.recipients.length, "recipient")} in ${plural(g.groups.length, "group")}; ` +
        `${plural(nodes.filter((n) => n.flagged).length, "node")} marked with verdicts. The same facts are in the tables below.`;
    const svg = html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="graph-title graph-desc"><title id="graph-title">Sharing graph</title><desc id="graph-desc">${description}</desc><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>${boxes}${lines}${shapes}</svg>`;
    return svg;
}

const r = (n: number): string => (Math.round(n * 10) / 10).toString();

function nodeSvg(n: DrawnNode, x: number, y: number, width: number, height: number): Html {
    const lines = n.lines.map((l) => html`<tspan x="${r(x + PAD_X)}" dy="${LINE_HEIGHT}">${clip(l)}</tspan>`);
    const marks = n.marks.map((m) => html`<tspan class="${m.kind}" x="${r(x + PAD_X)}" dy="${LINE_HEIGHT}">${clip(m.text)}</tspan>`);
    const classes = ["n", n.kind, n.flagged ? "flagged" : undefined, n.drift ? "drift" : undefined].filter((c) => c !== undefined).join(" ");
    return html`<g class="${classes}" id="${n.id}"><title>${n.title}</title><rect x="${r(x)}" y="${r(y)}" width="${r(width)}" height="${r(height)}"/><text x="${r(x + PAD_X)}" y="${r(y + PAD_Y - 4)}">${lines}${marks}</text></g>`;
}

/** The verdicts, grouped by rule: each group's rule, level, count, constraint ids, who judged, the fix once when shared. */
/** What the verdicts do not say by themselves: the run's failure, and the policies the config set to another level (never silent). */
function verdictsPreamble(model: ReportModel): Html {
    const failure =
        model.failure === undefined
            ? undefined
            : html`<div class="incomplete" role="alert"><p>${model.failure.kind === "program" ? "The program failed" : "The run failed"}; this report shows only what was reached before it:</p><pre class="mono error">${htmlLines(model.failure.message)}</pre></div>`;
    const levels =
        model.levelChanges.length === 0
            ? undefined
            : html`<p>Policy levels set by the policy config: ${model.levelChanges.map((c, i) => html`${i === 0 ? undefined : ", "}<span class="mono">${c.policy}</span> ${c.level} (not ${c.defaultLevel})`)}.</p>`;
    return html`${failure}${levels}`;
}

/** What no verdict means: no violation, or (a run that failed) no violation in what it reached, or nothing judged at all. */
function noVerdict(model: ReportModel): string {
    if (model.failure === undefined) {
        return "No violation.";
    }
    const judged = model.plan.filter((p) => p.custom !== false && !p.type.startsWith("pulumi:providers:")).length;
    return judged === 0
        ? `Nothing was judged: the ${model.failure.kind === "program" ? "program" : "run"} failed before anything was registered.`
        : `No violation in the ${plural(judged, "resource")} registered before the ${model.failure.kind === "program" ? "program" : "run"} failed; nothing after it was judged.`;
}

function verdictsSection(model: ReportModel, ids: PageIds): Html {
    if (model.verdicts.length === 0) {
        return html`${verdictsPreamble(model)}<p>${noVerdict(model)}</p>`;
    }
    const graphNames = nodeNames(model.graph);
    return html`${verdictsPreamble(model)}${groupVerdicts(model.verdicts).map((group, gi) => {
        const first = group[0];
        const fixes = new Set(group.map((v) => v.fix));
        const sharedFix = fixes.size === 1 ? first.fix : undefined;
        const judged = first.judgedBy === "component" ? "a component" : first.judgedBy === "audit" ? `the audit (${first.policy ?? "policy"})` : `the policy pack (${first.policy ?? "policy"})`;
        const items = group.map((v, i) => {
            const concerns = v.nodes.map((n) => html` <a href="#${ids.of("n", n)}">${graphNames.get(n) ?? "node"}</a>`);
            return html`<li id="v${gi + 1}-${i + 1}"><span class="mono">${subjectOf(v) || "(no subject)"}</span>: ${htmlWithCode(v.message)}${sharedFix === undefined && v.fix !== undefined ? html` <span class="fix">Fix:</span> ${htmlWithCode(v.fix)}` : undefined}${concerns.length === 0 ? undefined : html` <span>(on${concerns})</span>`}</li>`;
        });
        const list = group.length > 12 ? html`<details><summary>${plural(group.length, "verdict")}: show every subject</summary><ul>${items}</ul></details>` : html`<ul>${items}</ul>`;
        return html`<section class="${first.level === "mandatory" ? "rule" : "rule advisory-group"}" aria-labelledby="rule-${gi + 1}"><h3 id="rule-${gi + 1}"><span class="${first.level}">${first.level}</span> <span class="mono">${first.rule ?? first.policy ?? "verdict"}</span>: ${plural(group.length, "verdict")}</h3><p>Constraints <span class="ids">${first.constraints.join(", ") || "none"}</span>; judged by ${judged}.${sharedFix === undefined ? undefined : html` <span class="fix">Fix:</span> <span class="fix-text">${htmlWithCode(sharedFix)}</span>`}</p>${list}</section>`;
    })}`;
}

/** A short name of each node of the graph view, for links. */
function nodeNames(g: GraphView): Map<string, string> {
    return new Map<string, string>([
        ...g.items.map((i): [string, string] => [i.id, `${i.kind} ${itemId(i)}`]),
        ...g.shares.map((s): [string, string] => [s.id, `share ${s.name}`]),
        ...g.roles.map((r): [string, string] => [r.id, `role ${r.name ?? ""}`]),
        ...g.keys.map((k): [string, string] => [k.id, `key ${k.keyId ?? ""}`]),
        ...g.recipients.map((r): [string, string] => [r.id, `recipient ${r.value}`]),
    ]);
}

/**
 * Since when a row's recipient holds what it can use through its share, as the audit read it
 * (`2026-01-05 08:00:00 UTC`): one time when every item's is the same, else one line per item, as the items are listed;
 * a preview reads no times, and an answer may give none ("not reported").
 */
function sinceCell(model: ReportModel, grants: readonly Grant[]): Html {
    const shown = (t: string | undefined) => (t === undefined ? html`not reported` : html`<time datetime="${t}">${t.replace("T", " ").replace("Z", " UTC")}</time>`);
    if (grants.every((g) => g.since === undefined)) {
        return html`<td>${model.tool === "preview" ? "not known to a preview" : "not reported"}</td>`;
    }
    if (grants.every((g) => g.since === grants[0].since)) {
        return html`<td class="mono">${shown(grants[0].since)}</td>`;
    }
    return html`<td class="mono">${grants.map((g, i) => html`${i === 0 ? undefined : html`<br/>`}${shown(g.since)}`)}</td>`;
}

/** One row per recipient, share and the target that reaches it: each item with its protection, the share, where, why. */
function accessRows(model: ReportModel): Html[] {
    const shares = new Map(model.graph.shares.map((s) => [s.id, s]));
    const items = new Map(model.graph.items.map((i) => [i.id, i]));
    const groupNames = new Map(model.graph.groups.filter((g) => g.name !== undefined).map((g) => [g.path, g.name!]));
    const rows: Html[] = [];
    const describe = (a: RecipientAccess): string => (a.kind === "account" ? `account ${a.value}` : a.kind === "directory" ? `directory ${a.value}` : a.kind === "unknown" ? a.value : `folder ${a.value}`);
    for (const a of model.access) {
        const placeName = a.place === undefined ? undefined : groupNames.get(a.place);
        const search = [a.value, a.name ?? "", a.place ?? "", placeName ?? ""].join(" ").toLowerCase();
        const who = html`<th scope="row"><span class="mono">${describe(a)}</span>${a.name === undefined ? undefined : html`<br/>${a.name}`}</th>`;
        const place = html`<td><span class="mono">${a.place ?? "not in the tree"}</span>${placeName === undefined ? undefined : html`<br/>${placeName}`}</td>`;
        if (a.grants.length === 0) {
            rows.push(html`<tr data-search="${search}">${who}${place}<td colspan="5">nothing it can use</td></tr>`);
            continue;
        }
        const byShare = listsBy(a.grants, (g) => `${g.share}\n${g.through}`);
        for (const grants of byShare.values()) {
            const share = shares.get(grants[0].share);
            const what = grants.map(
                (g, i) => html`${i === 0 ? undefined : html`<br/>`}${g.kind} ${g.resourceId ?? itemId(items.get(g.item) ?? {})}: ${g.encryption === "key" && g.keyFrom === undefined ? `customer key ${g.keyId ?? "(id unknown)"}` : encryptionWords(g.encryption, g.keyId === undefined ? [] : [g.keyId], g.keyFrom)}`,
            );
            const through = grants[0].through === a.value ? "named by the share" : `through ${grants[0].through}`;
            const regions = [...new Set(grants.map((g) => g.region ?? "(unknown)"))].join(", ");
            rows.push(
                html`<tr data-search="${search}">${who}${place}<td class="mono">${what}</td><td>${share === undefined ? "" : `${share.name} (${share.method === "resourceShare" ? "resource share" : "image permission"})`}</td><td class="mono">${regions}</td><td class="mono">${through}</td>${sinceCell(model, grants)}</tr>`,
            );
        }
    }
    return rows;
}

/** A share's recipients as a nested list of the groups that hold them (directory, folders), a group's accounts beyond the threshold folded. */
function shareRecipients(g: GraphView, recipientIds: readonly string[]): Html {
    const { groups: shownGroups, members } = recipientGroups(g, recipientIds);
    const accountText = (a: RecipientView): string => `${a.value}${a.name === undefined ? "" : ` (${a.name})`}`;
    const out: string[] = [];
    let depth = -1;
    for (const { group, depth: d } of shownGroups) {
        while (depth >= d) {
            out.push("</ul></li>");
            depth--;
        }
        const inside = members.get(group.id) ?? [];
        const accounts = inside.filter((r) => r.kind === "account");
        const whole = inside.filter((r) => r.kind !== "account");
        const list = html`${whole.map((r) => html`<li>every member of <span class="mono">${r.value}</span></li>`)}${
            accounts.length > RECIPIENTS_DRAWN_PER_GROUP
                ? html`<li><details><summary>${plural(accounts.length, "account")}</summary><span class="mono">${accounts.map(accountText).join(", ")}</span></details></li>`
                : accounts.map((a) => html`<li class="mono">${accountText(a)}</li>`)
        }`;
        out.push(html`<li>${groupLabel(group)}<ul>${list}`.markup);
        depth = d;
    }
    while (depth >= 0) {
        out.push("</ul></li>");
        depth--;
    }
    return new Html(`<ul class="tree">${out.join("")}</ul>`);
}

/** The shares as a table: the graph's facts for those who do not read the picture, each share's recipients by folder. */
function sharesTable(model: ReportModel): Html {
    const g = model.graph;
    const items = new Map(g.items.map((i) => [i.id, i]));
    const roles = new Map(g.roles.map((r) => [r.id, r]));
    const keyIds = new Map(g.keys.map((k) => [k.id, k.keyId ?? "(id unknown)"]));
    const rows = g.shares.map((s) => {
        const shared = s.items.map((id, i) => {
            const item = items.get(id)!;
            return html`${i === 0 ? undefined : html`<br/>`}${item.kind} ${itemId(item)}: ${encryptionWords(item.encryption, item.key === undefined ? [] : [keyIds.get(item.key)!], item.keyFrom)}`;
        });
        const role = s.roles.map((r) => roles.get(r)!.name ?? "(name unknown)").join(", ");
        return html`<tr><th scope="row"><span class="mono">${s.name}</span><br/>${s.method === "resourceShare" ? "resource share" : "image permissions"}, ${s.region ?? "(region unknown)"}</th><td class="mono">${shared}</td><td class="mono">${role === "" ? "none" : role}</td><td>${plural(s.recipients.length, "recipient")}${shareRecipients(g, s.recipients)}</td></tr>`;
    });
    if (g.shares.length === 0) {
        return html`<p>${nothingShared(model)}</p>`;
    }
    return html`<table id="shares-table"><caption>The shares: what each shares, with which key and share role, and with whom, by directory and folder</caption><thead><tr><th scope="col">Share</th><th scope="col">Shares, with which key</th><th scope="col">Share role</th><th scope="col">Recipients</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function driftSection(model: ReportModel): Html | undefined {
    const d = model.drift;
    if (d === undefined) {
        return undefined;
    }
    // Grouped as the text groups them (one line per kind and parent beyond a few, every entry folded under it).
    const list = (side: DriftMark["side"]) => {
        const entries = d.entries.filter((e) => e.side === side);
        return entries.length === 0 ? html`<p>None.</p>` : groupedList(driftLines(entries), side === "outsideStack" ? "drift-outside" : undefined);
    };
    return html`<section id="drift" aria-labelledby="drift-h"><h2 id="drift-h">Drift from the stack (${d.source === undefined ? "" : `${d.source}, `}${d.format})</h2><h3>In the account, not in the stack (marked on the graph)</h3>${list("outsideStack")}<h3>In the stack, not in the account</h3>${list("missingFromAccount")}${
        d.notCompared.length === 0 ? undefined : html`<h3>Not compared</h3><ul>${d.notCompared.map((n) => html`<li>${n}</li>`)}</ul>`
    }</section>`;
}

/** Grouped lines as a list: a line that stands for several entries keeps them all, folded under it. */
function groupedList(lines: readonly GroupedLine[], className?: string): Html {
    return html`<ul>${lines.map(
        (l) => html`<li class="${className}"><span class="mono">${l.line}</span>${l.all === undefined ? undefined : html`<details><summary>all ${l.all.length}</summary><ul>${l.all.map((a) => html`<li class="mono">${a}</li>`)}</ul></details>`}</li>`,
    )}</ul>`;
}

/** An organization's audit given intended files: the shares no stack declares, as the text lists them (marked on the graph). */
function undeclaredSection(model: ReportModel): Html | undefined {
    const u = model.undeclared;
    if (u === undefined) {
        return undefined;
    }
    return html`<section id="undeclared" aria-labelledby="undeclared-h"><h2 id="undeclared-h">${undeclaredHeading(u, u.sources)}</h2>${u.shares.length === 0 ? html`<p>None: every share read is declared by a stack given.</p>` : html`<p>Marked on the graph as drift.</p>${groupedList(undeclaredLines(u.shares), "drift-outside")}`}</section>`;
}

/** An organization's audit asked what removing shares would take (C15): each share asked, and what each recipient loses. */
function removalsSection(model: ReportModel): Html | undefined {
    const removals = model.removals ?? [];
    if (removals.length === 0) {
        return undefined;
    }
    return html`<section id="removals" aria-labelledby="removals-h"><h2 id="removals-h">${REMOVALS_HEADING}</h2><ul>${removals.map((r) => {
        const { head, lines } = removalLines(r);
        return html`<li><span class="mono">${head}</span>${lines.length === 0 ? undefined : html`<ul>${lines.map((l) => html`<li class="mono">${l}</li>`)}</ul>`}</li>`;
    })}</ul></section>`;
}

function readsSection(model: ReportModel): Html | undefined {
    const reads = model.reads;
    if (reads === undefined) {
        return undefined;
    }
    const list = (title: string, lines: readonly string[]) => (lines.length === 0 ? undefined : html`<h3>${title}</h3><ul>${lines.map((l) => html`<li>${l}</li>`)}</ul>`);
    return html`<section id="reads" aria-labelledby="reads-h"><h2 id="reads-h">What was read</h2>${
        reads.incomplete.length === 0 ? undefined : html`<p class="incomplete" role="alert">Incomplete: ${incompleteNotice(reads)}</p>`
    }<p>Accounts <span class="mono">${reads.accounts.join(", ")}</span>; regions <span class="mono">${reads.regions.join(", ")}</span>${reads.requests === undefined ? undefined : `; ${plural(reads.requests, "request")}, read only`}.</p><ul>${reads.counts.map(
        (c) => html`<li>${c.count} ${c.what}</li>`,
    )}</ul>${list("Shares received", reads.received)}${list("Not in effect", reads.notInEffect)}${list("Notes", reads.notes)}${list("Not read", reads.incomplete)}</section>`;
}

function planSection(model: ReportModel): Html {
    const depth = new Map<string, number>();
    for (const p of model.plan) {
        depth.set(p.urn, p.parent === undefined ? 0 : (depth.get(p.parent) ?? -1) + 1);
    }
    const rows = model.plan.map((p) => {
        const d = Math.min(depth.get(p.urn) ?? 0, 5);
        let inputs = "";
        try {
            inputs = p.inputs === undefined ? "" : JSON.stringify(p.inputs);
        } catch {
            inputs = "(inputs not shown: not JSON)";
        }
        return html`<tr><th scope="row" class="${d === 0 ? undefined : `d${d}`}"><span class="mono">${p.name}</span></th><td class="mono">${p.type}</td><td class="mono">${p.provider ?? ""}</td><td>${p.protect === true ? "yes" : "no"}</td><td><code>${inputs}</code></td></tr>`;
    });
    const title = model.tool === "audit" ? "Resources read" : "Plan";
    return html`<section id="plan" aria-labelledby="plan-h"><h2 id="plan-h">${title}</h2><table><caption>${plural(model.plan.length, "resource")}, children under their parents</caption><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Provider</th><th scope="col">Protected</th><th scope="col">Inputs</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/**
 * The report as one HTML page (asynchronous: ELK lays the graph out). Self-contained and strict: see the module's
 * comment.
 */
export async function renderHtml(model: ReportModel): Promise<string> {
    const ids = new PageIds();
    const shared = model.graph.shares.length > 0;
    const svg = shared ? await graphSvg(model, ids) : undefined;
    const mandatory = model.verdicts.filter((v) => v.level === "mandatory").length;
    const advisory = model.verdicts.length - mandatory;
    const rows = accessRows(model);
    const reachable = model.access.filter((a) => a.grants.length > 0).length;
    const heading = model.tool === "audit" ? "alicloud-sharing audit report" : "alicloud-sharing preview report";
    const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${heading}: ${model.title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<header>
<h1>${heading}</h1>
<p>${model.title}${model.accounts.length === 0 ? undefined : `; accounts ${model.accounts.join(", ")}`}${model.regions.length === 0 ? undefined : `; regions ${model.regions.join(", ")}`}</p>
<ul class="summary"><li><strong>${mandatory}</strong> mandatory</li><li><strong>${advisory}</strong> advisory</li><li><strong>${model.graph.shares.length}</strong> ${model.graph.shares.length === 1 ? "share" : "shares"}</li><li><strong>${model.graph.recipients.length}</strong> named recipients</li><li><strong>${reachable}</strong> accounts, folders and directories can use something</li></ul>
</header>
<nav aria-label="Sections"><ul><li><a href="#verdicts">Verdicts</a></li><li><a href="#graph">Sharing graph</a></li><li><a href="#shares">Shares</a></li><li><a href="#access">Who can use what</a></li>${model.drift === undefined ? undefined : html`<li><a href="#drift">Drift</a></li>`}${model.undeclared === undefined ? undefined : html`<li><a href="#undeclared">Shares no stack declares</a></li>`}${(model.removals ?? []).length === 0 ? undefined : html`<li><a href="#removals">If removed</a></li>`}${model.reads === undefined ? undefined : html`<li><a href="#reads">What was read</a></li>`}<li><a href="#plan">${model.tool === "audit" ? "Resources read" : "Plan"}</a></li></ul></nav>
<main>
<section id="verdicts" aria-labelledby="verdicts-h"><h2 id="verdicts-h">Verdicts</h2>${verdictsSection(model, ids)}</section>
<section id="graph" aria-labelledby="graph-h"><h2 id="graph-h">Sharing graph</h2>${svg === undefined ? html`<p>${nothingShared(model)}</p>` : typeof svg === "number" ? html`<p role="note">The graph would take ${svg} boxes, more than a picture can show legibly (${DRAWN_BOXES_LIMIT}): it is not drawn. The shares with their recipients by folder and what each account, folder and directory can use are listed below; type in the filter box to find one.</p>` : html`<p class="graph-tools"><button id="graph-size" type="button" aria-pressed="false" aria-controls="graph-figure">Show the graph at full size</button> Fitted to the width; each node's title holds all it says.</p><figure id="graph-figure" tabindex="0" aria-labelledby="graph-caption">${svg}<figcaption id="graph-caption">Owners and their KMS keys, then the snapshots and images they share (region, encryption, key), the shares, and the recipients in their directory and folder boxes; dashed: a key encrypts an item or is granted to a share role, a share uses its role; a folder's accounts beyond ${RECIPIENTS_DRAWN_PER_GROUP} are one node. Nodes outlined in red carry verdicts; dashed orange, drift.</figcaption></figure>`}</section>
<section id="shares" aria-labelledby="shares-h"><h2 id="shares-h">Shares</h2>${sharesTable(model)}</section>
<section id="access" aria-labelledby="access-h"><h2 id="access-h">Who can use what</h2>
${
    rows.length === 0
        ? html`<p>${shared ? "No account, folder or directory can use anything shared." : nothingShared(model)}</p>`
        : html`<p><label for="filter">Filter by recipient</label><input id="filter" type="search" autocomplete="off" placeholder="account id, folder id or path, name"> <span id="access-shown" aria-live="polite">${rows.length} of ${rows.length} rows shown</span></p>
<table id="access-table"><caption>Each account, folder and directory that can use something: what, through which share, with which key, where, since when (the audit reads when each target and permission was made); an account in a shared folder or directory inherits what it is shared with</caption><thead><tr><th scope="col">Recipient</th><th scope="col">Place in the directory</th><th scope="col">Can use, with which key</th><th scope="col">Through share</th><th scope="col">Region</th><th scope="col">Because</th><th scope="col">Shared since</th></tr></thead><tbody>${rows}</tbody></table>`
}</section>
${driftSection(model)}${undeclaredSection(model)}${removalsSection(model)}${readsSection(model)}${planSection(model)}
</main>
<footer><p>Made by alicloud-sharing from what the ${model.tool === "audit" ? "audit read" : "preview captured"}; self-contained, no request leaves this page.</p></footer>
<script>${new Html(SCRIPT)}</script>
</body>
</html>
`;
    return page.markup;
}
