/**
 * The report as terminal text that scales, for the preview and the audit alike: the plan (a preview's) or what was read
 * (an audit's), verdicts of one rule grouped (one line naming the rule, the count and the first few subjects; verbose
 * lists every one), the sharing map with each share's recipients grouped by directory and folder (a folder of 100
 * accounts is one line), what was received and the drift (an audit's). Every value from outside is escaped for the
 * terminal.
 */
import { LISTED_VALUES, showValues } from "../rules/types";
import { terminal } from "./safe";
import { DriftMark, DriftView, GraphView, GroupView, ItemView, KeyFrom, PlanResource, ReadsView, RecipientView, RemovalView, ReportModel, ShareView, UndeclaredView, Verdict, listsBy, recipientGroups } from "./model";

/** What the text shows: verbose lists every subject of a grouped verdict and every recipient of a folder. */
export interface TextOptions {
    /** Defaults to false. */
    readonly verbose?: boolean;
}

/** Subjects named on a grouped verdict's line before the count of the rest. */
export const SUBJECTS_SHOWN = 3;

/** What a verdict is about: a component as `SharedSnapshot "dr"`, a resource by its name; then `at <path>`. */
export function subjectOf(v: Pick<Verdict, "judgedBy" | "type" | "name" | "urn" | "path" | "policy">): string {
    const component = v.judgedBy === "component" || (v.judgedBy === undefined && v.policy === "component");
    const what = component && v.type !== undefined && v.name !== undefined ? `${v.type.split(":").pop()} "${v.name}"` : (v.name ?? v.urn?.split("::").pop());
    return [what, v.path === undefined ? undefined : `at ${v.path}`].filter((p) => p !== undefined).join(" ");
}

/** Who judged a verdict: `component`, or the policy (`audit: <policy>` in an audit). */
function judgedByOf(v: Verdict): string {
    if (v.judgedBy === "component" || (v.judgedBy === undefined && v.policy === "component")) {
        return "component";
    }
    return v.judgedBy === "audit" ? `audit${v.policy === undefined ? "" : `: ${v.policy}`}` : (v.policy ?? "pack");
}

/** A verdict's message with its constraint ids and fix: `[S3] "…" is not an allowed recipient. Share only with …`. */
export function verdictMessage(v: Verdict): string {
    return [v.constraints.length === 0 ? undefined : `[${v.constraints.join(", ")}]`, v.message, v.fix].filter((p) => p !== undefined && p !== "").join(" ");
}

/** The verdicts grouped by level and rule (a policy's own message by policy), mandatory first, then in order of appearance. */
export function groupVerdicts(verdicts: readonly Verdict[]): Verdict[][] {
    const groups = new Map<string, Verdict[]>();
    for (const v of [...verdicts].sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1))) {
        const key = `${v.level}\n${v.rule ?? `policy:${v.policy ?? ""}`}\n${judgedByOf(v)}`;
        const group = groups.get(key);
        if (group === undefined) {
            groups.set(key, [v]);
        } else {
            group.push(v);
        }
    }
    return [...groups.values()];
}

/**
 * The verdicts as text. One verdict: `[level] rule (where judged) subject` and its message. Several of one rule: one
 * line with the count and the first few subjects (each once, with its count when it has several), then the first's
 * message; verbose lists every subject and message.
 */
export function renderVerdictsText(verdicts: readonly Verdict[], options: TextOptions = {}): string {
    if (verdicts.length === 0) {
        return "  no violation";
    }
    const lines: string[] = [];
    for (const group of groupVerdicts(verdicts)) {
        const first = group[0];
        const head = terminal`  [${first.level}] ${first.rule ?? first.policy ?? "(no rule)"} (${judgedByOf(first)})`;
        if (group.length === 1) {
            const about = subjectOf(first);
            lines.push(`${head}${about === "" ? "" : terminal` ${about}`}`, terminal`      ${verdictMessage(first)}`);
        } else if (options.verbose === true) {
            lines.push(`${head}: ${group.length} verdicts`);
            for (const v of group) {
                lines.push(terminal`    ${subjectOf(v) || "(no subject)"}`, terminal`      ${verdictMessage(v)}`);
            }
        } else {
            // A subject named once, with how many verdicts it has (a component's argument may hold many offending values).
            const counts = new Map<string, number>();
            group.forEach((v) => counts.set(subjectOf(v) || "(no subject)", (counts.get(subjectOf(v) || "(no subject)") ?? 0) + 1));
            const subjects = [...counts].slice(0, SUBJECTS_SHOWN).map(([subject, n]) => (n === 1 ? subject : `${subject} (${n} times)`));
            const more = counts.size > SUBJECTS_SHOWN ? ` and ${counts.size - SUBJECTS_SHOWN} more` : "";
            lines.push(`${head}: ${group.length} verdicts, on ${terminal`${subjects.join("; ")}`}${more}`, terminal`      first: ${verdictMessage(first)}`);
        }
    }
    return lines.join("\n");
}

