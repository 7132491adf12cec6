/**
 * Drift between what an account shares and what a stack declares: from the JSON of `alicloud-sharing preview --format
 * json` (its `resources`: type, name, urn, inputs) or a `pulumi stack export` file (`deployment.resources`: type, urn,
 * id, inputs, outputs, provider), per share, shared resource, target, image permission, share role and trusted
 * principal, what the account has that the stack does not (made outside the stack) and what the stack declares that
 * the account lacks. Things are compared by their natural keys: a share by its id when the file has it, else by its
 * name (and region when known); a resource or target by its id within its share; a permission by image and account; a
 * role by its name and the principals its trust names.
 */
import { isAccountId } from "../alibaba/ids";
import { ANY_ECS_SERVICE_PRINCIPAL, ECS_SERVICE_SUFFIX, RD_ID_CONDITION_KEY, RD_PATH_CONDITION_KEY, RESOURCE_KINDS, SHARE_ROLE_NAME } from "../alibaba/names";
import { TYPES } from "../alibaba/resourceTypes";
import { mockId } from "../alibaba/mockIds";
import { UNKNOWN_MARK } from "../report/model";
import { parseDocument } from "../ram/analyze";
import { ASSOCIATIONS_IN_EFFECT, AccountRead, LiveShare, SHARES_IN_EFFECT } from "./model";

/** A file that is neither the preview's JSON nor a stack export. */
export class IntendedFileError extends Error {}

/** A shared resource the stack declares: its id, or, when the id is known only after deployment, the resource that makes it. */
export interface IntendedItem {
    readonly id: string;
    /** The name of the resource of the file whose id this is (an image copy…), known only once deployed (preview files). */
    readonly madeBy?: string;
}

/** A resource share the stack declares. */
export interface IntendedShare {
    readonly name: string;
    /** The share id, when the file knows it (a stack export). */
    readonly id?: string;
    readonly region?: string;
    readonly urn: string;
    readonly resources: readonly IntendedItem[];
    readonly targets: readonly string[];
}

/** An image share permission the stack declares. */
export interface IntendedPermission {
    readonly imageId: string;
    readonly accountId: string;
    readonly madeBy?: string;
    /** The image's region, when the file says. */
    readonly region?: string;
    readonly urn: string;
}

/** A share role the stack declares, with the principals its trust names. */
export interface IntendedRole {
    readonly name: string;
    readonly principals: readonly string[];
    readonly urn: string;
}

/** What a stack declares, as far as sharing goes. */
export interface IntendedState {
    readonly format: "preview" | "stack export";
    readonly shares: readonly IntendedShare[];
    readonly permissions: readonly IntendedPermission[];
    readonly roles: readonly IntendedRole[];
    /** The account whose stack it is, when the file says (a preview's `map.owner`). */
    readonly owner?: string;
}

/** What is compared. */
export type DriftKind = "share" | "resource" | "target" | "imagePermission" | "role" | "trustedPrincipal";

/** One difference: what, by its natural key, and what else is worth knowing. */
export interface DriftEntry {
    readonly kind: DriftKind;
    /** `region/share name`, `region/share name: resource or target id`, `image id: account`, `role name`, `role name: principal`. */
    readonly key: string;
    readonly detail?: string;
}

/** The drift of an account from a stack. */
export interface Drift {
    readonly format: IntendedState["format"];
    /** In the account, not in the stack: made outside it. */
    readonly outsideStack: readonly DriftEntry[];
    /** In the stack, not in the account. */
    readonly missingFromAccount: readonly DriftEntry[];
    /** What could not be compared, and why. */
    readonly notCompared: readonly string[];
}

type Props = Record<string, unknown>;
const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/**
 * The principals a trust policy names, each once, sorted: the account of `<uid>@ecs.aliyuncs.com`, the directory id
 * or folder path of `*@ecs.aliyuncs.com` narrowed by `sts:ServiceOwnerRDId` / `sts:ServiceOwnerRDPath`,
 * `*@ecs.aliyuncs.com (no directory condition)`, and any other principal as `<kind> <value>`. Only Allow statements.
 */
