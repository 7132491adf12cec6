/**
 * The audit's clients: Alibaba's official SDK clients (ECS and RAM packages, the KMS package's RPC client, the generic
 * OpenAPI client for Resource Sharing and STS), each with a guard at its request entry point that refuses any action
 * not on the read-only list before it is signed, counts the request, and waits for a slot of the shared concurrency
 * limit. Every call is retried on throttling, 5xx, unreadable answers and network errors with jittered backoff
 * (`withRetries`), and fails as a redacted `AlibabaApiError`.
 */
import Ecs from "@alicloud/ecs20140526";
import KmsClient from "@alicloud/kms20160120";
import OpenApi, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import Ram from "@alicloud/ram20150501";
import * as $dara from "@darabonba/typescript";
import { AlibabaApiError, withRetries } from "../sdk/errors";
import { DEFAULT_MAX_PAGES } from "../sdk/paging";
import { ApiSettings } from "../sdk/settings";
import { API_VERSIONS, AuditProduct, assertReadOnly } from "./actions";

/** Runs at most `max` tasks at a time; the others wait their turn, first come first served. */
export class Limiter {
    private active = 0;
    private readonly waiting: (() => void)[] = [];
    /** The most tasks that ever ran at once. */
    peak = 0;

    /** @param max how many tasks may run at once (at least 1). */
    constructor(readonly max: number) {
        if (!Number.isInteger(max) || max < 1) {
            throw new RangeError(`the concurrency must be a whole number of at least 1, not ${max}`);
        }
    }

    /** Runs `task` when a slot is free; a finished task hands its slot to the next waiting one. */
    async run<T>(task: () => Promise<T>): Promise<T> {
        if (this.active < this.max) {
            this.active++;
        } else {
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        }
        this.peak = Math.max(this.peak, this.active);
        try {
            return await task();
        } finally {
            const next = this.waiting.shift();
            if (next === undefined) {
                this.active--;
            } else {
                next();
            }
        }
    }
}

/** Maps every item with `fn`, all started at once; the limiter of the clients bounds what runs. */
export const mapAll = <T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> => Promise.all(items.map(fn));

/** The requests sent (each attempt counts, retries included), by `product:Action`. */
export class RequestLog {
    private readonly counts = new Map<string, number>();

