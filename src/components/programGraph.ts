/**
 * The components' reader: each component adds what its arguments say to the sharing graph of its program (one per
 * project and stack), and is judged on the relations the pack judges (limits counted per item and per account, one
 * share role per name and account, each role trusting its account's encrypted shares' recipients and granted their
 * keys). At construction a component is refused for what adding it breaks (the findings of the graph with it that the
 * graph without it did not have); once the program has built its components, each is judged again on the whole
 * program (a role's trust that no share ended up using), failing its resources at deploy time.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../alibaba/names";
import { AccountKey, AttachmentNode, ItemNode, KeyNode, Origin, PolicyNode, RoleNode, ShareNode, SharingGraph, emptyGraph } from "../graph/model";
import { Relations, ShareEncryption, rolesOfShare } from "../graph/resolve";
import { accountIdOf, mayBeSameAccount } from "../graph/accounts";
import { judgeSubject } from "../rules/registry";
import { contentsSubjects, directoryAndAccountSubjects, encryptionSubjects, limitSubjects, roleSubjects } from "../rules/relations";
import type { Finding, RuleContext, RuleSubject } from "../rules/types";
import { typeToken } from "./common";

/** What one component adds to the graph. */
export interface Fragment {
    readonly keys?: readonly KeyNode[];
    readonly items?: readonly ItemNode[];
    readonly roles?: readonly RoleNode[];
    readonly policies?: readonly PolicyNode[];
    readonly attachments?: readonly AttachmentNode[];
    readonly shares?: readonly ShareNode[];
}

/** A share role component other shares of its account wait for. */
export interface RoleComponent extends pulumi.ComponentResource {
    readonly attachment: pulumi.Resource;
}

interface Program {
    readonly graph: SharingGraph;
    /** The relations of the graph as it is, computed when first needed after a change. */
    relations?: Relations;
    readonly roleComponents: Map<string, RoleComponent>;
    /** Whether a component of the program was refused: the program as written was not built, so it is not judged whole. */
    refused: boolean;
    /** The accounts the program's components name, read once the components of this turn are built. */
    accountsOnceBuilt?: Promise<string[]>;
}
const programs = new Map<string, Program>();

function program(): Program {
    const key = `${pulumi.getProject()}/${pulumi.getStack()}`;
    let p = programs.get(key);
    if (p === undefined) {
        p = { graph: emptyGraph(), roleComponents: new Map(), refused: false };
        programs.set(key, p);
    }
    return p;
}

const relationsOf = (p: Program): Relations => (p.relations ??= new Relations(p.graph));

/**
 * Where a resource sits among its parents, as a URN names it: each parent's type and name, outermost first (two
 * components of one type and name under different parents are two components). The stack is no part of it: a
 * resource without a parent is the stack's child when a real engine runs the program, and nobody's under mocks.
 */
export function scopeOf(parent: pulumi.Resource | undefined): string {
    const parts: string[] = [];
    for (let r: pulumi.Resource | undefined = parent; r !== undefined; r = (r as unknown as { __parentResource?: pulumi.Resource }).__parentResource) {
        const type = pulumi.resourceType(r);
        if (type !== "pulumi:pulumi:Stack") {
            parts.unshift(`${type}::${(r as unknown as { __name?: string }).__name ?? ""}`);
        }
    }
    return parts.join("$");
}

/** The scope of a component's child: the component's scope, then the component itself. */
export const childScope = (scope: string, className: string, name: string): string => `${scope === "" ? "" : `${scope}$`}${typeToken(className)}::${name}`;

/** Where a component's nodes come from; its `urn` names its nodes and the findings about them in the graph. */
export const componentOrigin = (className: string, name: string, scope = ""): Origin => ({ urn: `component:${childScope(scope, className, name)}`, name, type: typeToken(className) });

const MAPS: readonly (keyof Fragment & keyof SharingGraph)[] = ["keys", "items", "roles", "policies", "attachments", "shares"];

