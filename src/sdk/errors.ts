/**
 * Retries and errors for Alibaba Cloud API calls: what failed, on what, and what to do, as data; never a credential,
 * an STS token, a signature or a string-to-sign.
 */
import { ApiSettings, credentialValues } from "./settings";

/** What the SDK's errors carry. */
interface SdkError {
    readonly name?: string;
    readonly code?: string;
    readonly statusCode?: number;
    readonly requestId?: string;
    readonly message?: string;
    readonly data?: { readonly Code?: string; readonly Message?: string; readonly RequestId?: string; readonly statusCode?: number };
}

/** The fields of an {@link AlibabaApiError}. */
export interface AlibabaApiErrorFields {
    /** The API action, e.g. `CopySnapshot`. */
    readonly action: string;
    /** What it acted on, e.g. `snapshot s-… (cn-hangzhou -> cn-shanghai)`. */
    readonly resource: string;
    /** The API's error code (`InvalidSnapshotId.NotFound`), or one of this SDK's (`InvalidResponse`, `RequestTimeout`, `NoCredentials`, `SnapshotCopyFailed`, …). */
    readonly code: string;
    /** What happened, in the API's words when it gave some; credentials, tokens, signatures and strings-to-sign redacted. */
    readonly detail: string;
    /** What to do about it. */
    readonly fix: string;
    /** Whether the same call may succeed later (throttling, a 5xx, an unreadable answer, the network). */
    readonly retryable: boolean;
    /** The API's request id, when it answered. */
    readonly requestId?: string;
    /** The HTTP status, when the API answered with one. */
    readonly statusCode?: number;
}

/**
 * A failed Alibaba Cloud call, as data: `action`, `resource`, `code`, `fix`, `retryable`, and when known `requestId`
 * and `statusCode`. The message reads `<action> on <resource> failed with <code>: <detail>. <fix>`. It never holds
 * the SDK's error (whose request and response may carry credentials).
 */
export class AlibabaApiError extends Error {
    /** The API action, e.g. `CopySnapshot`. */
    readonly action: string;
    /** What it acted on. */
    readonly resource: string;
    /** The API's error code, or one of this SDK's. */
    readonly code: string;
    /** What happened, redacted. */
    readonly detail: string;
    /** What to do about it. */
    readonly fix: string;
    /** Whether the same call may succeed later. */
    readonly retryable: boolean;
    /** The API's request id, when it answered. */
    readonly requestId?: string;
    /** The HTTP status, when the API answered with one. */
    readonly statusCode?: number;

    constructor(fields: AlibabaApiErrorFields) {
        super(`${fields.action} on ${fields.resource} failed with ${fields.code}: ${fields.detail.replace(/\.+$/, "")}. ${fields.fix}`);
        this.name = "AlibabaApiError";
        this.action = fields.action;
        this.resource = fields.resource;
        this.code = fields.code;
        this.detail = fields.detail;
        this.fix = fields.fix;
        this.retryable = fields.retryable;
        if (fields.requestId !== undefined) this.requestId = fields.requestId;
        if (fields.statusCode !== undefined) this.statusCode = fields.statusCode;
    }
}

/** Whether an answer could not be read as the API's JSON: an HTML page from a gateway, a truncated body. */
const isUnreadable = (e: SdkError): boolean => e.name === "SyntaxError" && /JSON/i.test(e.message ?? "");
const isTimeout = (e: SdkError): boolean => e.name === "RequestTimeoutError" || /^(ReadTimeout|ConnectTimeout)\(/.test(e.message ?? "");

function codeOf(e: SdkError): string {
    if (e.code ?? e.data?.Code) return (e.code ?? e.data?.Code)!;
    if (isUnreadable(e)) return "InvalidResponse";
    if (isTimeout(e)) return "RequestTimeout";
    return "Unknown";
}
const statusOf = (e: SdkError): number | undefined => e.statusCode ?? e.data?.statusCode;

/** Whether an error is worth retrying: throttling, a 5xx, an answer that is not the API's JSON, or the network. */
export function isRetryable(error: unknown): boolean {
    if (error instanceof AlibabaApiError) {
        return error.retryable;
    }
    const e = (error ?? {}) as SdkError;
    const code = e.code ?? e.data?.Code ?? "";
    const status = statusOf(e);
    return (
        /^Throttling/.test(code) ||
        code === "ServiceUnavailable" ||
        code === "InternalError" ||
        (status !== undefined && status >= 500) ||
        isUnreadable(e) ||
        isTimeout(e) ||
        /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN)$/.test(code) ||
        /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|timeout/i.test(e.message ?? "")
    );
}