    /** Counts one request. */
    count(product: AuditProduct, action: string): void {
        const key = `${product}:${action}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }

    /** How many requests were sent. */
    get total(): number {
        let n = 0;
        this.counts.forEach((c) => (n += c));
        return n;
    }

    /** The counts by `product:Action`, sorted by key. */
    byAction(): Record<string, number> {
        return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    }
}

/** How far the reading has come: requests sent, answers awaited, list items read. */
export interface ReadProgress {
    /** Requests sent (each attempt counts). */
    readonly requests: number;
    /** Requests sent and not answered yet. */
    readonly inFlight: number;
    /** Items of paged lists read. */
    readonly items: number;
}

/** When the whole audit must be over: requests past it are not sent, and none waits beyond it. */
export interface Deadline {
    /** The time (`Date.now()`) it falls at. */
    readonly at: number;
    /** How long it was, in milliseconds (for the message). */
    readonly ms: number;
}

/** The error of a request the deadline stopped, or of the audit the deadline ended. */
export function deadlineError(deadline: Deadline, progress: ReadProgress, waitingFor: readonly string[]): AlibabaApiError {
    const seconds = deadline.ms / 1000;
    const waiting = waitingFor.length === 0 ? "" : ` (${waitingFor.slice(0, 3).join(", ")}${waitingFor.length > 3 ? ` and ${waitingFor.length - 3} more` : ""})`;
    return new AlibabaApiError({
        action: "audit",
        resource: "the account",
        code: "DeadlineExceeded",
        detail: `the audit did not finish within its deadline of ${seconds} s: ${progress.requests} requests sent, ${progress.inFlight} unanswered${waiting}, ${progress.items} list items read`,
        fix: "Raise the deadline (--deadline), read fewer regions (--region), or check that the endpoint answers.",
        retryable: false,
    });
}

/** What the readers call through. */
export interface AuditContext {
    /** Where and how patiently to call; the credential source (its values are read per request). */
    readonly settings: ApiSettings;
    readonly limiter: Limiter;
    readonly log: RequestLog;
    /** The most pages one list may take. */
    readonly maxPages: number;
    /** When the audit must be over, if it must. */
    readonly deadline?: Deadline;
    /** How far the reading has come. */
    readonly progress: ReadProgress;
    /** The requests awaiting an answer, as `product:Action (region)`. */
    waiting(): string[];
    /** Counts list items read (paging calls it after each page). */
    itemsRead(n: number): void;
    /** What was not read because an answer was not valid (readers add to it; the read reports it). */
    readonly incomplete: string[];
    /** The guarded ECS client of a region. */
    ecs(region: string): Ecs;
    /** The guarded RAM client (RAM is global). */
    ram(): Ram;
    /** The guarded KMS client of a region. */
    kms(region: string): KmsClient;
    /** The guarded generic OpenAPI client of Resource Sharing in a region, or of STS or the resource directory (global). */
    openApi(product: OpenApiProduct, region: string): OpenApi;
    /**
     * The context of another credential (a member account's session): the same limiter, request log, deadline and
     * progress, clients of its own, and its own list of what was not read.
     */
    withCredential(credential: ApiSettings["credential"]): AuditContext;
}

/** The products called through the generic OpenAPI client (no SDK package of theirs is used). */
export type OpenApiProduct = "resourcesharing" | "sts" | "resourcedirectorymaster";
/** The global products: one endpoint, no `RegionId`. */
const GLOBAL_PRODUCTS: ReadonlySet<AuditProduct> = new Set(["ram", "sts", "resourcedirectorymaster"]);

const ENDPOINTS: Readonly<Record<AuditProduct, (region: string) => string>> = {
    ecs: (r) => `ecs.${r}.aliyuncs.com`,
    resourcesharing: (r) => `resourcesharing.${r}.aliyuncs.com`,
    ram: () => "ram.aliyuncs.com",
    kms: (r) => `kms.${r}.aliyuncs.com`,
    sts: () => "sts.aliyuncs.com",
    resourcedirectorymaster: () => "resourcedirectory.aliyuncs.com",
};

/** The SDK config of a product in a region: the credential source, the endpoint (or the override), timeouts, RPC signing. */
function configOf(settings: ApiSettings, product: AuditProduct, region: string): $OpenApiUtil.Config {
    return new $OpenApiUtil.Config({
        credential: settings.credential,
        regionId: region,
        endpoint: settings.endpoint ?? ENDPOINTS[product](region),
        protocol: settings.protocol,
        readTimeout: settings.timeoutMs,
        connectTimeout: settings.timeoutMs,
        signatureAlgorithm: "v2",
    });
}

type CallApi = OpenApi["callApi"];
type KmsConfig = ConstructorParameters<typeof KmsClient>[0];

/**
 * What every guarded request goes through once it has a concurrency slot: refused past the deadline, counted, its
 * wait for an answer cut to the time the deadline leaves, tracked while in flight.
 */
interface Gate {
    /** Sends through `send` with the read timeout it may have; what it answers. */
    pass<T>(product: AuditProduct, action: string, region: string, send: (timeoutMs: number) => Promise<T>): Promise<T>;
}

/** Installs the guard on an OpenAPI-based client: allow-list, concurrency slot, gate. */
function guardOpenApi<C extends OpenApi>(client: C, product: AuditProduct, region: string, limiter: Limiter, gate: Gate): C {
    const send: CallApi = client.callApi.bind(client);
    client.callApi = async (params, request, runtime) => {
        assertReadOnly(product, params.action, params.version);
        return limiter.run(() =>
            gate.pass(product, params.action, region, (timeoutMs) => {
                runtime.readTimeout = timeoutMs;
                runtime.connectTimeout = timeoutMs;
                return send(params, request, runtime);
            }),
        );
    };
    return client;
}

/** What the KMS package's RPC client throws for an API error: the code suffixed with `Error`, the answer in `data`. */
interface TeaError {
    readonly code?: string;
    readonly message?: string;
    readonly data?: Record<string, unknown>;
}

/**
 * The KMS package's API errors in the shape the other SDK clients throw (the API's code, the HTTP status, the request
 * id), so that retries and `AlibabaApiError`s treat them alike. Other errors pass unchanged.
 */
export function normalizeRpcError(error: unknown): unknown {
    const e = error as TeaError | undefined;
    const code = e?.data?.Code;
    if (typeof code !== "string") {
        return error;
    }
    const status = /\bcode: (\d{3}),/.exec(e?.message ?? "")?.[1];
    const statusCode = status === undefined ? undefined : Number(status);
    return {
        name: "ResponseError",
        code,
        statusCode,
        requestId: e?.data?.RequestId,
        message: typeof e?.data?.Message === "string" ? e.data.Message : e?.message,
        data: { ...e?.data, statusCode },
    };
}

/** Installs the guard on the KMS package's RPC client. */
function guardKms(client: KmsClient, region: string, limiter: Limiter, gate: Gate): KmsClient {
    const send = client.doRequest.bind(client);
    client.doRequest = async (action, protocol, method, version, authType, query, body, runtime) => {
        assertReadOnly("kms", action, version);
        return limiter.run(() =>
            gate.pass("kms", action, region, async (timeoutMs) => {
                try {
                    return await send(action, protocol, method, version, authType, query, body, { ...runtime, readTimeout: timeoutMs, connectTimeout: timeoutMs } as typeof runtime);
                } catch (e) {
                    throw normalizeRpcError(e);
                }
            }),
        );
    };
    return client;
}

/** How the context reads, besides the API settings. */
export interface ContextOptions {
    /** The most pages one list may take. Defaults to {@link DEFAULT_MAX_PAGES}. */
    readonly maxPages?: number;
    /** When the audit must be over. */
    readonly deadline?: Deadline;
    /** Called when a request is answered and after each page read. */
    readonly onProgress?: (progress: ReadProgress) => void;
}

/** What every context of one audit shares: the concurrency limit, the request log, the gate, the progress. */
interface Shared {
    readonly limiter: Limiter;
    readonly log: RequestLog;
    readonly gate: Gate;
    readonly progress: ReadProgress;
    readonly waiting: () => string[];
    readonly itemsRead: (n: number) => void;
    readonly maxPages: number;
    readonly deadline?: Deadline;
}

/** Builds the context: guarded clients, made once per product and region. */
export function auditContext(settings: ApiSettings, concurrency: number, options: ContextOptions = {}): AuditContext {
    const limiter = new Limiter(concurrency);
    const log = new RequestLog();
    const inFlight = new Map<number, string>();
    let sequence = 0;
    let items = 0;
    const progress: ReadProgress = {
        get requests() {
            return log.total;
        },
        get inFlight() {
            return inFlight.size;
        },
        get items() {
            return items;
        },
    };
    const waiting = () => [...inFlight.values()];
    const { deadline } = options;
    const gate: Gate = {
        async pass(product, action, region, send) {
            const left = deadline === undefined ? Infinity : deadline.at - Date.now();
            if (left <= 0) {
                throw deadlineError(deadline!, progress, waiting());
            }
            log.count(product, action);
            const id = ++sequence;
            inFlight.set(id, `${product}:${action} (${region})`);
            try {
                return await send(Math.max(1, Math.min(settings.timeoutMs, left)));
            } finally {
                inFlight.delete(id);
                options.onProgress?.(progress);
            }
        },
    };
    const itemsRead = (n: number) => {
        items += n;
        options.onProgress?.(progress);
    };
    return contextOf(settings, { limiter, log, gate, progress, waiting, itemsRead, maxPages: options.maxPages ?? DEFAULT_MAX_PAGES, deadline });
}

/** A context of one credential over what the audit shares. */
function contextOf(settings: ApiSettings, shared: Shared): AuditContext {
    const { limiter, log, gate, progress, waiting, itemsRead, maxPages, deadline } = shared;
    const cache = new Map<string, unknown>();
    const once = <T>(key: string, make: () => T): T => {
        if (!cache.has(key)) {
            cache.set(key, make());
        }
        return cache.get(key) as T;
    };
    return {
        settings,
        limiter,
        log,
        maxPages,
        deadline,
        progress,
        waiting,
        itemsRead,
        incomplete: [],
        withCredential: (credential) => contextOf({ ...settings, credential }, shared),
        ecs: (region) => once(`ecs:${region}`, () => guardOpenApi(new Ecs(configOf(settings, "ecs", region)), "ecs", region, limiter, gate)),
        ram: () => once("ram", () => guardOpenApi(new Ram(configOf(settings, "ram", settings.region)), "ram", "global", limiter, gate)),
        kms: (region) =>
            once(`kms:${region}`, () => {
                const c = configOf(settings, "kms", region);
                return guardKms(
                    // The package's RPC client reads its config as a plain map (its Config model is not exported by the package).
                    new KmsClient({ credential: settings.credential, regionId: region, endpoint: c.endpoint, protocol: settings.protocol, readTimeout: settings.timeoutMs, connectTimeout: settings.timeoutMs } as unknown as KmsConfig),
                    region,
                    limiter,
                    gate,
                );
            }),
        openApi: (product, region) => once(`${product}:${region}`, () => guardOpenApi(new OpenApi(configOf(settings, product, region)), product, GLOBAL_PRODUCTS.has(product) ? "global" : region, limiter, gate)),
    };
}

/**
 * One RPC call through the generic OpenAPI client (Resource Sharing, STS), retried; the answer's JSON body. Regional
 * products get `RegionId`, which names the region the call is about.
 */
export async function rpc(ctx: AuditContext, product: OpenApiProduct, region: string, action: string, resource: string, query: Record<string, unknown>): Promise<Record<string, unknown>> {
    const api = ctx.openApi(product, region);
    const params = new $OpenApiUtil.Params({
        action,
        version: API_VERSIONS[product],
        protocol: ctx.settings.protocol.toUpperCase(),
        pathname: "/",
        method: "POST",
        authType: "AK",
        style: "RPC",
        reqBodyType: "formData",
        bodyType: "json",
    });
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(GLOBAL_PRODUCTS.has(product) ? query : { RegionId: region, ...query }) });
    const response = await withRetries(action, resource, ctx.settings, () => api.callApi(params, request, new $dara.RuntimeOptions({})));
    return (response.body ?? {}) as Record<string, unknown>;
}
