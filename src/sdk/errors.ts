/** Retries and error messages for Alibaba Cloud API calls: what failed, on what, and what to do. */

/** What the SDK's errors carry. */
interface SdkError {
    readonly code?: string;
    readonly statusCode?: number;
    readonly message?: string;
    readonly data?: { readonly Code?: string; readonly Message?: string; readonly statusCode?: number };
}

const codeOf = (e: SdkError): string | undefined => e.code ?? e.data?.Code;
const statusOf = (e: SdkError): number | undefined => e.statusCode ?? e.data?.statusCode;

/** Whether an error is worth retrying: throttling, a 5xx, or the network. */
export function isRetryable(error: unknown): boolean {
    const e = error as SdkError;
    const code = codeOf(e) ?? "";
    const status = statusOf(e);
    return (
        /^Throttling/.test(code) ||
        code === "ServiceUnavailable" ||
        code === "InternalError" ||
        (status !== undefined && status >= 500) ||
        /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|timeout/i.test(e.message ?? "")
    );
}

/** The fix for the API error codes the providers meet. */
const FIXES: Record<string, string> = {
    "InvalidSnapshotId.NotFound": "Check the snapshot id and that it is in this region (and, if shared with you, that the share was accepted).",
    "InvalidKMSKeyId.NotFound": "Check the KMS key id and that the key is in the destination region.",
    "InvalidKmsKeyId.NotFound": "Check the KMS key id and that the key is in the destination region.",
    "Forbidden.RAM": "Grant the caller the ECS / Resource Sharing action in RAM.",
    "Forbidden": "Grant the caller the ECS / Resource Sharing action in RAM.",
    "InvalidAccessKeyId.NotFound": "Check ALIBABA_CLOUD_ACCESS_KEY_ID (or alicloud:accessKey).",
    "SignatureDoesNotMatch": "Check ALIBABA_CLOUD_ACCESS_KEY_SECRET (or alicloud:secretKey).",
    "QuotaExceed.Snapshot": "Delete unused snapshots or raise the snapshot quota.",
};

/** An error naming the action, the resource, the API's code and message, and the fix. */
export function apiError(action: string, resource: string, error: unknown): Error {
    const e = error as SdkError;
    const code = codeOf(e) ?? "Unknown";
    const message = e.data?.Message ?? e.message ?? String(error);
    const fix = FIXES[code] ?? (isRetryable(error) ? "The service kept failing after retries; try again later." : "See the API's message above.");
    return new Error(`${action} on ${resource} failed with ${code}: ${message}. ${fix}`);
}

/** Calls `fn`, retrying retryable errors with exponential backoff; maps the final error with `apiError`. */
export async function withRetries<T>(
    action: string,
    resource: string,
    settings: { readonly maxRetries: number; readonly retryBaseDelayMs: number },
    fn: () => Promise<T>,
): Promise<T> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await fn();
        } catch (e) {
            if (attempt >= settings.maxRetries || !isRetryable(e)) {
                throw apiError(action, resource, e);
            }
            await new Promise((r) => setTimeout(r, settings.retryBaseDelayMs * 2 ** attempt));
        }
    }
}