/** The fix for the API error codes the providers meet. */
const FIXES: Record<string, string> = {
    "InvalidSnapshotId.NotFound": "Check the snapshot id and that it is in this region (and, if shared with you, that the share was accepted).",
    "InvalidKMSKeyId.NotFound": "Check the KMS key id and that the key is in the destination region.",
    "InvalidKmsKeyId.NotFound": "Check the KMS key id and that the key is in the destination region.",
    "Forbidden.RAM": "Grant the caller the ECS / Resource Sharing action in RAM.",
    Forbidden: "Grant the caller the ECS / Resource Sharing action in RAM.",
    "InvalidAccessKeyId.NotFound": "Check the AccessKey id (ALIBABA_CLOUD_ACCESS_KEY_ID, or the credential chain's profile or role).",
    "InvalidAccessKeyId.Inactive": "The AccessKey is disabled: enable it or use another (ALIBABA_CLOUD_ACCESS_KEY_ID).",
    SignatureDoesNotMatch: "Check ALIBABA_CLOUD_ACCESS_KEY_SECRET (or the secret of the credential chain's profile).",
    "InvalidSecurityToken.Expired": "The STS token expired: renew ALIBABA_CLOUD_SECURITY_TOKEN with its AccessKey pair.",
    "InvalidSecurityToken.MismatchWithAccessKey": "ALIBABA_CLOUD_SECURITY_TOKEN belongs to another AccessKey pair: set the three together.",
    "QuotaExceed.Snapshot": "Delete unused snapshots or raise the snapshot quota.",
    RequestTimeout: "The service did not answer in time, even after retries: check the endpoint and the network, or allow a longer timeout.",
    InvalidResponse: "The service kept answering with something other than the API's JSON (a gateway's error page, or a cut-off answer); try again later.",
    NoCredentials:
        "Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS), or give Alibaba's default credential chain a source: " +
        "a profile (~/.alibabacloud/credentials or the aliyun CLI's, chosen with ALIBABA_CLOUD_PROFILE), an OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE), or the ECS instance's RAM role.",
};

const REDACTED = "[redacted]";
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Request parameters and headers whose values are credentials or signatures, in any case. */
const SECRET_KEYS = "AccessKeyId|AccessKeySecret|SecurityToken|Signature|BearerToken|Credential|x-acs-security-token|x-acs-accesskey-id|x-acs-signature|x-acs-bearer-token|Authorization";
/** A quote, plain or escaped (JSON inside a string). */
const QUOTE = `(?:\\\\?["'])`;
/** `Key=value`, URL-encoded once or twice (`Key%3Dvalue%26`), or as JSON (`"Key":"value"`, escaped or not), spaced or not. */
const SECRET_PARAM = new RegExp(
    `(?<![A-Za-z-])(${SECRET_KEYS})(\\s*(?:=|%3D|%253D)\\s*|${QUOTE}?\\s*:\\s*${QUOTE}?)((?!\\[redacted\\])(?:(?!%26|%2526)[^&\\s"',;}\\\\])+)`,
    "gi",
);
/** A string-to-sign, labelled (`string to sign is:`, `StringToSign: "…"`, `"stringToSign":"…"`): the label kept, the rest of the value redacted. */
const STRING_TO_SIGN = new RegExp(`(string[\\s_-]*to[\\s_-]*sign(?:\\s+is)?${QUOTE}?\\s*[:=]?\\s*${QUOTE}?)(?:(?!\\\\?["'])\\S)+`, "gi");
/** A string-to-sign unlabelled: the canonical request of RPC signing (`POST&%2F&…`), or the ACS3 form (algorithm, then a SHA-256). */
const BARE_STRING_TO_SIGN = /\b(?:(?:GET|POST|PUT|DELETE|HEAD|PATCH)&%2F&\S*|ACS3-[A-Z0-9-]+\s+[0-9a-f]{64})/g;
/** Characters that mask part of a value (`LTAI5t****`, `AKIDex…`). */
const MASK = /[*…]|\.\.\./;

/**
 * A known secret's cut or masked forms in a text: a run of the characters a credential is made of that begins with
 * the secret's first four characters and is masked or a piece of it (ten characters or more: a word of the text is
 * not), or a masked run that ends with its last four.
 */
function secretFragments(text: string, secret: string): string[] {
    if (secret.length < 8) {
        return [];
    }
    const head = secret.slice(0, 4);
    const tail = secret.slice(-4);
    return (text.match(/[A-Za-z0-9+/=._*…-]+/g) ?? []).filter((run) => {
        const bare = run.replace(/[*…]+|\.{3}/g, "");
        const masked = MASK.test(run);
        return (run.startsWith(head) && (masked || (run.length >= 10 && secret.startsWith(run)))) || (masked && run.endsWith(tail) && secret.endsWith(bare));
    });
}

/**
 * A signature's value after the word, in any case and however it is set off: `Signature=`, `signature: `,
 * `"SIGNATURE" : "`, `<Signature>`, URL-encoded once or twice (`Signature%3D`, `Signature%253D`, `%22%3A%22`), HTML
 * entities. `SignatureMethod`, `SignatureVersion` and `SignatureNonce` are other parameters (no separator follows the word).
 */