/** How an item or share is protected, in words; `from` says where a key nothing of the item's own names is known from. */
export function encryptionWords(encryption: ItemView["encryption"], keyIds: readonly string[] = [], from?: KeyFrom): string {
    switch (encryption) {
        case "key":
            if (from === "share") {
                return "customer key (its share says so; which key is not known)";
            }
            return `${keyIds.length === 0 ? "customer key" : `customer key ${keyIds.join(", ")}`}${from === "shareRole" ? " (the only key the share role is granted in the region)" : ""}`;
        case "serviceKey":
            return "service key";
        case "none":
            return "not encrypted";
        case "unknown":
            return "encryption unknown until deployed";
        case "undeclared":
            return "encryption not declared";
    }
}

/** How a group reads: `directory rd-…`, `root folder r-…`, `folder fd-… (Production)`, or the recipients outside the tree. */
export function groupLabel(g: GroupView): string {
    const name = g.name === undefined ? "" : ` (${g.name})`;
    switch (g.kind) {
        case "directory":
            return `directory ${g.value}${name}`;
        case "rootFolder":
            return `root folder ${g.value}${name}`;
        case "folder":
            return `folder ${g.value}${name}`;
        case "outside":
            return "not in the organization file's tree";
    }
}

/** How a recipient reads in a list: an account id (and its name). */
const recipientText = (r: RecipientView): string => `${r.value}${r.name === undefined ? "" : ` (${r.name})`}`;

/**
 * What a group holds of a share's recipients, on its line: `every member` when the share names the group itself, then
 * the accounts (and anything else the share names there), at most `LISTED_VALUES` (rules/types) unless verbose.
 */
function groupContents(group: GroupView, members: readonly RecipientView[], verbose: boolean): string {
    const whole = members.filter((r) => r.kind !== "account" && r.kind !== "unknown" && group.kind !== "outside");
    const accounts = members.filter((r) => r.kind === "account").map(recipientText);
    const others = members.filter((r) => !whole.includes(r) && r.kind !== "account").map((r) => `${r.value} (${r.kind === "unknown" ? "not a recipient id" : `${r.kind === "rootFolder" ? "root folder" : r.kind}, not in the tree`})`);
    const list = (values: string[]) => (verbose ? values.join(", ") : showValues(values));
    const parts = [
        whole.length === 0 ? undefined : "every member",
        accounts.length === 0 ? undefined : `${accounts.length} account${accounts.length === 1 ? "" : "s"}: ${list(accounts)}`,
        others.length === 0 ? undefined : list(others),
    ].filter((p) => p !== undefined);
    return parts.join("; ");
}

/** A share's recipients as a tree of the groups that hold them, from the directory down; each group one line. */
function recipientTree(graph: GraphView, share: ShareView, indent: string, verbose: boolean): string[] {
    // The groups to show: those holding a recipient, and their parents.
    const { groups, members: byGroup } = recipientGroups(graph, share.recipients);
    const lines: string[] = [];
    for (const { group: g, depth } of groups) {
        const members = byGroup.get(g.id) ?? [];
        const contents = members.length === 0 ? "" : `: ${groupContents(g, members, verbose)}`;
        lines.push(terminal`${indent}${"  ".repeat(depth)}${groupLabel(g)}${contents}`);
    }
    return lines;
}

/** What names an item: its id, or while its id is unknown (a copy made by the stack) the resource that makes it, `(made by <name>)`. */
export const itemId = (i: Pick<ItemView, "resourceId" | "name">): string => i.resourceId ?? `(made by ${i.name ?? "an unknown resource"})`;

