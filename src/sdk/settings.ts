/**
 * How the sharee-side providers reach Alibaba Cloud: credentials from the standard environment variables or the
 * stack's `alicloud:` config, read when the provider runs and never part of a resource's inputs or state.
 */
export interface ApiSettings {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly securityToken?: string;
    readonly region: string;
    /** An endpoint override (`host:port`), for tests against a local emulator. */
    readonly endpoint?: string;
    /** `https` (default) or `http` (the emulator). */
    readonly protocol: string;
    /** Per request, in milliseconds. */
    readonly timeoutMs: number;
    /** Retries on throttling, 5xx and network errors, with exponential backoff. */
    readonly maxRetries: number;
    /** The first backoff delay, doubled on each retry, in milliseconds. */
    readonly retryBaseDelayMs: number;
}

/** Where settings come from: the environment and the stack's `alicloud:` config, and what the resource says. */
export interface SettingsSources {
    readonly env: Readonly<Record<string, string | undefined>>;
    /** `alicloud:` config values (`accessKey`, `secretKey`, `securityToken`, `region`). */
    readonly alicloudConfig?: Readonly<Record<string, string | undefined>>;
    readonly region?: string;
    readonly endpoint?: string;
    readonly timeoutMs?: number;
    readonly maxRetries?: number;
}

/** Resolves the settings; a missing credential or region is an error that says where to put it. */
export function apiSettings(sources: SettingsSources): ApiSettings {
    const config = sources.alicloudConfig ?? {};
    const accessKeyId = sources.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? config.accessKey;
    const accessKeySecret = sources.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? config.secretKey;
    const region = sources.region ?? config.region ?? sources.env.ALIBABA_CLOUD_REGION_ID;
    const missing = [
        ...(accessKeyId ? [] : ["an AccessKey id (ALIBABA_CLOUD_ACCESS_KEY_ID or alicloud:accessKey)"]),
        ...(accessKeySecret ? [] : ["an AccessKey secret (ALIBABA_CLOUD_ACCESS_KEY_SECRET or alicloud:secretKey)"]),
        ...(region ? [] : ["a region (the resource's region argument or alicloud:region)"]),
    ];
    if (missing.length > 0) {
        throw new Error(`cannot call Alibaba Cloud: missing ${missing.join(", ")}.`);
    }
    return {
        accessKeyId: accessKeyId!,
        accessKeySecret: accessKeySecret!,
        securityToken: sources.env.ALIBABA_CLOUD_SECURITY_TOKEN ?? config.securityToken,
        region: region!,
        endpoint: sources.endpoint,
        protocol: sources.endpoint === undefined ? "https" : "http",
        timeoutMs: sources.timeoutMs ?? 30_000,
        maxRetries: sources.maxRetries ?? 5,
        retryBaseDelayMs: 200,
    };
}
