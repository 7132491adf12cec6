/**
 * Resource Sharing, read only, through Alibaba's generic OpenAPI client (RPC style, version 2020-01-10; the product
 * has no SDK package on npm): the regions it is offered in, the shares this account owns with their resources and
 * targets, and the shares it receives.
 */
import { AuditContext, rpc } from "./clients";
import { LiveShare, ReceivedShare } from "./model";

/** The largest page the Resource Sharing APIs return. */
const MAX_RESULTS = 100;
/** Shares that are gone or going are not shares any more. */
const GONE_SHARE = new Set(["Deleting", "Deleted"]);
/** Associations in effect: sharing or about to. */
const IN_EFFECT = new Set(["Associated", "Associating"]);

type Row = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Follows NextToken until the service gives none. */
async function allPages(ctx: AuditContext, region: string, action: string, resource: string, listKey: string, query: Record<string, unknown>): Promise<Row[]> {
    const rows: Row[] = [];
    let nextToken: string | undefined;
    let page = 1;
    do {
        const body = await rpc(ctx, "resourcesharing", region, action, `${resource} (${region}, page ${page++})`, { ...query, MaxResults: MAX_RESULTS, NextToken: nextToken });
        const list = body[listKey];
        rows.push(...(Array.isArray(list) ? (list as Row[]) : []));
        nextToken = str(body.NextToken);
    } while (nextToken !== undefined);
    return rows;
}

/** The regions where Resource Sharing is offered (its own DescribeRegions), asked in one region. */
export async function sharingRegions(ctx: AuditContext, region: string): Promise<string[]> {
    const body = await rpc(ctx, "resourcesharing", region, "DescribeRegions", `Resource Sharing regions (asked in ${region})`, {});
    const regions = Array.isArray(body.Regions) ? (body.Regions as Row[]) : [];
    return regions.map((r) => str(r.RegionId)).filter((r): r is string => r !== undefined);
}

/** The shares this account owns in a region, with their resources and targets in effect. */
export async function listOwnedShares(ctx: AuditContext, region: string): Promise<LiveShare[]> {
    const [shares, resources, targets] = await Promise.all([
        allPages(ctx, region, "ListResourceShares", "resource shares owned", "ResourceShares", { ResourceOwner: "Self" }),
        allPages(ctx, region, "ListResourceShareAssociations", "shared resources", "ResourceShareAssociations", { AssociationType: "Resource" }),
        allPages(ctx, region, "ListResourceShareAssociations", "share targets", "ResourceShareAssociations", { AssociationType: "Target" }),
    ]);
    const byShare = new Map<string, { resources: LiveShare["resources"][number][]; targets: LiveShare["targets"][number][] }>();
    const entry = (id: string) => {
        let e = byShare.get(id);
        if (e === undefined) {
            e = { resources: [], targets: [] };
            byShare.set(id, e);
        }
        return e;
    };
    for (const a of resources) {
        const share = str(a.ResourceShareId);
        const id = str(a.EntityId);
        const status = str(a.AssociationStatus) ?? "";
        if (share !== undefined && id !== undefined && IN_EFFECT.has(status)) {
            entry(share).resources.push({ id, type: str(a.EntityType) ?? "", status });
        }
    }
    for (const a of targets) {
        const share = str(a.ResourceShareId);
        const id = str(a.EntityId);
        const status = str(a.AssociationStatus) ?? "";
        if (share !== undefined && id !== undefined && IN_EFFECT.has(status)) {
            entry(share).targets.push({ id, status, ...(typeof a.External === "boolean" ? { external: a.External } : {}) });
        }
    }
    return shares
        .filter((s) => str(s.ResourceShareId) !== undefined && !GONE_SHARE.has(str(s.ResourceShareStatus) ?? ""))
        .map((s) => {
            const id = str(s.ResourceShareId)!;
            const e = byShare.get(id) ?? { resources: [], targets: [] };
            return {
                id,
                name: str(s.ResourceShareName) ?? "",
                region,
                status: str(s.ResourceShareStatus) ?? "",
                allowExternalTargets: s.AllowExternalTargets === true,
                resources: e.resources,
                targets: e.targets,
            };
        });
}

/** The shares other accounts share with this one in a region, and the resources they hold. */
export async function listReceivedShares(ctx: AuditContext, region: string): Promise<ReceivedShare[]> {
    const [shares, resources] = await Promise.all([
        allPages(ctx, region, "ListResourceShares", "resource shares received", "ResourceShares", { ResourceOwner: "OtherAccounts" }),
        allPages(ctx, region, "ListSharedResources", "resources received", "SharedResources", { ResourceOwner: "OtherAccounts" }),
    ]);
    const received = new Map<string, { id: string; name?: string; region: string; owner?: string; status?: string; resources: { id: string; type: string; status?: string }[] }>();
    for (const s of shares) {
        const id = str(s.ResourceShareId);
        if (id !== undefined && !GONE_SHARE.has(str(s.ResourceShareStatus) ?? "")) {
            received.set(id, { id, name: str(s.ResourceShareName), region, owner: str(s.ResourceShareOwner), status: str(s.ResourceShareStatus), resources: [] });
        }
    }
    for (const r of resources) {
        const share = str(r.ResourceShareId);
        const id = str(r.ResourceId);
        if (share === undefined || id === undefined) {
            continue;
        }
        let s = received.get(share);
        if (s === undefined) {
            s = { id: share, region, resources: [] };
            received.set(share, s);
        }
        s.resources.push({ id, type: str(r.ResourceType) ?? "", status: str(r.ResourceStatus) });
    }
    return [...received.values()];
}