/**
 * Adds a fragment's nodes to the graph, the nodes of the same id replaced (an item known by its id alone keeps what
 * the first component said of it), and returns how to take them back out.
 */
function apply(graph: SharingGraph, fragment: Fragment): () => void {
    const undo: (() => void)[] = [];
    for (const name of MAPS) {
        const map = graph[name] as Map<string, { id: string }>;
        for (const node of (fragment[name] ?? []) as readonly { id: string }[]) {
            if (node.id.startsWith("item:") && map.has(node.id)) {
                continue;
            }
            const before = map.get(node.id);
            map.set(node.id, node);
            undo.push(() => (before === undefined ? map.delete(node.id) : map.set(node.id, before)));
        }
    }
    return () => undo.reverse().forEach((f) => f());
}

/** Rules a share component judges on the program's graph only (they depend on the other shares of an item or account). */
export const RELATIONAL_SHARE_RULES: readonly string[] = ["directory-and-accounts", "unencrypted-snapshot-acknowledged"];

/**
 * The relational subjects a component is judged on: limits, share roles (a role managed elsewhere is the pack's to find),
 * an image shared with the organization and with accounts across shares (C22), an image granted to one account by two
 * components' permissions (C4), a snapshot share not known to be encrypted (C33: a share without a key in an account
 * whose share role ECS would use is encrypted, as the pack reads it). With `relevant`, only those about those nodes.
 */
function relationalSubjects(relations: Relations, complete: boolean, relevant?: ReadonlySet<string>): RuleSubject[] {
    const all = [
        ...limitSubjects(relations),
        ...roleSubjects(relations, { complete }).filter((s) => !(s.only ?? []).includes("share-role-present")),
        ...directoryAndAccountSubjects(relations),
        ...contentsSubjects(relations).filter((s) => s.kind === "share" && s.subject.method.value === "imagePermission"),
        ...encryptionSubjects(relations).filter((s) => (s.only ?? []).includes("unencrypted-snapshot-acknowledged")),
    ];
    return relevant === undefined ? all : all.filter((s) => (s.nodes ?? []).some((n) => relevant.has(n)));
}

const keyOf = (f: Finding): string => `${f.ruleId}|${f.subject?.urn ?? ""}|${f.path}|${f.message}`;

/** `complete`: the program has built its components (a role's trust no share uses is stale only then). */
function judgeGraph(relations: Relations, context: RuleContext, complete = false, relevant?: ReadonlySet<string>): Finding[] {
    return relationalSubjects(relations, complete, relevant).flatMap((s) => judgeSubject(s, context));
}

/**
 * The nodes a fragment touches: its own, and the share roles its shares use and the shares that use its roles (a new
 * share changes what its account's role must trust; a new role changes which shares it serves).
 */
function touched(relations: Relations, fragment: Fragment): Set<string> {
    const nodes = new Set<string>();
    for (const name of MAPS) {
        ((fragment[name] ?? []) as readonly { id: string }[]).forEach((n) => nodes.add(n.id));
    }
    for (const share of fragment.shares ?? []) {
        rolesOfShare(relations, share).forEach((r) => nodes.add(r.id));
    }
    for (const role of fragment.roles ?? []) {
        for (const share of relations.graph.shares.values()) {
            if (share.kind === role.kind && rolesOfShare(relations, share).includes(role)) {
                nodes.add(share.id);
            }
        }
        // Other roles of its name that may be in its account.
        for (const other of relations.graph.roles.values()) {
            if (other.kind === role.kind && mayBeSameAccount(other.account, role.account)) {
                nodes.add(other.id);
            }
        }
    }
    return nodes;
}

/**
 * The findings that adding a fragment to the program's graph brings (those the graph already had are not its), judged
 * on the subjects about the nodes it touches. Of a rule found both on the fragment's own nodes and on others' (two
 * roles of one name each name the other), the fragment's are kept.
 */
