/**
 * A local emulator of exactly the Alibaba Cloud API actions the sharee-side providers call, on 127.0.0.1. It checks
 * each request's RPC signature (HMAC-SHA1 with the secret it was given) and required parameters, keeps state as the
 * service does (snapshot copies that progress over polls, deletion), and injects faults on demand: API errors, a
 * gateway's HTML 502, a truncated 200, a reset connection, an error that echoes the request (signature, AccessKeyId,
 * SecurityToken and string-to-sign), before the request is served or after (the answer lost).
 */
import { createHmac } from "crypto";
import { AddressInfo } from "net";
import * as http from "http";

export const EMULATOR_KEY_ID = "LTAIemulatorKeyId01";
export const EMULATOR_KEY_SECRET = "emulator-secret-never-logged";

/** An STS token the tests hand the SDK (`ALIBABA_CLOUD_SECURITY_TOKEN`): the emulator accepts any token. */
export const EMULATOR_SECURITY_TOKEN = "CAISemulatorSecurityToken0123456789abcdef";

/** An answer instead of the real one: an API error (JSON), or a malformed answer of the given kind. */
export type Fault =
    | { readonly status: number; readonly code: string; readonly message: string }
    /** A gateway's HTML error page (502 Bad Gateway). */
    | { readonly kind: "html502" }
    /** A 200 whose JSON body is cut in the middle. */
    | { readonly kind: "truncated200" }
    /** The connection reset, no answer. */
    | { readonly kind: "reset" }
    /** A 400 SignatureDoesNotMatch whose message echoes the string-to-sign and the request as received (signature, AccessKeyId, SecurityToken). */
    | { readonly kind: "echo" };
export const THROTTLED: Fault = { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." };
export const UNAVAILABLE: Fault = { status: 503, code: "ServiceUnavailable", message: "The request has failed due to a temporary failure of the server." };
export const HTML_502: Fault = { kind: "html502" };
export const TRUNCATED_200: Fault = { kind: "truncated200" };
export const RESET: Fault = { kind: "reset" };
export const ECHO: Fault = { kind: "echo" };

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
    /**
     * Every request, as received: action and parameters (the secret is never sent; the signature is recorded apart,
     * in `signature`, so that tests can look for it where it must not be).
     */
    readonly requests: { action: string; params: Record<string, string>; signature: string }[];
    /** Faults to answer the next calls of an action with, in order, instead of serving them. */
    failNext(action: string, ...faults: Fault[]): void;
    /** Serves the next calls of an action, then answers each with the next of these faults instead (the answer lost). */
    loseAnswerOfNext(action: string, ...faults: Fault[]): void;
    /** Resolves once every delayed answer has been sent. */
    idle(): Promise<void>;
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
    const requests: { action: string; params: Record<string, string>; signature: string }[] = [];
    const faults = new Map<string, Fault[]>();
    const lostAnswers = new Map<string, Fault[]>();
    let pending = 0;
    let drained: (() => void)[] = [];
    const delays = new Map<string, number>();
    let nextCopy = { polls: 0, fails: false };
    let counter = 0;

    const reply = (res: http.ServerResponse, status: number, body: object) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ RequestId: `req-${++counter}`, ...body }));
    };
    const error = (res: http.ServerResponse, status: number, code: string, message: string) => reply(res, status, { Code: code, Message: message });
    /** Answers with a fault; `echo` needs the request as received. */
    const answerFault = (res: http.ServerResponse, fault: Fault, req: http.IncomingMessage, params: Record<string, string>) => {
        if (!("kind" in fault)) return error(res, fault.status, fault.code, fault.message);
        switch (fault.kind) {
            case "html502":
                res.writeHead(502, { "content-type": "text/html" });
                return res.end("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>Tengine</center></body></html>");
            case "truncated200": {
                res.writeHead(200, { "content-type": "application/json" });
                const full = JSON.stringify({ RequestId: `req-${++counter}`, SnapshotId: "s-cut", ResourceShareInvitation: { Status: "Accepted" } });
                return res.end(full.slice(0, Math.floor(full.length / 2)));
            }
            case "reset":
                return req.socket.destroy();
            case "echo": {
                const canonical = Object.keys(params).filter((k) => k !== "Signature").sort().map((k) => `${encode(k)}=${encode(params[k])}`).join("&");
                const stringToSign = `${req.method}&${encode("/")}&${encode(canonical)}`;
                return error(res, 400, "SignatureDoesNotMatch", `Specified signature is not matched with our calculation. server string to sign is:${stringToSign} The request was: ${req.method} ${req.url} ${JSON.stringify(params)}`);
            }
        }
    };

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
            requests.push({ action, params: { ...params, Signature: "(checked)" }, signature: params.Signature ?? "" });
            const respond = () => {
                if (params.AccessKeyId !== EMULATOR_KEY_ID) return error(res, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
                if (params.SignatureMethod !== "HMAC-SHA1" || params.Signature !== rpcSignature(req.method ?? "GET", params, EMULATOR_KEY_SECRET)) {
                    return error(res, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
                }
                const fault = faults.get(action)?.shift();
                if (fault !== undefined) return answerFault(res, fault, req, params);
                const handler = handlers[action];
                if (handler === undefined) return error(res, 400, "InvalidAction.NotFound", `The emulator does not serve ${action}.`);
                const lost = lostAnswers.get(action)?.shift();
                if (lost !== undefined) {
                    // Served, then the answer is replaced: what the caller sees is the fault.
                    handler(params, { writeHead: () => undefined, end: () => undefined } as unknown as http.ServerResponse);
                    return answerFault(res, lost, req, params);
                }
                handler(params, res);
            };
            const delay = delays.get(action);
            if (delay !== undefined) {
                delays.delete(action);
                pending++;
                setTimeout(() => {
                    respond();
                    if (--pending === 0) {
                        drained.forEach((r) => r());
                        drained = [];
                    }
                }, delay);
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
        loseAnswerOfNext: (action, ...f) => lostAnswers.set(action, [...(lostAnswers.get(action) ?? []), ...f]),
        idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((r) => drained.push(r))),
        nextCopy: (o) => (nextCopy = { polls: o.polls, fails: o.fails ?? false }),
        delayNext: (action, ms) => delays.set(action, ms),
        stop: () => new Promise((r) => server.close(() => r())),
    };
}
