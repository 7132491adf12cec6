/**
 * An audit as the report model: what was read (as the resources judged, and for people: counts, what is not in
 * effect, notes, what could not be read, the shares received), the verdicts, the sharing graph of the account (or of
 * every account of a directory) read as the pack reads a stack, grouped by the organization, and the drift from the
 * stack overlaid on it.
 */
import { organizationOf } from "../graph/organization";
import { readStack } from "../policy/reader";
import { PlanResource, ReadsView, ReportModel, organizationNames, reportModel } from "../report/model";
import { NotInEffect, sharesInEffect } from "./model";
import type { OrganizationAuditResult } from "./organization";
import type { AuditResult } from "./run";
import type { AuditResource } from "./view";

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * What a share holds that is not in effect, in words (values as read: escape them for the medium): the share itself or
 * one association, and its status; the owner's account when an organization's audit says whose it is.
 */
export function notInEffectText(n: NotInEffect & { readonly accountId?: string }): string {
    const share = `share ${n.region}/${n.shareName} (${n.shareId})${n.accountId === undefined ? "" : ` of ${n.accountId}`}`;
    return n.kind === "share" ? `not in effect: ${share} is ${n.status}` : `not in effect: ${n.kind} ${n.id} of ${share} is ${n.status}`;
}

/** What was read, as the plan: each live object as the resource that would make it, with its region and props. */
const planOf = (resources: readonly AuditResource[]): PlanResource[] =>
    resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        ...(typeof r.providerProps.region === "string" ? { region: r.providerProps.region } : {}),
        inputs: r.props,
    }));

/** What was read of one account, for people. */
function readsOf(result: AuditResult): ReadsView {
    const { read } = result;
    const shares = sharesInEffect(read.shares);
    const resources = shares.reduce((n, s) => n + s.resources.length, 0);
    const targets = shares.reduce((n, s) => n + s.targets.length, 0);
    const permitted = read.images.filter((i) => i.accounts.length + i.groups.length > 0);
    const grants = permitted.reduce((n, i) => n + i.accounts.length + i.groups.length, 0);
    return {
        accounts: [result.accountId],
        regions: result.regions,
        requests: result.requests.total,
        counts: [
            { count: shares.length, what: `${shares.length === 1 ? "resource share" : "resource shares"} (${plural(resources, "resource")}, ${plural(targets, "target")})` },
            { count: permitted.length, what: `${permitted.length === 1 ? "image" : "images"} with share permissions (${plural(grants, "grant")})` },
            { count: read.roles.length, what: read.roles.length === 1 ? "share role" : "share roles" },
            { count: read.keys.length, what: read.keys.length === 1 ? "KMS key" : "KMS keys" },
            { count: read.received.length, what: read.received.length === 1 ? "share received" : "shares received" },
        ],
        received: read.received.map(
            (s) => `${s.id}${s.name === undefined ? "" : ` "${s.name}"`} from ${s.owner ?? "(owner unknown)"} in ${s.region}: ${s.resources.map((r) => `${r.type} ${r.id}`).join(", ") || "(no resource)"}`,
        ),
        notInEffect: result.notInEffect.map((n) => notInEffectText(n)),
        notes: result.notes,
        incomplete: result.incomplete,
    };
}

/** The report model of an account's audit; `intendedSource` names the file the drift is from. */
export function auditReport(result: AuditResult, intendedSource?: string): ReportModel {
    return reportModel({
        tool: "audit",
        title: `audit of account ${result.accountId} (regions ${result.regions.join(", ")}; ${plural(result.requests.total, "request")}, read only, in ${(result.durationMs / 1000).toFixed(1)} s)`,
        accounts: [result.accountId],
        regions: result.regions,
        facts: {
            accountId: result.accountId,
            regions: result.regions,
            sharingRegions: result.read.sharingRegions,
            allRegions: result.read.allRegions,
            requests: result.requests,
            durationMs: result.durationMs,
            received: result.read.received,
            notInEffect: result.notInEffect,
            notes: result.notes,
            incomplete: result.incomplete,
        },
        plan: planOf(result.resources),
        verdicts: result.verdicts,
        levelChanges: result.levelChanges,
        graph: readStack(result.resources),
        ...(result.organization === undefined ? {} : { organization: organizationOf(result.organization), names: organizationNames(result.organization) }),
        resources: result.resources,
        ...(result.drift === undefined ? {} : { drift: result.drift }),
        ...(intendedSource === undefined ? {} : { driftSource: intendedSource }),
        reads: readsOf(result),
    });
}