export function trustPrincipals(document: unknown): string[] {
    const found: string[] = [];
    for (const s of parseDocument(document).statements) {
        if (s.Effect !== "Allow") {
            continue;
        }
        const conditions = isObject(s.Condition) ? Object.values(s.Condition).filter(isObject) : [];
        const narrowing = conditions.flatMap((c) =>
            Object.entries(c)
                .filter(([k]) => k === RD_ID_CONDITION_KEY || k === RD_PATH_CONDITION_KEY)
                .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
                .filter((v): v is string => typeof v === "string"),
        );
        if (!isObject(s.Principal)) {
            if (s.Principal !== undefined) {
                found.push(`Principal ${JSON.stringify(s.Principal)}`);
            }
            continue;
        }
        for (const [kind, raw] of Object.entries(s.Principal)) {
            for (const value of (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string")) {
                const account = value.endsWith(ECS_SERVICE_SUFFIX) ? value.slice(0, -ECS_SERVICE_SUFFIX.length) : undefined;
                if (kind === "Service" && account !== undefined && isAccountId(account)) {
                    found.push(account);
                } else if (kind === "Service" && value === ANY_ECS_SERVICE_PRINCIPAL) {
                    found.push(...(narrowing.length > 0 ? narrowing : [`${ANY_ECS_SERVICE_PRINCIPAL} (no directory condition)`]));
                } else {
                    found.push(`${kind} ${value}`);
                }
            }
        }
    }
    return sorted(found);
}

/** A resource of either file format, read alike. */
interface FileResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Its id: the mock runtime's for a preview, the real one for an export. */
    readonly id?: string;
    readonly inputs: Props;
    readonly region?: string;
}

const SHARE_ROLE_NAMES = new Set(RESOURCE_KINDS.map((k) => SHARE_ROLE_NAME[k]));

/**
 * The resources of a preview's JSON: custom resources, each with an id of its own making (`mockId`: the ids the
 * stack makes are known only once deployed), each with its region (from the map, in reports of versions before 0.2). An input unknown at preview (`[unknown]`: another
 * resource's id, such as a share's) is that resource's id when its property dependencies name the one it comes from;
 * previews made under the mock runtime carry those ids themselves.
 */
function previewResources(doc: Props): FileResource[] {
    const map = isObject(doc.map) && Array.isArray(doc.map.shares) ? (doc.map.shares as unknown[]).filter(isObject) : [];
    const regionOf = (via: string, name: string | undefined) => text(map.find((s) => s.via === via && s.name === name)?.region);
    const listed = (doc.resources as unknown[])
        .filter(isObject)
        .filter((r) => r.custom !== false && typeof r.type === "string" && typeof r.name === "string" && !(r.type as string).startsWith("pulumi:providers:"));
    const idByUrn = new Map(listed.filter((r) => typeof r.urn === "string").map((r) => [r.urn as string, mockId(r.type as string, r.name as string)]));
    return listed.map((r) => {
        const type = r.type as string;
        const name = r.name as string;
        const dependencies = isObject(r.propertyDependencies) ? r.propertyDependencies : {};
        const madeFrom = (key: string) => (Array.isArray(dependencies[key]) && (dependencies[key] as unknown[]).length === 1 ? idByUrn.get(String((dependencies[key] as unknown[])[0])) : undefined);
        const inputs = Object.fromEntries(Object.entries(isObject(r.inputs) ? r.inputs : {}).map(([k, v]) => [k, v === UNKNOWN_MARK ? (madeFrom(k) ?? v) : v]));
        const region =
            text(r.region) ??
            (type === TYPES.resourceShare
                ? regionOf("resource share", text(inputs.resourceShareName) ?? name)
                : type === TYPES.imageSharePermission
                  ? regionOf("image permission", text(inputs.imageId))
                  : undefined);
        return { type, name, urn: text(r.urn) ?? name, id: mockId(type, name), inputs, region };
    });
}

/** The resources of a stack export: inputs over outputs, the region of each resource's provider. */
function exportResources(doc: Props): FileResource[] {
    const all = ((doc.deployment as Props).resources as unknown[]).filter(isObject);
    const providers = new Map<string, Props>();
    for (const p of all.filter((r) => typeof r.type === "string" && (r.type as string).startsWith("pulumi:providers:"))) {
        providers.set(`${p.urn}::${p.id}`, { ...(isObject(p.outputs) ? p.outputs : {}), ...(isObject(p.inputs) ? p.inputs : {}) });
    }
    return all
        .filter((r) => r.custom !== false && typeof r.type === "string" && typeof r.urn === "string" && !(r.type as string).startsWith("pulumi:providers:"))
        .map((r) => ({
            type: r.type as string,
            name: (r.urn as string).split("::").pop()!,
            urn: r.urn as string,
            id: text(r.id),
            inputs: { ...(isObject(r.outputs) ? r.outputs : {}), ...(isObject(r.inputs) ? r.inputs : {}) },
            region: text(providers.get(text(r.provider) ?? "")?.region),
        }));
}