/** An item, for a list: `s-… (name)`, or the name of what makes it while its id is unknown. */
const itemText = (i: ItemView): string => (i.resourceId === undefined ? itemId(i) : `${i.resourceId}${i.name === undefined || i.name === i.resourceId ? "" : ` (${i.name})`}`);

/**
 * The sharing map as text, owner by owner: the keys, the shared snapshots and images (region, encryption, key), the
 * share roles (the keys they are granted) and the shares (method, region, encryption, role, items), each share's
 * recipients grouped by directory and folder.
 */
export function renderMapText(graph: GraphView, options: TextOptions = {}): string {
    const verbose = options.verbose === true;
    const keyIds = new Map(graph.keys.map((k) => [k.id, k.keyId ?? "(key id unknown)"]));
    const items = new Map(graph.items.map((i) => [i.id, i]));
    const roles = new Map(graph.roles.map((r) => [r.id, r]));
    const lines: string[] = [];
    if (graph.owners.length === 0) {
        return "  nothing shared";
    }
    for (const owner of graph.owners) {
        lines.push(terminal`  owner ${owner.accountId === undefined ? "the stack's account" : `account ${owner.accountId}`}`);
        for (const k of graph.keys.filter((k) => k.owner === owner.id)) {
            lines.push(terminal`    key ${k.keyId ?? "(id unknown)"} in ${k.region ?? "(region unknown)"}${k.deletionProtection === undefined ? "" : `, deletion protection ${k.deletionProtection}`}`);
        }
        for (const i of graph.items.filter((i) => i.owner === owner.id)) {
            lines.push(terminal`    ${i.kind} ${itemText(i)} in ${i.region ?? "(region unknown)"}, ${encryptionWords(i.encryption, i.key === undefined ? [] : [keyIds.get(i.key)!], i.keyFrom)}`);
        }
        for (const r of graph.roles.filter((r) => r.owner === owner.id)) {
            lines.push(terminal`    role ${r.name ?? "(name unknown)"}${r.declared ? " (made outside the stack)" : ""}, granted ${r.keys.map((k) => keyIds.get(k)!).join(", ") || "no key"}`);
        }
        for (const s of graph.shares.filter((s) => s.owner === owner.id)) {
            const via = s.method === "resourceShare" ? "resource share" : "image permissions";
            const role = s.roles.length === 0 ? "" : `, role ${s.roles.map((r) => roles.get(r)!.name ?? "(name unknown)").join(", ")}`;
            lines.push(terminal`    share ${s.name} (${via} of ${s.kind ?? "resource"}s) in ${s.region ?? "(region unknown)"}, ${encryptionWords(s.encryption, s.keys.map((k) => keyIds.get(k)!), s.keyFrom)}${role}`);
            const shared = s.items.map((i) => itemText(items.get(i)!));
            lines.push(terminal`      ${verbose ? shared.join(", ") : showValues(shared)}`);
            lines.push(s.recipients.length === 0 ? "      to no recipient" : `      to ${s.recipients.length} recipient${s.recipients.length === 1 ? "" : "s"}:`);
            lines.push(...recipientTree(graph, s, "        ", verbose));
        }
    }
    return lines.join("\n");
}


const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * What every report says where its sharing map (the page: its graph and tables) would be when nothing is shared, and
 * why: a preview whose components were refused registered nothing because of them (the verdicts say why), not because
 * the program shares nothing.
 */
export function nothingShared(model: Pick<ReportModel, "tool" | "failure" | "verdicts">): string {
    if (model.tool === "audit") {
        return "Nothing shared: what was read shares no snapshot or image with anyone.";
    }
    // A component refused (a mandatory verdict of its own) registers nothing; each counted once, however many verdicts it has.
    const refused = new Set(model.verdicts.filter((v) => v.judgedBy === "component" && v.level === "mandatory").map((v) => v.urn ?? `${v.type ?? ""}\n${v.name ?? ""}`)).size;
    if (refused > 0) {
        return `Nothing shared: ${plural(refused, "component")} ${refused === 1 ? "was" : "were"} refused and registered nothing (see Verdicts)${model.failure === undefined ? "" : "; the program failed before registering anything else that shares"}.`;
    }
    return `Nothing shared: ${model.failure === undefined ? "the program shares" : "what the program registered before it failed shares"} no snapshot or image with anyone.`;
}