const SIGNATURE_VALUE = /(?<![A-Za-z])(signature)((?:\s*(?:=|:|>|%3D|%253D|%3A|%253A|%3E|%253E|%22|%2522|&gt;|&#61;|&#x3D;|&quot;|\\?["']))+\s*)((?!\[redacted\])[^\s&"'<>,;}\\:=][^\s&"'<>,;}\\:]*)/gi;
/**
 * A request signature by its shape, wherever it stands: the base64 of an HMAC-SHA1 (27 characters and `=`, the RPC
 * signature) or of an HMAC-SHA256 (43 and `=`), raw or URL-encoded once or twice.
 */
const SIGNATURE_SHAPE = /(?<![A-Za-z0-9+/%])(?:(?:[A-Za-z0-9+/]|%2B|%2F|%252B|%252F){43}|(?:[A-Za-z0-9+/]|%2B|%2F|%252B|%252F){27})(?:=|%3D|%253D)(?![A-Za-z0-9+/=%])/gi;

/**
 * Text made safe to show: the given secret values (raw or URL-encoded), URL query strings, strings-to-sign, the
 * values of credential and signature parameters, signatures by their shape, and AccessKey ids, STS tokens and `acs`
 * authorizations by shape, each replaced by `[redacted]`.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
    let out = text;
    const forms = new Set<string>();
    for (const s of secrets) {
        if (s.length >= 4) {
            for (const f of [s, encodeURIComponent(s), rfc3986(s), encodeURIComponent(encodeURIComponent(s)), rfc3986(rfc3986(s))]) forms.add(f);
        }
    }
    for (const f of [...forms].sort((a, b) => b.length - a.length)) {
        out = out.replace(new RegExp(escapeRegExp(f), "g"), REDACTED);
    }
    for (const fragment of secrets.flatMap((s) => secretFragments(out, s)).sort((a, b) => b.length - a.length)) {
        out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(fragment)}(?![A-Za-z0-9])`, "g"), REDACTED);
    }
    return out
        .replace(STRING_TO_SIGN, `$1${REDACTED}`)
        .replace(BARE_STRING_TO_SIGN, REDACTED)
        .replace(/(\bhttps?:\/\/[^\s?#"'<>]*)\?[^\s"'<>]*/gi, `$1?${REDACTED}`)
        .replace(/\bacs\s+[^\s:"']+:[^\s"',]+/g, REDACTED)
        .replace(SECRET_PARAM, `$1$2${REDACTED}`)
        .replace(SIGNATURE_VALUE, `$1$2${REDACTED}`)
        .replace(SIGNATURE_SHAPE, REDACTED)
        .replace(/\b(?:LTAI[0-9A-Za-z*…]*|STS\.[0-9A-Za-z]{8,}|CAIS[0-9A-Za-z+/=_%-]{16,})/g, REDACTED);
}

/**
 * An {@link AlibabaApiError} naming the action, the resource, the API's code and message, and the fix. `secrets`
 * (the credential's values) are redacted besides everything shaped like a credential or a signature.
 */
export function apiError(action: string, resource: string, error: unknown, secrets: readonly string[] = []): AlibabaApiError {
    if (error instanceof AlibabaApiError) {
        return error;
    }
    const e = (error ?? {}) as SdkError;
    const code = codeOf(e);
    const retryable = isRetryable(error);
    const raw = e.data?.Message ?? e.message ?? String(error);
    const detail = code === "InvalidResponse" ? `the answer was not the API's JSON (${redact(raw, secrets)})` : redact(raw, secrets);
    const fix = FIXES[code] ?? (retryable ? "The service kept failing after retries; try again later." : "See the API's message above.");
    const requestId = e.requestId ?? e.data?.RequestId;
    return new AlibabaApiError({ action, resource, code: redact(code, secrets), detail, fix, retryable, requestId, statusCode: statusOf(e) });
}

/**
 * The wait before retry number `attempt` (0 for the first retry): exponential (`base * 2^attempt`, at most `max`),
 * with jitter, between half and all of it (`random` in [0, 1)).
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
    const cap = Math.min(maxMs, baseMs * 2 ** attempt);
    return cap / 2 + (random() * cap) / 2;
}

/** The settings {@link withRetries} reads. */
export type RetrySettings = Pick<ApiSettings, "credential" | "maxRetries" | "retryBaseDelayMs"> & Partial<Pick<ApiSettings, "retryMaxDelayMs">>;

/**
 * Calls `fn`, retrying retryable errors with exponential backoff and jitter; maps the final error with
 * {@link apiError}, the credential's values redacted. A credential that cannot be resolved fails first, with code
 * `NoCredentials`, before any request.
 */
export async function withRetries<T>(action: string, resource: string, settings: RetrySettings, fn: () => Promise<T>): Promise<T> {
    try {
        await settings.credential.getCredential();
    } catch (e) {
        throw new AlibabaApiError({ action, resource, code: "NoCredentials", detail: redact((e as Error).message ?? String(e)), fix: FIXES.NoCredentials, retryable: false });
    }
    for (let attempt = 0; ; attempt++) {
        try {
            return await fn();
        } catch (e) {
            if (attempt >= settings.maxRetries || !isRetryable(e)) {
                throw apiError(action, resource, e, await credentialValues(settings));
            }
            await new Promise((r) => setTimeout(r, backoffDelay(attempt, settings.retryBaseDelayMs, settings.retryMaxDelayMs ?? 20_000)));
        }
    }
}