/** Reads what a stack declares from either file format. */
export function readIntended(document: unknown): IntendedState {
    if (!isObject(document)) {
        throw new IntendedFileError("the intended file is not a JSON object");
    }
    let format: IntendedState["format"];
    let resources: FileResource[];
    if (isObject(document.deployment) && Array.isArray(document.deployment.resources)) {
        format = "stack export";
        resources = exportResources(document);
    } else if (Array.isArray(document.resources)) {
        format = "preview";
        resources = previewResources(document);
    } else {
        throw new IntendedFileError("the intended file is neither the JSON of `alicloud-sharing preview --format json` (with resources) nor a `pulumi stack export` file (with deployment.resources)");
    }
    // Ids the stack itself makes: in a preview they are the mock runtime's, known for real only once deployed.
    const madeBy = new Map<string, string>();
    if (format === "preview") {
        resources.filter((r) => r.id !== undefined && r.type !== TYPES.resourceShare).forEach((r) => madeBy.set(r.id!, r.name));
    }
    const shares = new Map<string, { share: FileResource; resources: IntendedItem[]; targets: string[] }>();
    for (const r of resources.filter((r) => r.type === TYPES.resourceShare)) {
        const inline = Array.isArray(r.inputs.resources) ? (r.inputs.resources as unknown[]).filter(isObject).map((x) => text(x.resourceId)) : [];
        const targets = Array.isArray(r.inputs.targets) ? (r.inputs.targets as unknown[]).map(text) : [];
        shares.set(r.id ?? r.urn, {
            share: r,
            resources: inline.filter((x): x is string => x !== undefined).map((id) => ({ id })),
            targets: targets.filter((x): x is string => x !== undefined),
        });
    }
    const item = (id: string): IntendedItem => (madeBy.has(id) ? { id, madeBy: madeBy.get(id) } : { id });
    for (const r of resources) {
        const share = shares.get(text(r.inputs.resourceShareId) ?? "");
        if (r.type === TYPES.sharedResource && share !== undefined && text(r.inputs.resourceId) !== undefined) {
            share.resources.push(item(text(r.inputs.resourceId)!));
        } else if (r.type === TYPES.sharedTarget && share !== undefined && text(r.inputs.targetId) !== undefined) {
            share.targets.push(text(r.inputs.targetId)!);
        }
    }
    const permissions: IntendedPermission[] = resources
        .filter((r) => r.type === TYPES.imageSharePermission && text(r.inputs.imageId) !== undefined && text(r.inputs.accountId) !== undefined)
        .map((r) => ({ ...item(text(r.inputs.imageId)!), accountId: text(r.inputs.accountId)!, urn: r.urn, region: r.region }))
        .map(({ id, madeBy: by, accountId, urn, region }) => ({ imageId: id, accountId, urn, ...(by === undefined ? {} : { madeBy: by }), ...(region === undefined ? {} : { region }) }));
    const roles: IntendedRole[] = resources
        .filter((r) => r.type === TYPES.role && SHARE_ROLE_NAMES.has(text(r.inputs.roleName) ?? text(r.inputs.name) ?? ""))
        .map((r) => ({ name: text(r.inputs.roleName) ?? text(r.inputs.name)!, principals: trustPrincipals(r.inputs.assumeRolePolicyDocument ?? r.inputs.document), urn: r.urn }));
    return {
        format,
        shares: [...shares.values()].map(({ share, resources: items, targets }) => ({
            name: text(share.inputs.resourceShareName) ?? share.name,
            ...(format === "stack export" && share.id !== undefined ? { id: share.id } : {}),
            ...(share.region === undefined ? {} : { region: share.region }),
            urn: share.urn,
            resources: items,
            targets,
        })),
        permissions,
        roles,
        ...(format === "preview" && isAccountId(document.accountId)
            ? { owner: document.accountId }
            : format === "preview" && isObject(document.map) && isAccountId(document.map.owner)
              ? { owner: document.map.owner }
              : {}),
    };
}