/** What could not be read, counted: `2 answers not usable`; an organization's `1 account not read, 0 answers not usable`. */
export function incompleteCounts(reads: Pick<ReadsView, "incomplete" | "accountsNotRead">): string {
    const accounts = reads.accountsNotRead;
    const answers = `${plural(reads.incomplete.length - (accounts ?? 0), "answer")} not usable`;
    return accounts === undefined ? answers : `${plural(accounts, "account")} not read, ${answers}`;
}

/** What could not be read, and what it means: the text's INCOMPLETE line and the page's alert say it in these words. */
export function incompleteNotice(reads: Pick<ReadsView, "incomplete" | "accountsNotRead">): string {
    // An organization's accounts not read are listed with their account, its answers not usable under "not read".
    const organization = reads.accountsNotRead !== undefined;
    return `${incompleteCounts(reads)} (below${organization ? "" : ', "not read"'}): the ${organization ? "organization" : "account"} may share more than this report shows.`;
}

/** Inputs shown as pretty-printed JSON documents in the plan (RAM policies), when they parse. */
const DOCUMENT_INPUTS = ["assumeRolePolicyDocument", "document", "policyDocument"];

/**
 * The plan: resources as a tree by parent, each with its provider (when not the default one), whether it is
 * protected, and its inputs sorted by name; RAM documents pretty-printed.
 */
