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
import { Relations, ShareEncryption } from "../graph/resolve";
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
    graph: SharingGraph;
    readonly roleComponents: Map<string, RoleComponent>;
    /** Whether a component of the program was refused: the program as written was not built, so it is not judged whole. */
    refused: boolean;
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

/** The id of a component's nodes, and the URN its findings are reported under in the graph. */
export const componentNodeId = (className: string, name: string): string => `component:${typeToken(className)}::${name}`;
/** Where a component's nodes come from. */
export const componentOrigin = (className: string, name: string): Origin => ({ urn: componentNodeId(className, name), name, type: typeToken(className) });

/** A graph with a fragment added: new maps, the nodes of the fragment replacing those of the same id. */
function graphWith(base: SharingGraph, fragment: Fragment): SharingGraph {
    const copy = <V extends { id: string }>(map: Map<string, V>, add: readonly V[] | undefined): Map<string, V> => {
        const next = new Map(map);
        // An item known by its id alone keeps what the first component said of it.
        (add ?? []).forEach((n) => (n.id.startsWith("item:") && next.has(n.id) ? undefined : next.set(n.id, n)));
        return next;
    };
    return {
        keys: copy(base.keys, fragment.keys),
        items: copy(base.items, fragment.items),
        roles: copy(base.roles, fragment.roles),
        policies: copy(base.policies, fragment.policies),
        attachments: copy(base.attachments, fragment.attachments),
        shares: copy(base.shares, fragment.shares),
    };
}

/** Rules a share component judges on the program's graph only (they depend on the other shares of an item or account). */
export const RELATIONAL_SHARE_RULES: readonly string[] = ["directory-and-accounts", "unencrypted-snapshot-acknowledged"];

/**
 * The relational subjects a component is judged on: limits, share roles (a role managed elsewhere is the pack's to find),
 * an image shared with the organization and with accounts across shares (C22), a snapshot share not known to be
 * encrypted (C33: a share without a key in an account whose share role ECS would use is encrypted, as the pack reads it).
 */
function relationalSubjects(graph: SharingGraph, complete: boolean): RuleSubject[] {
    const relations = new Relations(graph);
    return [
        ...limitSubjects(relations),
        ...roleSubjects(relations, { complete }).filter((s) => !(s.only ?? []).includes("share-role-present")),
        ...directoryAndAccountSubjects(relations),
        // An image granted to one account by two components' permissions (C4): what one component cannot see.
        ...contentsSubjects(relations).filter((s) => s.kind === "share" && s.subject.method.value === "imagePermission"),
        ...encryptionSubjects(relations).filter((s) => (s.only ?? []).includes("unencrypted-snapshot-acknowledged")),
    ];
}

const keyOf = (f: Finding): string => `${f.ruleId}|${f.subject?.urn ?? ""}|${f.path}|${f.message}`;

/** `complete`: the program has built its components (a role's trust no share uses is stale only then). */
function judgeGraph(graph: SharingGraph, context: RuleContext, complete = false): Finding[] {
    return relationalSubjects(graph, complete).flatMap((s) => judgeSubject(s, context));
}

/**
 * The findings that adding a fragment to the program's graph brings (those the graph already had are not its). Of a
 * rule found both on the fragment's own nodes and on others' (two roles of one name each name the other), the
 * fragment's are kept.
 */
export function findingsOfFragment(fragment: Fragment, context: RuleContext): Finding[] {
    const p = program();
    const before = new Set(judgeGraph(p.graph, context).map(keyOf));
    const found = judgeGraph(graphWith(p.graph, fragment), context).filter((f) => !before.has(keyOf(f)));
    const own = new Set(Object.values(fragment).flatMap((nodes: readonly { origin?: Origin }[] | undefined) => (nodes ?? []).map((n) => n.origin?.urn)));
    const rulesOnOwn = new Set(found.filter((f) => own.has(f.subject?.urn)).map((f) => f.ruleId));
    return found.filter((f) => own.has(f.subject?.urn) || !rulesOnOwn.has(f.ruleId));
}

/**
 * How the program's graph, with the fragment added, reads a share of the fragment: a share with no key in an account
 * whose share role ECS would use is encrypted (`because: "roleName"`), as the pack reads it.
 */
export function shareEncryptionInProgram(fragment: Fragment, shareId: string): ShareEncryption | undefined {
    const graph = graphWith(program().graph, fragment);
    const share = graph.shares.get(shareId);
    return share === undefined ? undefined : new Relations(graph).shareEncryption(share);
}

/** Adds an accepted component's fragment to the program's graph. */
export function addFragment(fragment: Fragment): void {
    const p = program();
    p.graph = graphWith(p.graph, fragment);
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
    return new Relations(p.graph)
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
        setImmediate(() => resolve(program().refused ? [] : judgeGraph(program().graph, context, true).filter((f) => f.subject?.urn === origin.urn && !known.has(keyOf(f))))),
    );
}

/** Forgets every program's graph. For tests and tools that build several programs in one process. */
export function resetProgramGraphs(): void {
    programs.clear();
}