const shareKey = (region: string | undefined, name: string): string => `${region ?? "(any region)"}/${name}`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const KIND_ORDER: readonly DriftKind[] = ["share", "resource", "target", "imagePermission", "role", "trustedPrincipal"];
const byKindAndKey = (a: DriftEntry, b: DriftEntry): number => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.key.localeCompare(b.key);

/** `Failed`, `Disassociating`…: said in the drift of what is not in effect. */
const notInEffectDetail = (status: string): string => `association ${status}, not in effect`;

/**
 * Compares an account with what a stack declares. What is not in effect in the account (a share being deleted, an
 * association that failed or is leaving) is never taken for what the stack declares: it is drift, with its state.
 * When only some regions were read, what the stack declares in the others (or where the file does not say) and did
 * not turn up is not compared, never counted as missing.
 */
export function driftOf(read: AccountRead, intended: IntendedState): Drift {
    const outside: DriftEntry[] = [];
    const missing: DriftEntry[] = [];
    const notCompared: string[] = [];
    const unread = (region: string | undefined): boolean => !read.allRegions && (region === undefined || !read.regions.includes(region));
    const readRegions = `only ${read.regions.join(", ")} ${read.regions.length === 1 ? "was" : "were"} read`;

    const unmatched = new Set(read.shares);
    // Indexed by id and by name, in the order read: each declared share finds its candidates without a scan.
    const byId = new Map<string, LiveShare[]>();
    const byName = new Map<string, LiveShare[]>();
    for (const l of read.shares) {
        byId.set(l.id, [...(byId.get(l.id) ?? []), l]);
        const named = byName.get(l.name);
        if (named === undefined) {
            byName.set(l.name, [l]);
        } else {
            named.push(l);
        }
    }
    for (const is of intended.shares) {
        const candidates = (is.id !== undefined ? (byId.get(is.id) ?? []) : (byName.get(is.name) ?? []).filter((l) => is.region === undefined || l.region === is.region)).filter((l) => unmatched.has(l));
        // A share of the name in effect before one being deleted (a share made again under its old name).
        const match = candidates.find((l) => SHARES_IN_EFFECT.has(l.status)) ?? candidates[0];
        if (match === undefined) {
            if (unread(is.region)) {
                notCompared.push(`share ${shareKey(is.region, is.name)}: ${is.region === undefined ? "the file does not say its region" : "its region was not read"} and ${readRegions}; not compared.`);
            } else {
                missing.push({ kind: "share", key: shareKey(is.region, is.name), detail: `${plural(is.resources.length, "resource")}, ${plural(is.targets.length, "target")} (${is.urn})` });
            }
            continue;
        }
        unmatched.delete(match);
        const key = shareKey(match.region, match.name);
        if (!SHARES_IN_EFFECT.has(match.status)) {
            missing.push({ kind: "share", key, detail: `${match.id} is ${match.status} in the account` });
            continue;
        }
        const live = new Set(match.resources.filter((r) => ASSOCIATIONS_IN_EFFECT.has(r.status)).map((r) => r.id));
        const leaving = new Map(match.resources.filter((r) => !ASSOCIATIONS_IN_EFFECT.has(r.status)).map((r) => [r.id, r]));
        for (const r of is.resources.filter((r) => r.madeBy === undefined)) {
            if (live.has(r.id)) {
                live.delete(r.id);
            } else if (leaving.has(r.id)) {
                missing.push({ kind: "resource", key: `${key}: ${r.id}`, detail: notInEffectDetail(leaving.get(r.id)!.status) });
                leaving.delete(r.id);
            } else {
                missing.push({ kind: "resource", key: `${key}: ${r.id}` });
            }
        }
        const deferred = is.resources.filter((r) => r.madeBy !== undefined);
        const extra = sorted(live);
        if (deferred.length > 0) {
            const taken = extra.splice(0, deferred.length);
            notCompared.push(
                `${key}: ${plural(deferred.length, "resource")} the stack makes (${deferred.map((d) => d.madeBy).join(", ")}) ${deferred.length === 1 ? "has its id" : "have their ids"} only once deployed; ` +
                    (taken.length === 0 ? "the share holds no other resource." : `taken to be ${taken.join(", ")}. Compare with a \`pulumi stack export\` file to tell.`),
            );
        }
        extra.forEach((id) => outside.push({ kind: "resource", key: `${key}: ${id}`, detail: match.resources.find((r) => r.id === id)?.type }));
        [...leaving.values()].forEach((r) => outside.push({ kind: "resource", key: `${key}: ${r.id}`, detail: `${r.type}, ${notInEffectDetail(r.status)}` }));
        const liveTargets = new Set(match.targets.filter((t) => ASSOCIATIONS_IN_EFFECT.has(t.status)).map((t) => t.id));
        const leavingTargets = new Map(match.targets.filter((t) => !ASSOCIATIONS_IN_EFFECT.has(t.status)).map((t) => [t.id, t.status]));
        for (const t of new Set(is.targets)) {
            if (liveTargets.has(t)) {
                liveTargets.delete(t);
            } else if (leavingTargets.has(t)) {
                missing.push({ kind: "target", key: `${key}: ${t}`, detail: notInEffectDetail(leavingTargets.get(t)!) });
                leavingTargets.delete(t);
            } else {
                missing.push({ kind: "target", key: `${key}: ${t}` });
            }
        }
        sorted(liveTargets).forEach((t) => outside.push({ kind: "target", key: `${key}: ${t}` }));
        sorted(leavingTargets.keys()).forEach((t) => outside.push({ kind: "target", key: `${key}: ${t}`, detail: notInEffectDetail(leavingTargets.get(t)!) }));
    }
    const withStatus = (id: string, status: string) => (ASSOCIATIONS_IN_EFFECT.has(status) ? id : `${id} ${status}`);
    for (const l of unmatched) {
        outside.push({
            kind: "share",
            key: shareKey(l.region, l.name),
            detail:
                `${l.id}${SHARES_IN_EFFECT.has(l.status) ? "" : ` ${l.status}`}: ${plural(l.resources.length, "resource")} (${l.resources.map((r) => withStatus(r.id, r.status)).join(", ")}), ` +
                `${plural(l.targets.length, "target")} (${l.targets.map((t) => withStatus(t.id, t.status)).join(", ")})`,
        });
    }

    const livePermissions = new Set(read.images.flatMap((i) => [...i.accounts, ...i.groups].map((a) => `${i.id}: ${a}`)));
    const readImages = new Set(read.images.map((i) => i.id));
    for (const p of intended.permissions) {
        if (p.madeBy !== undefined) {
            notCompared.push(`image permission of ${p.madeBy} to ${p.accountId}: the image id is known only once deployed.`);
        } else if (livePermissions.has(`${p.imageId}: ${p.accountId}`)) {
            livePermissions.delete(`${p.imageId}: ${p.accountId}`);
        } else if (!readImages.has(p.imageId) && unread(p.region)) {
            notCompared.push(`image permission ${p.imageId}: ${p.accountId}: ${p.region === undefined ? "the file does not say the image's region" : "the image's region was not read"} and ${readRegions}; not compared.`);
        } else {
            missing.push({ kind: "imagePermission", key: `${p.imageId}: ${p.accountId}` });
        }
    }
    sorted(livePermissions).forEach((key) => outside.push({ kind: "imagePermission", key }));

    for (const name of RESOURCE_KINDS.map((k) => SHARE_ROLE_NAME[k])) {
        const live = read.roles.find((r) => r.name === name);
        const declared = intended.roles.filter((r) => r.name === name);
        if (declared.length > 1) {
            notCompared.push(`${name}: the stack declares it ${declared.length} times; compared with the first (${declared[0].urn}).`);
        }
        const is = declared[0];
        if (live === undefined && is === undefined) {
            continue;
        }
        if (live === undefined) {
            missing.push({ kind: "role", key: name, detail: `trusting ${is!.principals.join(", ") || "nobody"}` });
            continue;
        }
        const livePrincipals = trustPrincipals(live.document);
        if (is === undefined) {
            outside.push({ kind: "role", key: name, detail: `trusting ${livePrincipals.join(", ") || "nobody"}` });
            continue;
        }
        livePrincipals.filter((p) => !is.principals.includes(p)).forEach((p) => outside.push({ kind: "trustedPrincipal", key: `${name}: ${p}` }));
        is.principals.filter((p) => !livePrincipals.includes(p)).forEach((p) => missing.push({ kind: "trustedPrincipal", key: `${name}: ${p}` }));
    }
    return { format: intended.format, outsideStack: outside.sort(byKindAndKey), missingFromAccount: missing.sort(byKindAndKey), notCompared };
}