export function renderPlanText(plan: readonly PlanResource[]): string {
    const children = listsBy(plan, (r) => r.parent ?? "");
    const lines: string[] = [];
    // Iteratively, depth first, each parent before its children (a tree of any depth).
    const stack = [...(children.get("") ?? [])].reverse().map((r) => ({ r, depth: 0 }));
    const seen = new Set<string>();
    while (stack.length > 0) {
        const { r, depth } = stack.pop()!;
        if (seen.has(r.urn)) {
            continue;
        }
        seen.add(r.urn);
        const pad = "  ".repeat(depth);
        const notes = [r.protect === true ? "protected" : undefined, r.provider !== undefined && r.provider !== "default" ? `provider ${r.provider}` : undefined].filter((n) => n !== undefined);
        lines.push(`${pad}+ ${terminal`${r.type} ${r.name}`}${notes.length === 0 ? "" : terminal` (${notes.join(", ")})`}`);
        for (const [key, value] of Object.entries(r.inputs ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
            let pretty: string | undefined;
            if (DOCUMENT_INPUTS.includes(key) && typeof value === "string") {
                try {
                    pretty = JSON.stringify(JSON.parse(value), null, 2);
                } catch {
                    // Not JSON: shown on one line as a string, the rules say what is wrong with it.
                }
            }
            if (pretty !== undefined) {
                // JSON's own line breaks; its strings cannot hold one (JSON escapes them), the rest is escaped.
                lines.push(terminal`${pad}    ${key}:`, ...pretty.split("\n").map((l) => terminal`${pad}      ${l}`));
            } else {
                lines.push(terminal`${pad}    ${key}: ${JSON.stringify(value)}`);
            }
        }
        [...(children.get(r.urn) ?? [])].reverse().forEach((child) => stack.push({ r: child, depth: depth + 1 }));
    }
    return lines.join("\n");
}

/** What each kind of drift entry is, in words. */
export const DRIFT_KIND: Readonly<Record<DriftMark["kind"], string>> = {
    share: "share",
    resource: "resource",
    target: "target",
    imagePermission: "image permission",
    role: "share role",
    trustedPrincipal: "trusted principal",
};

/** One drift entry as a line: `<kind> <key>[ (detail)]`. */
export const driftLine = (e: Pick<DriftMark, "kind" | "key" | "detail">): string => `${DRIFT_KIND[e.kind]} ${e.key}${e.detail === undefined ? "" : ` (${e.detail})`}`;

/**
 * Drift entries as lines, for the text and the page alike: entries of one kind under one parent (the grants of an
 * image, the targets of a share) beyond a few are one line naming the kind in words, the parent, the count and the
 * first five (`image permission m-…: 51 (2100…, … and 46 more)`), standing for all of them; the others one line each.
 */
export function driftLines(entries: readonly Pick<DriftMark, "kind" | "key" | "detail">[]): GroupedLine[] {
    const groups = listsBy(entries, (e) => (e.detail === undefined && e.key.includes(": ") ? `${e.kind}\n${e.key.slice(0, e.key.indexOf(": "))}` : `${e.kind}\n${e.key}\n${e.detail ?? ""}`));
    const lines: GroupedLine[] = [];
    for (const group of groups.values()) {
        if (group.length <= LISTED_VALUES) {
            group.forEach((e) => lines.push({ line: driftLine(e) }));
        } else {
            const head = group[0].key.slice(0, group[0].key.indexOf(": "));
            lines.push({ line: `${DRIFT_KIND[group[0].kind]} ${head}: ${group.length} (${showValues(group.map((e) => e.key.slice(head.length + 2)))})`, all: group.map(driftLine) });
        }
    }
    return lines;
}

/**
 * The drift as text: what the account has that the stack does not, what the stack declares that the account lacks,
 * what was not compared. Entries of one kind under one parent (the grants of an image, the targets of a share) beyond
 * a few are one line naming five and the count: the text stays short whatever the account; JSON and SARIF keep every one.
 */
export function renderDriftText(drift: DriftView): string {
    const lines = [terminal`Drift from the stack (${drift.source === undefined ? "" : `${drift.source}, `}${drift.format})`];
    const section = (title: string, entries: readonly DriftMark[]) => {
        lines.push(`  ${title} (${entries.length})${entries.length === 0 ? ": none" : ":"}`);
        driftLines(entries).forEach((l) => lines.push(terminal`    ${l.line}`));
    };
    section("in the account, not in the stack", drift.entries.filter((e) => e.side === "outsideStack"));
    section("in the stack, not in the account", drift.entries.filter((e) => e.side === "missingFromAccount"));
    if (drift.notCompared.length > 0) {
        lines.push("  not compared:", ...drift.notCompared.map((n) => terminal`    ${n}`));
    }
    return lines.join("\n");
}

/**
 * The whole report as text: the title; the plan (a preview's) or what was read (an audit's, with what is not in
 * effect, its notes and what could not be read); the policies the config set to another level; the verdicts, grouped;
 * the sharing map; what was received and the drift (an audit's). A run that failed before judging anything prints
 * nothing (its error goes to stderr).
 */
export function renderText(model: ReportModel, options: TextOptions = {}): string {
    if (model.failure !== undefined && model.verdicts.length === 0) {
        return "";
    }
    const mandatory = model.verdicts.filter((v) => v.level === "mandatory").length;
    const reads = model.reads;
    const lines = [terminal`alicloud-sharing ${model.title}`];
    if (reads !== undefined && reads.incomplete.length > 0) {
        lines.push(`INCOMPLETE: ${incompleteNotice(reads)}`);
    }
    lines.push("");
    if (reads !== undefined) {
        lines.push(
            terminal`Read: ${reads.counts.map((c) => `${c.count} ${c.what}`).join(", ")}`,
            ...reads.notInEffect.map((n) => terminal`  ${n}`),
            ...reads.notes.map((n) => terminal`  note: ${n}`),
            ...reads.incomplete.map((n) => terminal`  not read: ${n}`),
        );
    } else {
        lines.push(`Plan: ${plural(model.plan.length, "resource")}`, renderPlanText(model.plan));
    }
    lines.push("");
    if (model.levelChanges.length > 0) {
        lines.push(terminal`Policy levels set by the policy config: ${model.levelChanges.map((c) => `${c.policy} ${c.level} (not ${c.defaultLevel})`).join(", ")}`);
    }
    lines.push(`Verdicts: ${mandatory} mandatory, ${model.verdicts.length - mandatory} advisory`, renderVerdictsText(model.verdicts, options), "", "Sharing map", model.graph.owners.length === 0 ? `  ${nothingShared(model)}` : renderMapText(model.graph, options));
    if (reads !== undefined) {
        lines.push("", "Shares received", ...(reads.received.length === 0 ? ["  none"] : reads.received.map((r) => terminal`  ${r}`)));
    }
    if (model.drift !== undefined) {
        lines.push("", renderDriftText(model.drift));
    }
    return lines.join("\n");
}

/** A line of a grouped list (not escaped: each renderer makes it safe), and, when it stands for several entries, each of them as its own line (the page folds them under it). */
export interface GroupedLine {
    readonly line: string;
    readonly all?: readonly string[];
}

/** A share no stack declares, as the text and the page list it. */
type UndeclaredEntry = Pick<UndeclaredView["shares"][number], "accountId" | "kind" | "key">;

/** Values in a list: all of them up to `LISTED_VALUES` (rules/types), else the first few and the count of the rest. */
export const fewValues = (values: readonly string[]): string => (values.length <= LISTED_VALUES ? values.join(", ") : showValues(values));

/** The heading of the shares no stack declares: the files given and the count, shares one by one, image permissions by grant. */
export function undeclaredHeading(undeclared: { readonly shares: readonly UndeclaredEntry[] }, sources: readonly string[]): string {
    const shareCount = undeclared.shares.filter((u) => u.kind === "share").length;
    const grantCount = undeclared.shares.length - shareCount;
    const counts = grantCount === 0 ? `${shareCount}` : `${plural(shareCount, "share")}, ${plural(grantCount, "image grant")}`;
    return `Shares no stack declares (${sources.join(", ") || "the stacks given"}): ${counts}`;
}

/**
 * The shares no stack declares, one line each (`<account>: share <region/name (rs-…)>`), then the grants of each image
 * on one line (`<account>: image permission <m-…> to <accounts>`), beyond a few its count and the first five.
 */
export function undeclaredLines(shares: readonly UndeclaredEntry[]): GroupedLine[] {
    const lines: GroupedLine[] = shares.filter((u) => u.kind === "share").map((u) => ({ line: `${u.accountId}: share ${u.key}` }));
    const grants = listsBy(
        shares.filter((u) => u.kind !== "share"),
        (u) => `${u.accountId}\n${u.key.split(": ")[0]}`,
    );
    for (const [key, group] of grants) {
        const [accountId, image] = key.split("\n");
        const grantees = group.map((u) => u.key.split(": ")[1] ?? "");
        lines.push(
            grantees.length <= LISTED_VALUES
                ? { line: `${accountId}: image permission ${image} to ${grantees.join(", ")}` }
                : { line: `${accountId}: image permission ${image} to ${grantees.length} (${showValues(grantees)})`, all: grantees.map((g) => `${accountId}: image permission ${image} to ${g}`) },
        );
    }
    return lines;
}

/** What removing one share takes (C15): its line, then one line per recipient (what it loses, or why that is not known). */
export function removalLines(r: RemovalView): { readonly head: string; readonly lines: readonly string[] } {
    if (r.share === undefined) {
        return { head: `${r.id}: ${r.note ?? "not found"}`, lines: [] };
    }
    const s = r.share;
    const head = `${s.id} ${s.via === "image permission" ? "(image permissions)" : `"${s.name}"`} of ${s.ownerAccountId} in ${s.region} (${fewValues(s.resources.map((x) => x.id))}):`;
    const lines = r.note !== undefined ? [r.note] : r.recipients.length === 0 ? ["no recipient"] : [];
    for (const loss of r.recipients) {
        if (!loss.readable) {
            lines.push(`${loss.accountId} (via ${loss.via}): not known: ${loss.reason ?? "not read"}`);
            continue;
        }
        const lost = [
            ...loss.disks.map((d) => `disk ${d.id} (from ${d.snapshotId}${d.instanceId === undefined ? "" : `, attached to ${d.instanceId}`})`),
            ...loss.instances.map((i) => `instance ${i.id}${i.name === undefined ? "" : ` "${i.name}"`} (runs ${i.imageId})`),
        ];
        lines.push(`${loss.accountId} (via ${loss.via}): ${lost.length === 0 ? "nothing made from it" : `loses ${lost.join(", ")}`}`);
    }
    return { head, lines };
}

/** The heading of the removals' section. */
export const REMOVALS_HEADING = "If removed (C15: recipients lose what they made from it)";
