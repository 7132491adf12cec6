/**
 * How the sharee-side providers reach Alibaba Cloud. Credentials are read when a provider runs, from the standard
 * environment variables or Alibaba's default credential chain (`@alicloud/credentials`); they are never a resource's
 * inputs, outputs or state, and never part of a serialized provider.
 */
import Credential, { StaticAKCredentialsProvider, StaticSTSCredentialsProvider } from "@alicloud/credentials";

/** Where and how patiently to call. Holds the credential source (not its values), resolved at each request. */
export interface ApiSettings {
    /**
     * The credential source the clients sign with: the environment's AccessKey pair when set, else Alibaba's default
     * credential chain. Resolved at each request (so an ECS RAM role's or OIDC session's renewals are picked up).
     */
    readonly credential: Credential;
    /** The region to call. */
    readonly region: string;
    /** An endpoint override (`host:port`), for tests against a local emulator. */
    readonly endpoint?: string;
    /** `https` (default) or `http` (the emulator). */
    readonly protocol: string;
    /** Per request, in milliseconds. */
    readonly timeoutMs: number;
    /** Retries on throttling, 5xx, unreadable answers and network errors, with exponential backoff and jitter. */
    readonly maxRetries: number;
    /** The first backoff delay, doubled on each retry, in milliseconds. */
    readonly retryBaseDelayMs: number;
    /** The longest backoff delay, in milliseconds. */
    readonly retryMaxDelayMs: number;
}

/** Where settings come from: the environment, and what the resource says. */
export interface SettingsSources {
    /**
     * The environment to read `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
     * `ALIBABA_CLOUD_SECURITY_TOKEN` and `ALIBABA_CLOUD_REGION_ID` from. Defaults to `process.env`. Without an AccessKey
     * pair in it, the default credential chain is used (which reads `process.env` itself).
     */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /**
     * @deprecated Only for providers serialized into a stack's state by versions before the credential chain, which
     * pass the stack's `alicloud:` config (`accessKey`, `secretKey`, `securityToken`, `region`). New providers never
     * pass it.
     */
    readonly alicloudConfig?: Readonly<Record<string, string | undefined>>;
    /** The region to call. Defaults to `ALIBABA_CLOUD_REGION_ID`. */
    readonly region?: string;
    /** An endpoint override (`host:port`, plain HTTP). */
    readonly endpoint?: string;
    /** Per request, in milliseconds. Defaults to 30,000. */
    readonly timeoutMs?: number;
    /** Retries of a request. Defaults to 5. */
    readonly maxRetries?: number;
    /** The first backoff delay, in milliseconds. Defaults to 200. */
    readonly retryBaseDelayMs?: number;
    /** The longest backoff delay, in milliseconds. Defaults to 20,000. */
    readonly retryMaxDelayMs?: number;
}

/** The AccessKey pair (and STS token) of the environment or the legacy config, else Alibaba's default credential chain. */
function credentialOf(env: Readonly<Record<string, string | undefined>>, legacy: Readonly<Record<string, string | undefined>>): Credential {
    const pairs = [
        [env.ALIBABA_CLOUD_ACCESS_KEY_ID, env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN],
        [legacy.accessKey, legacy.secretKey, legacy.securityToken],
    ];
    for (const [accessKeyId, accessKeySecret, securityToken] of pairs) {
        if (accessKeyId && accessKeySecret) {
            return new Credential(
                null,
                securityToken
                    ? StaticSTSCredentialsProvider.builder().withAccessKeyId(accessKeyId).withAccessKeySecret(accessKeySecret).withSecurityToken(securityToken).build()
                    : StaticAKCredentialsProvider.builder().withAccessKeyId(accessKeyId).withAccessKeySecret(accessKeySecret).build(),
            );
        }
    }
    // The default chain: environment, OIDC role, the aliyun CLI's profile, ~/.alibabacloud/credentials, the ECS
    // instance's RAM role, a credentials URI.
    return new Credential();
}

/**
 * Resolves the settings. The region comes from the resource, else `ALIBABA_CLOUD_REGION_ID`; a missing region is an
 * error that says where to put one. A missing credential shows at the first request (an `AlibabaApiError` with code
 * `NoCredentials`).
 */
export function apiSettings(sources: SettingsSources): ApiSettings {
    const env = sources.env ?? process.env;
    const legacy = sources.alicloudConfig ?? {};
    const region = sources.region || legacy.region || env.ALIBABA_CLOUD_REGION_ID;
    if (!region) {
        throw new Error("cannot call Alibaba Cloud: missing a region (the resource's region argument, the stack's alicloud:region, or ALIBABA_CLOUD_REGION_ID).");
    }
    return {
        credential: credentialOf(env, legacy),
        region,
        endpoint: sources.endpoint,
        protocol: sources.endpoint === undefined ? "https" : "http",
        timeoutMs: sources.timeoutMs ?? 30_000,
        maxRetries: sources.maxRetries ?? 5,
        retryBaseDelayMs: sources.retryBaseDelayMs ?? 200,
        retryMaxDelayMs: sources.retryMaxDelayMs ?? 20_000,
    };
}

/** The credential's values (to redact them from errors), or none when it cannot be resolved. */
export async function credentialValues(settings: Pick<ApiSettings, "credential">): Promise<string[]> {
    try {
        const c = await settings.credential.getCredential();
        return [c.accessKeyId, c.accessKeySecret, c.securityToken, c.bearerToken].filter((v): v is string => typeof v === "string" && v.length > 0);
    } catch {
        return [];
    }
}