export function findingsOfFragment(fragment: Fragment, context: RuleContext): Finding[] {
    const p = program();
    const undo = apply(p.graph, fragment);
    let found: Finding[];
    let relevant: Set<string>;
    try {
        const after = new Relations(p.graph);
        relevant = touched(after, fragment);
        found = judgeGraph(after, context, false, relevant);
    } finally {
        undo();
    }
    const before = new Set(judgeGraph(relationsOf(p), context, false, relevant).map(keyOf));
    found = found.filter((f) => !before.has(keyOf(f)));
    const own = new Set(Object.values(fragment).flatMap((nodes: readonly { origin?: Origin }[] | undefined) => (nodes ?? []).map((n) => n.origin?.urn)));
    const rulesOnOwn = new Set(found.filter((f) => own.has(f.subject?.urn)).map((f) => f.ruleId));
    return found.filter((f) => own.has(f.subject?.urn) || !rulesOnOwn.has(f.ruleId));
}

/**
 * How the program's graph, with the fragment added, reads a share of the fragment: a share with no key in an account
 * whose share role ECS would use is encrypted (`because: "roleName"`), as the pack reads it.
 */
export function shareEncryptionInProgram(fragment: Fragment, shareId: string): ShareEncryption | undefined {
    const p = program();
    const undo = apply(p.graph, fragment);
    try {
        const share = p.graph.shares.get(shareId);
        return share === undefined ? undefined : new Relations(p.graph).shareEncryption(share);
    } finally {
        undo();
    }
}

/** Adds an accepted component's fragment to the program's graph. */
export function addFragment(fragment: Fragment): void {
    const p = program();
    apply(p.graph, fragment);
    p.relations = undefined;
}

/** Notes that a component of the program refused its arguments. */
export function noteRefusal(): void {
    program().refused = true;
}

/** Records the component that makes a role node, for the shares of its account to wait for. */
export function registerRoleComponent(roleNodeId: string, component: RoleComponent): void {
    program().roleComponents.set(roleNodeId, component);
}

/** The role components of the program a share of an account and kind uses (its account's, else one that may be it). */
export function programRoleComponents(account: AccountKey, kind: ResourceKind): RoleComponent[] {
    const p = program();
    return relationsOf(p)
        .rolesFor(account, kind)
        .map((r) => p.roleComponents.get(r.id))
        .filter((c): c is RoleComponent => c !== undefined);
}

/**
 * Once the program has built its components (the next turn of the event loop): the findings of the whole program's
 * graph about a component's own nodes that were not reported when it was built. None when a component was refused:
 * the program was not built as written (a role trusting the recipient of a refused share is not stale), and the
 * refusal is what to fix first.
 */
export function findingsOnceBuilt(origin: Origin, context: RuleContext, reported: readonly Finding[]): Promise<Finding[]> {
    const known = new Set(reported.map(keyOf));
    return new Promise((resolve) =>
        setImmediate(() => {
            const p = program();
            resolve(p.refused ? [] : judgeGraph(relationsOf(p), context, true).filter((f) => f.subject?.urn === origin.urn && !known.has(keyOf(f))));
        }),
    );
}

/**
 * Once the program has built its components (the next turn of the event loop): the accounts its components name, each
 * account id once, sorted. One reading for the components built in the same turn.
 */
export function programAccountsOnceBuilt(): Promise<string[]> {
    const p = program();
    return (p.accountsOnceBuilt ??= new Promise((resolve) =>
        setImmediate(() => {
            p.accountsOnceBuilt = undefined;
            const named = new Set<string>();
            for (const node of [...p.graph.shares.values(), ...p.graph.roles.values()]) {
                const id = accountIdOf(node.account);
                if (id !== undefined) {
                    named.add(id);
                }
            }
            resolve([...named].sort());
        }),
    ));
}

/** Forgets every program's graph. For tests and tools that build several programs in one process. */
export function resetProgramGraphs(): void {
    programs.clear();
}
