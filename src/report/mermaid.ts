/**
 * The sharing graph as a Mermaid flowchart: owners, keys (nodes of their own), shared snapshots and images, shares and
 * their roles, and recipients in subgraphs for the directory and its folders (and one for recipients outside the
 * tree). A group's accounts beyond {@link RECIPIENTS_DRAWN_PER_GROUP} are drawn as one node with their count, and a
 * share's edge to it says how many of them it reaches.
 * Node and subgraph ids are generated (`n1`, `n2`, …), never copied from a name; every label goes through Mermaid's
 * escaper. Optionally in a Markdown fence, to paste in a pull request or a README.
 */
import { RECIPIENTS_DRAWN_PER_GROUP, GraphView, RecipientView, groupsDepthFirst, listsBy } from "./model";
import { MermaidIds, mermaidLabel } from "./safe";
import { encryptionWords, groupLabel } from "./text";

/** How the chart is written. */
export interface MermaidOptions {
    /** In a Markdown ```` ```mermaid ```` fence. Defaults to false. */
    readonly fence?: boolean;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? "" : "s"}`;

/** A recipient's label: what it is, its value and name. */
function recipientLabel(r: RecipientView): string[] {
    const name = r.name === undefined ? [] : [r.name];
    switch (r.kind) {
        case "account":
            return [`account ${r.value}`, ...name];
        case "directory":
            return [`every member of ${r.value}`];
        case "folder":
        case "rootFolder":
            return [`every member of ${r.value.slice(r.value.lastIndexOf("/") + 1)}`, ...name];
        default:
            return [`recipient ${r.value}`];
    }
}

/** The flowchart. */
/** Mermaid's default limits (`maxEdges`, `maxTextSize`): a chart past either is not drawn by a viewer that keeps them. */
export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_TEXT = 50_000;

export function renderMermaid(graph: GraphView, options: MermaidOptions = {}): string {
    const ids = new MermaidIds();
    const lines = ["flowchart LR"];
    const node = (key: string, shape: readonly [string, string], label: readonly string[], indent = "  "): string => {
        if (!ids.has(key)) {
            lines.push(`${indent}${ids.of(key)}${shape[0]}${mermaidLabel(...label)}${shape[1]}`);
        }
        return ids.of(key);
    };
    for (const o of graph.owners) {
        node(`owner\n${o.id}`, ["[", "]"], [o.accountId === undefined ? "the stack's account" : `owner ${o.accountId}`]);
    }
    for (const k of graph.keys) {
        node(`key\n${k.id}`, ["{{", "}}"], [`key ${k.keyId ?? "(id unknown)"}`, k.region ?? "(region unknown)"]);
    }
    for (const i of graph.items) {
        const id = node(`item\n${i.id}`, ["([", "])"], [`${i.kind} ${i.resourceId ?? i.name ?? "(id unknown)"}`, `${i.region ?? "(region unknown)"}, ${encryptionWords(i.encryption, [], i.keyFrom)}`]);
        lines.push(`  ${ids.of(`owner\n${i.owner}`)} --> ${id}`);
        if (i.key !== undefined) {
            lines.push(`  ${id} -. encrypted with .-> ${ids.of(`key\n${i.key}`)}`);
        }
    }
    for (const r of graph.roles) {
        const id = node(`role\n${r.id}`, ["[[", "]]"], [`role ${r.name ?? "(name unknown)"}`]);
        for (const k of r.keys) {
            lines.push(`  ${id} -. granted .-> ${ids.of(`key\n${k}`)}`);
        }
    }
    for (const s of graph.shares) {
        const id = node(`share\n${s.id}`, ["[/", "/]"], [`share ${s.name}`, `${s.method === "resourceShare" ? "resource share" : "image permissions"}, ${s.region ?? "(region unknown)"}, ${encryptionWords(s.encryption, [], s.keyFrom)}`]);
        for (const i of s.items) {
            lines.push(`  ${ids.of(`item\n${i}`)} --> ${id}`);
        }
        for (const r of s.roles) {
            lines.push(`  ${id} -. uses .-> ${ids.of(`role\n${r}`)}`);
        }
    }
    // Recipients inside their groups, nested as the directory nests its folders; a group's accounts beyond the
    // threshold as one node (a whole folder or directory named by a share is always its own node).
    const members = listsBy(graph.recipients, (r) => r.group);
    /** The node each recipient is drawn as: its own, or its group's summary of accounts. */
    const drawnAs = new Map<string, string>();
    const open: number[] = [];
    for (const { group, depth } of groupsDepthFirst(graph)) {
        while (open.length > 0 && open[open.length - 1] >= depth) {
            lines.push(`${"  ".repeat(open.pop()! + 1)}end`);
        }
        const indent = "  ".repeat(depth + 1);
        lines.push(`${indent}subgraph ${ids.of(`group\n${group.id}`)} [${mermaidLabel(groupLabel(group))}]`);
        open.push(depth);
        const inside = members.get(group.id) ?? [];
        const accounts = inside.filter((r) => r.kind === "account");
        const collapsed = accounts.length > RECIPIENTS_DRAWN_PER_GROUP ? new Set(accounts) : new Set<RecipientView>();
        for (const r of inside) {
            if (!collapsed.has(r)) {
                drawnAs.set(r.id, node(`recipient\n${r.id}`, ["[", "]"], recipientLabel(r), `${indent}  `));
            }
        }
        if (collapsed.size > 0) {
            const summary = node(`summary\n${group.id}`, ["[/", "/]"], [plural(collapsed.size, "account")], `${indent}  `);
            collapsed.forEach((r) => drawnAs.set(r.id, summary));
        }
    }
    while (open.length > 0) {
        lines.push(`${"  ".repeat(open.pop()! + 1)}end`);
    }
    for (const s of graph.shares) {
        const counts = new Map<string, number>();
        s.recipients.forEach((r) => counts.set(drawnAs.get(r)!, (counts.get(drawnAs.get(r)!) ?? 0) + 1));
        for (const [target, n] of counts) {
            lines.push(`  ${ids.of(`share\n${s.id}`)} ${n === 1 ? "-->" : `-- ${n} -->`} ${target}`);
        }
    }
    let chart = lines.join("\n");
    // Past Mermaid's default limits a viewer (GitHub's too) draws nothing: one node says so instead.
    const edges = lines.filter((l) => l.includes("-->") || l.includes(".->")).length;
    if (edges > MERMAID_MAX_EDGES || chart.length > MERMAID_MAX_TEXT) {
        chart = [
            "flowchart LR",
            `  too_large[${mermaidLabel(`${plural(graph.shares.length, "share")} to ${plural(graph.recipients.length, "recipient")}: too many for one Mermaid chart (${edges} edges, ${chart.length} characters; Mermaid draws up to ${MERMAID_MAX_EDGES} and ${MERMAID_MAX_TEXT})`, "see the text map or the report page (--format html)")}]`,
        ].join("\n");
    }
    return options.fence === true ? `\`\`\`mermaid\n${chart}\n\`\`\`` : chart;
}
