/**
 * Resource Sharing, as a sharee: finding and accepting the invitation to a share. The product has no SDK package
 * on the npm registry, so it is called through Alibaba's generic OpenAPI client (RPC style, version 2020-01-10).
 */
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";
import { INVITATION_EXPIRY_DAYS } from "../alibaba/limits";
import { AlibabaApiError, withRetries } from "./errors";
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

/** The invitations this account received for a share (every page). */
export async function listInvitations(settings: ApiSettings, resourceShareId: string): Promise<Invitation[]> {
    const found: Invitation[] = [];
    let nextToken: string | undefined;
    do {
        const body = await call(settings, "ListResourceShareInvitations", `resource share ${resourceShareId}`, { ResourceShareIds: [resourceShareId], MaxResults: 100, NextToken: nextToken });
        for (const i of (body.ResourceShareInvitations as Record<string, string>[] | undefined) ?? []) {
            found.push({ invitationId: i.ResourceShareInvitationId, resourceShareId: i.ResourceShareId, senderAccountId: i.SenderAccountId, status: i.Status });
        }
        nextToken = (body.NextToken as string | undefined) || undefined;
    } while (nextToken !== undefined);
    return found;
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
