/**
 * A local emulator of exactly the Alibaba Cloud API actions the sharee-side providers call, on 127.0.0.1. It checks
 * each request's RPC signature (HMAC-SHA1 with the secret it was given) and required parameters, keeps state as the
 * service does (snapshot copies that progress over polls, deletion), and injects faults on demand.
 */
import { createHmac } from "crypto";
import { AddressInfo } from "net";
import * as http from "http";

export const EMULATOR_KEY_ID = "LTAIemulatorKeyId01";
export const EMULATOR_KEY_SECRET = "emulator-secret-never-logged";

export type Fault = { readonly status: number; readonly code: string; readonly message: string };
export const THROTTLED: Fault = { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." };
export const UNAVAILABLE: Fault = { status: 503, code: "ServiceUnavailable", message: "The request has failed due to a temporary failure of the server." };

export interface EmulatedSnapshot {
    snapshotId: string;
    regionId: string;
    sourceSnapshotId?: string;
    kmsKeyId?: string;
    encrypted: boolean;
    /** Polls left before the copy is accomplished. */
    pollsLeft: number;
    willFail: boolean;
    clientToken?: string;
}

export interface EmulatedInvitation {
    invitationId: string;
    resourceShareId: string;
    senderAccountId: string;
    status: "Pending" | "Accepted" | "Rejected" | "Expired";
}

export interface Emulator {
    readonly endpoint: string;
    readonly snapshots: Map<string, EmulatedSnapshot>;
    readonly invitations: Map<string, EmulatedInvitation>;
    /** Every request, as received: action and parameters (the credential is never recorded beyond its id). */
    readonly requests: { action: string; params: Record<string, string> }[];
    /** Faults to answer the next calls of an action with, in order. */
    failNext(action: string, ...faults: Fault[]): void;
    /** How many polls the next copy takes, and whether it fails. */
    nextCopy(options: { polls: number; fails?: boolean }): void;
    /** Delays the next response of an action by this many milliseconds (a timeout on the client side). */
    delayNext(action: string, ms: number): void;
    stop(): Promise<void>;
}

const encode = (s: string): string =>
    encodeURIComponent(s).replace(/!/g, "%21").replace(/'/g, "%27").replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\*/g, "%2A");

/** The RPC signature of a request's parameters, as the service computes it. */
export function rpcSignature(method: string, params: Record<string, string>, secret: string): string {
    const canonical = Object.keys(params)
        .filter((k) => k !== "Signature")
        .sort()
        .map((k) => `${encode(k)}=${encode(params[k])}`)
        .join("&");
    return createHmac("sha1", `${secret}&`).update(`${method}&${encode("/")}&${encode(canonical)}`).digest("base64");
}

export async function startEmulator(): Promise<Emulator> {
    const snapshots = new Map<string, EmulatedSnapshot>();
    const invitations = new Map<string, EmulatedInvitation>();
    const requests: { action: string; params: Record<string, string> }[] = [];
    const faults = new Map<string, Fault[]>();
    const delays = new Map<string, number>();
    let nextCopy = { polls: 0, fails: false };
    let counter = 0;

    const reply = (res: http.ServerResponse, status: number, body: object) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ RequestId: `req-${++counter}`, ...body }));
    };
    const error = (res: http.ServerResponse, status: number, code: string, message: string) => reply(res, status, { Code: code, Message: message });

    const handlers: Record<string, (p: Record<string, string>, res: http.ServerResponse) => void> = {
        CopySnapshot: (p, res) => {
            for (const required of ["RegionId", "SnapshotId", "DestinationRegionId"]) {
                if (!p[required]) return error(res, 400, "MissingParameter", `${required} is mandatory for this action.`);
            }
            const source = snapshots.get(p.SnapshotId);
            if (source === undefined) return error(res, 404, "InvalidSnapshotId.NotFound", `The specified snapshot ${p.SnapshotId} does not exist.`);
            if (p.Encrypted === "true" && !p.KMSKeyId) return error(res, 400, "MissingParameter", "KMSKeyId is mandatory when Encrypted is true.");
            const existing = [...snapshots.values()].find((s) => p.ClientToken !== undefined && s.clientToken === p.ClientToken);
            if (existing !== undefined) return reply(res, 200, { SnapshotId: existing.snapshotId });
            const snapshotId = `s-copy${String(++counter).padStart(12, "0")}`;
            snapshots.set(snapshotId, {
                snapshotId,
                regionId: p.DestinationRegionId,
                sourceSnapshotId: p.SnapshotId,
                kmsKeyId: p.KMSKeyId,
                encrypted: p.Encrypted === "true",
                pollsLeft: nextCopy.polls,
                willFail: nextCopy.fails,
                clientToken: p.ClientToken,
            });
            nextCopy = { polls: 0, fails: false };
            reply(res, 200, { SnapshotId: snapshotId });
        },
        DescribeSnapshots: (p, res) => {
            const ids: string[] = p.SnapshotIds ? JSON.parse(p.SnapshotIds) : [];
            const found = ids.map((id) => snapshots.get(id)).filter((s): s is EmulatedSnapshot => s !== undefined && s.regionId === p.RegionId);
            const shown = found.map((s) => {
                const status = s.pollsLeft > 0 ? "progressing" : s.willFail ? "failed" : "accomplished";
                const progress = s.pollsLeft > 0 ? `${Math.round(100 / (s.pollsLeft + 1))}%` : "100%";
                if (s.pollsLeft > 0) s.pollsLeft--;
                return { SnapshotId: s.snapshotId, Status: status, Progress: progress, Encrypted: s.encrypted, KMSKeyId: s.kmsKeyId, SourceSnapshotId: s.sourceSnapshotId };
            });
            reply(res, 200, { TotalCount: shown.length, Snapshots: { Snapshot: shown } });
        },
        ListResourceShareInvitations: (p, res) => {
            const shareIds = Object.keys(p).filter((k) => /^ResourceShareIds\.\d+$/.test(k)).map((k) => p[k]);
            const all = [...invitations.values()].filter((i) => shareIds.length === 0 || shareIds.includes(i.resourceShareId));
            // One per page, so that callers must follow NextToken.
            const start = p.NextToken ? Number(p.NextToken) : 0;
            const page = all.slice(start, start + 1);
            reply(res, 200, {
                ResourceShareInvitations: page.map((i) => ({ ResourceShareInvitationId: i.invitationId, ResourceShareId: i.resourceShareId, SenderAccountId: i.senderAccountId, Status: i.status })),
                NextToken: start + 1 < all.length ? String(start + 1) : "",
            });
        },
        AcceptResourceShareInvitation: (p, res) => {
            const invitation = invitations.get(p.ResourceShareInvitationId);
            if (invitation === undefined) return error(res, 404, "EntityNotExists.ResourceShareInvitation", "The resource share invitation does not exist.");
            if (invitation.status !== "Pending") return error(res, 400, "InvalidStatus.ResourceShareInvitation", `The invitation is ${invitation.status}.`);
            invitation.status = "Accepted";
            reply(res, 200, { ResourceShareInvitation: { ResourceShareInvitationId: invitation.invitationId, Status: "Accepted" } });
        },
        DeleteSnapshot: (p, res) => {
            if (!snapshots.delete(p.SnapshotId)) return error(res, 404, "InvalidSnapshotId.NotFound", `The specified snapshot ${p.SnapshotId} does not exist.`);
            reply(res, 200, {});
        },
    };

    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://emulator");
            const params: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(body)) };
            const action = params.Action ?? "";
            requests.push({ action, params: { ...params, Signature: "(checked)" } });
            const respond = () => {
                if (params.AccessKeyId !== EMULATOR_KEY_ID) return error(res, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
                if (params.SignatureMethod !== "HMAC-SHA1" || params.Signature !== rpcSignature(req.method ?? "GET", params, EMULATOR_KEY_SECRET)) {
                    return error(res, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
                }
                const fault = faults.get(action)?.shift();
                if (fault !== undefined) return error(res, fault.status, fault.code, fault.message);
                const handler = handlers[action];
                if (handler === undefined) return error(res, 400, "InvalidAction.NotFound", `The emulator does not serve ${action}.`);
                handler(params, res);
            };
            const delay = delays.get(action);
            if (delay !== undefined) {
                delays.delete(action);
                setTimeout(respond, delay);
            } else {
                respond();
            }
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `127.0.0.1:${port}`,
        snapshots,
        invitations,
        requests,
        failNext: (action, ...f) => faults.set(action, [...(faults.get(action) ?? []), ...f]),
        nextCopy: (o) => (nextCopy = { polls: o.polls, fails: o.fails ?? false }),
        delayNext: (action, ms) => delays.set(action, ms),
        stop: () => new Promise((r) => server.close(() => r())),
    };
}
