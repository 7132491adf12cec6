/**
 * Resource Sharing, read only, through Alibaba's generic OpenAPI client (RPC style, version 2020-01-10; the product
 * has no SDK package on npm): the regions it is offered in, the shares this account owns with their resources and
 * targets, and the shares it receives.
 */
import { isRegionId } from "../alibaba/ids";
import { readAllPages } from "../sdk/paging";
import { nextTokenOf, rowsOf, totalCountOf, utcTimeOf } from "../sdk/answers";
import { AuditContext, rpc } from "./clients";
import { LiveShare, ReceivedShare } from "./model";

/** The largest page the Resource Sharing APIs return. */
const MAX_RESULTS = 100;
/** Shares that are gone. */
const GONE_SHARE = new Set(["Deleted"]);
/** Associations that are gone. */
const GONE_ASSOCIATION = new Set(["Disassociated"]);

type Row = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Every row of a NextToken list, through the paging helper (which refuses a list whose pages do not add up). */
function allPages(ctx: AuditContext, region: string, action: string, resource: string, listKey: string, query: Record<string, unknown>, key: (row: Row) => string): Promise<Row[]> {
    return readAllPages<Row>({
        action,
        resource: `${resource} (${region})`,
        style: "token",
        pageSize: MAX_RESULTS,
        maxPages: ctx.maxPages,
        key,
        onPage: (n) => ctx.itemsRead(n),
        fetch: async ({ number, token }) => {
            const page = `${resource} (${region}, page ${number})`;
            const body = await rpc(ctx, "resourcesharing", region, action, page, { ...query, MaxResults: MAX_RESULTS, NextToken: token });
            const requestId = str(body.RequestId);
            // An answer without its list, rows that are not objects, a NextToken that is not a string: refused, never
            // read as a shorter list.
            return {
                items: rowsOf(body[listKey], listKey, action, page, requestId),
                nextToken: nextTokenOf(body.NextToken, action, page, requestId),
                totalCount: totalCountOf(body.TotalCount, action, page, requestId),
                requestId,
            };
        },
    });
}

/** The regions where Resource Sharing is offered (its own DescribeRegions), asked in one region; ids that are not region ids are reported, not used. */
export async function sharingRegions(ctx: AuditContext, region: string): Promise<string[]> {
    const resource = `Resource Sharing regions (asked in ${region})`;
    const body = await rpc(ctx, "resourcesharing", region, "DescribeRegions", resource, {});
    // Without its list, the answer would read as Resource Sharing offered nowhere: refused.
    const ids = rowsOf(body.Regions, "Regions", "DescribeRegions", resource, str(body.RequestId)).map((r) => r.RegionId);
    for (const bad of ids.filter((r) => !isRegionId(r))) {
        ctx.incomplete.push(`Resource Sharing's DescribeRegions named ${JSON.stringify(bad) ?? "nothing"}, which is not a region id: not read.`);
    }
    return ids.filter(isRegionId);
}

const rowKey = (...fields: string[]) => (row: Row): string => fields.map((f) => String(row[f] ?? "")).join("|");

/** The shares this account owns in a region, in every state but deleted, with their resources and targets in every state but disassociated. */
export async function listOwnedShares(ctx: AuditContext, region: string): Promise<LiveShare[]> {
    const [shares, resources, targets] = await Promise.all([
        allPages(ctx, region, "ListResourceShares", "resource shares owned", "ResourceShares", { ResourceOwner: "Self" }, rowKey("ResourceShareId")),
        allPages(ctx, region, "ListResourceShareAssociations", "shared resources", "ResourceShareAssociations", { AssociationType: "Resource" }, rowKey("ResourceShareId", "EntityId", "EntityType")),
        allPages(ctx, region, "ListResourceShareAssociations", "share targets", "ResourceShareAssociations", { AssociationType: "Target" }, rowKey("ResourceShareId", "EntityId")),
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
        const status = str(a.AssociationStatus) ?? "(no status)";
        if (share !== undefined && id !== undefined && !GONE_ASSOCIATION.has(status)) {
            const since = utcTimeOf(a.CreateTime);
            entry(share).resources.push({ id, type: str(a.EntityType) ?? "", status, ...(since === undefined ? {} : { since }) });
        }
    }
    for (const a of targets) {
        const share = str(a.ResourceShareId);
        const id = str(a.EntityId);
        const status = str(a.AssociationStatus) ?? "(no status)";
        if (share !== undefined && id !== undefined && !GONE_ASSOCIATION.has(status)) {
            const since = utcTimeOf(a.CreateTime);
            entry(share).targets.push({ id, status, ...(typeof a.External === "boolean" ? { external: a.External } : {}), ...(since === undefined ? {} : { since }) });
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
                status: str(s.ResourceShareStatus) ?? "(no status)",
                allowExternalTargets: s.AllowExternalTargets === true,
                resources: e.resources,
                targets: e.targets,
            };
        });
}

/** The shares other accounts share with this one in a region, and the resources they hold. */
export async function listReceivedShares(ctx: AuditContext, region: string): Promise<ReceivedShare[]> {
    const [shares, resources] = await Promise.all([
        allPages(ctx, region, "ListResourceShares", "resource shares received", "ResourceShares", { ResourceOwner: "OtherAccounts" }, rowKey("ResourceShareId")),
        allPages(ctx, region, "ListSharedResources", "resources received", "SharedResources", { ResourceOwner: "OtherAccounts" }, rowKey("ResourceShareId", "ResourceId", "ResourceType")),
    ]);
    const received = new Map<string, { id: string; name?: string; region: string; owner?: string; status?: string; resources: { id: string; type: string; status?: string }[] }>();
    for (const s of shares) {
        const id = str(s.ResourceShareId);
        if (id !== undefined && !GONE_SHARE.has(str(s.ResourceShareStatus) ?? "") && str(s.ResourceShareStatus) !== "Deleting") {
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
