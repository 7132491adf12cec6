/**
 * Resource Sharing, as a sharee: finding and accepting the invitation to a share. The product has no SDK package
 * on the npm registry, so it is called through Alibaba's generic OpenAPI client (RPC style, version 2020-01-10).
 */
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";
import { INVITATION_EXPIRY_DAYS } from "../alibaba/limits";
import { AlibabaApiError, withRetries } from "./errors";
import { nextTokenOf, rowsOf } from "./answers";
import { readAllPages } from "./paging";
import { ApiSettings } from "./settings";

const VERSION = "2020-01-10";

/** An invitation this account received to a resource share. */
export interface Invitation {
    readonly invitationId: string;
    readonly resourceShareId: string;
    readonly senderAccountId?: string;
    /** `Pending`, `Accepted`, `Rejected` or `Expired`. */
    readonly status: string;
}

function client(settings: ApiSettings): OpenApi {
    return new OpenApi(
        new $OpenApiUtil.Config({
            credential: settings.credential,
            regionId: settings.region,
            endpoint: settings.endpoint ?? `resourcesharing.${settings.region}.aliyuncs.com`,
            protocol: settings.protocol,
            readTimeout: settings.timeoutMs,
            connectTimeout: settings.timeoutMs,
            signatureAlgorithm: "v2",
        }),
    );
}

async function call(settings: ApiSettings, action: string, resource: string, query: Record<string, unknown>): Promise<Record<string, unknown>> {
    const api = client(settings);
    const params = new $OpenApiUtil.Params({ action, version: VERSION, protocol: settings.protocol.toUpperCase(), pathname: "/", method: "POST", authType: "AK", style: "RPC", reqBodyType: "formData", bodyType: "json" });
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
    const response = await withRetries(action, resource, settings, () => api.callApi(params, request, new $dara.RuntimeOptions({})));
    return (response.body ?? {}) as Record<string, unknown>;
}

/** The largest page of invitations asked for. */
const INVITATIONS_PER_PAGE = 100;
/** The most pages of invitations to one share read before giving up (an account has a handful). */
const MAX_INVITATION_PAGES = 1_000;

/** The invitations this account received for a share (every page; pages that do not add up are an error, never a loop). */
export async function listInvitations(settings: ApiSettings, resourceShareId: string): Promise<Invitation[]> {
    const text = (v: unknown): string => (typeof v === "string" ? v : "");
    return readAllPages<Invitation>({
        action: "ListResourceShareInvitations",
        resource: `invitations to resource share ${resourceShareId}`,
        style: "token",
        pageSize: INVITATIONS_PER_PAGE,
        maxPages: MAX_INVITATION_PAGES,
        key: (i) => i.invitationId,
        fetch: async ({ number, token }) => {
            const resource = `resource share ${resourceShareId}`;
            const body = await call(settings, "ListResourceShareInvitations", resource, { ResourceShareIds: [resourceShareId], MaxResults: INVITATIONS_PER_PAGE, NextToken: token });
            const requestId = typeof body.RequestId === "string" ? body.RequestId : undefined;
            // An answer without its list (which would read as "no invitation": inside a directory, success) or with
            // rows that are not objects, a NextToken that is not a string: refused, never read as fewer invitations.
            const page = `invitations to ${resource}, page ${number}`;
            const rows = rowsOf(body.ResourceShareInvitations, "ResourceShareInvitations", "ListResourceShareInvitations", page, requestId);
            return {
                items: rows.map((i) => ({
                    invitationId: text(i.ResourceShareInvitationId),
                    resourceShareId: text(i.ResourceShareId),
                    ...(typeof i.SenderAccountId === "string" ? { senderAccountId: i.SenderAccountId } : {}),
                    status: text(i.Status),
                })),
                nextToken: nextTokenOf(body.NextToken, "ListResourceShareInvitations", page, requestId),
                requestId,
            };
        },
    });
}

/** Accepts one invitation; returns its status afterwards. */
export async function acceptInvitation(settings: ApiSettings, invitationId: string): Promise<string> {
    const body = await call(settings, "AcceptResourceShareInvitation", `invitation ${invitationId}`, { ResourceShareInvitationId: invitationId });
    return ((body.ResourceShareInvitation as Record<string, string> | undefined)?.Status as string | undefined) ?? "Accepted";
}

/**
 * Makes sure this account has joined a share: accepts a pending invitation; an accepted one, or none inside a
 * resource directory where sharing is accepted automatically, is success. An accept whose answer was lost, retried
 * and refused because the invitation is already accepted (`InvalidStatus…`) is success too, once a new listing shows
 * it accepted. An expired or rejected invitation, or no invitation for an account outside the directory, is an error
 * saying what the owner must do.
 */
export async function ensureAccepted(settings: ApiSettings, resourceShareId: string, options: { insideResourceDirectory: boolean }): Promise<{ status: string; invitationId?: string }> {
    const invitations = await listInvitations(settings, resourceShareId);
    const accepted = invitations.find((i) => i.status === "Accepted");
    if (accepted !== undefined) {
        return { status: "Accepted", invitationId: accepted.invitationId };
    }
    const pending = invitations.find((i) => i.status === "Pending");
    if (pending !== undefined) {
        try {
            return { status: await acceptInvitation(settings, pending.invitationId), invitationId: pending.invitationId };
        } catch (e) {
            if (!(e instanceof AlibabaApiError && /^InvalidStatus/.test(e.code))) {
                throw e;
            }
            const now = (await listInvitations(settings, resourceShareId)).find((i) => i.invitationId === pending.invitationId);
            if (now?.status !== "Accepted") {
                throw e;
            }
            return { status: "Accepted", invitationId: pending.invitationId };
        }
    }
    const last = invitations[invitations.length - 1];
    if (last !== undefined) {
        throw new Error(
            `the invitation ${last.invitationId} to resource share ${resourceShareId} is ${last.status}: invitations expire after ${INVITATION_EXPIRY_DAYS} days (C13). ` +
                `Ask the owner${last.senderAccountId ? ` (account ${last.senderAccountId})` : ""} to remove this account from the share's targets and add it again, which sends a new invitation.`,
        );
    }
    if (options.insideResourceDirectory) {
        return { status: "Associated" };
    }
    throw new Error(
        `this account has no invitation to resource share ${resourceShareId}. Ask the owner to add this account as a target of the share ` +
            "(with external targets allowed when the account is outside the owner's resource directory), or set insideResourceDirectory when shares in your directory are accepted automatically.",
    );
}
