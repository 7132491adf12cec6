/** Who is calling: STS GetCallerIdentity (version 2015-04-01) through the generic OpenAPI client, read only. */
import { isAccountId } from "../alibaba/ids";
import { AlibabaApiError } from "../sdk/errors";
import { AuditContext, rpc } from "./clients";

/** The account of the caller's credential (the account audited). */
export async function callerAccountId(ctx: AuditContext): Promise<string> {
    const body = await rpc(ctx, "sts", ctx.settings.region, "GetCallerIdentity", "the caller's identity", {});
    const accountId = body.AccountId;
    if (!isAccountId(accountId)) {
        throw new AlibabaApiError({
            action: "GetCallerIdentity",
            resource: "the caller's identity",
            code: "InvalidResponse",
            detail: "the answer named no 16-digit account",
            fix: "Check the credential (ALIBABA_CLOUD_ACCESS_KEY_ID, or the credential chain's profile or role).",
            retryable: false,
            requestId: typeof body.RequestId === "string" ? body.RequestId : undefined,
        });
    }
    return accountId;
}