/** What an organization's audit did not read: each account not read (`account <id>: <why>`), then each answer not usable. */
export const organizationIncomplete = (result: OrganizationAuditResult): string[] => [
    ...result.accounts.filter((a) => a.error !== undefined).map((a) => `account ${a.accountId}: ${a.error}`),
    ...result.incomplete,
];

/** The title of an organization's audit: the directory, its accounts, regions, requests and time. */
export function organizationTitle(result: OrganizationAuditResult): string {
    const read = result.accounts.filter((a) => a.read !== undefined).length;
    const failed = result.accounts.filter((a) => a.error !== undefined).length;
    return (
        `audit of resource directory ${result.directory.id} (management account ${result.directory.managementAccountId}; ${plural(result.accounts.length, "account")}, ` +
        `${read} read, ${failed} not read; regions ${result.regions.join(", ")}; ${plural(result.requests.total, "request")}, read only, in ${(result.durationMs / 1000).toFixed(1)} s)`
    );
}

/**
 * The report model of an organization's audit: every account's live objects in one graph (each owner with its own),
 * grouped by the directory's tree; the organization's own facts (accounts, owners, receipts, removals, what no stack
 * declares) as data for tools.
 */
export function organizationReport(result: OrganizationAuditResult): ReportModel {
    const incomplete = organizationIncomplete(result);
    const read = result.accounts.filter((a) => a.read !== undefined);
    const shares = result.owners.filter((s) => s.via === "resource share").length;
    const images = result.owners.filter((s) => s.via === "image permission").length;
    return reportModel({
        tool: "audit",
        title: organizationTitle(result),
        accounts: result.accounts.map((a) => a.accountId),
        regions: result.regions,
        facts: {
            directory: result.directory,
            organization: result.organization,
            regions: result.regions,
            requests: result.requests,
            durationMs: result.durationMs,
            timings: result.timings,
            accounts: result.accounts.map((a) => ({
                accountId: a.accountId,
                name: a.name,
                path: a.path,
                management: a.management,
                ...(a.read === undefined ? { error: a.error } : { regions: a.read.regions, received: a.read.received, notes: a.read.notes, incomplete: a.read.incomplete }),
            })),
            owners: result.owners,
            receipts: Object.fromEntries(result.receipts),
            ...(result.undeclared === undefined ? {} : { undeclared: result.undeclared }),
            removals: result.removals,
            notInEffect: result.notInEffect,
            notes: result.notes,
            // As the text's INCOMPLETE line and the SARIF invocation: the accounts not read, then the answers not usable.
            incomplete,
        },
        plan: planOf(result.resources),
        verdicts: result.verdicts,
        graph: readStack(result.resources),
        organization: organizationOf(result.organization),
        names: organizationNames(result.organization),
        resources: result.resources,
        ...(result.undeclared === undefined ? {} : { undeclared: result.undeclared }),
        removals: result.removals,
        reads: {
            accounts: result.accounts.map((a) => a.accountId),
            regions: result.regions,
            requests: result.requests.total,
            counts: [
                { count: read.length, what: read.length === 1 ? "account read" : "accounts read" },
                { count: shares, what: shares === 1 ? "resource share" : "resource shares" },
                { count: images, what: images === 1 ? "image with share permissions" : "images with share permissions" },
            ],
            received: [],
            notInEffect: result.notInEffect.map((n) => notInEffectText(n)),
            notes: result.notes,
            incomplete,
            accountsNotRead: result.accounts.filter((a) => a.error !== undefined).length,
        },
    });
}
