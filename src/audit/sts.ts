/**
 * STS (version 2015-04-01) through the generic OpenAPI client: who is calling (GetCallerIdentity), and a session in a
 * member account's role (AssumeRole), read only.
 */
import Credential, { StaticSTSCredentialsProvider } from "@alicloud/credentials";
import { isAccountId } from "../alibaba/ids";
import { readOnlySessionPolicy } from "./actions";
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

/** The name of the role the resource directory makes in every member it creates, which its management account may assume. */
export const DIRECTORY_ACCESS_ROLE = "ResourceDirectoryAccountAccessRole";

/** The ARN of a role of an account. */
export const roleArnOf = (accountId: string, roleName: string): string => `acs:ram::${accountId}:role/${roleName}`;

/**
 * The credential of a session in a role of another account (STS AssumeRole), limited by the session policy to the
 * audit's read actions ({@link readOnlySessionPolicy}), for `DurationSeconds` 3,600 (the default of every role). The
 * credentials are kept in memory only, and redacted from every error.
 */
export async function assumeRole(ctx: AuditContext, accountId: string, roleName: string, sessionName: string): Promise<Credential> {
    const roleArn = roleArnOf(accountId, roleName);
    const body = await rpc(ctx, "sts", ctx.settings.region, "AssumeRole", `the role ${roleName} of ${accountId}`, {
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: 3600,
        Policy: readOnlySessionPolicy(),
    });
    const c = (typeof body.Credentials === "object" && body.Credentials !== null ? body.Credentials : {}) as Record<string, unknown>;
    const [accessKeyId, accessKeySecret, securityToken] = [c.AccessKeyId, c.AccessKeySecret, c.SecurityToken];
    if (typeof accessKeyId !== "string" || accessKeyId === "" || typeof accessKeySecret !== "string" || accessKeySecret === "" || typeof securityToken !== "string" || securityToken === "") {
        throw new AlibabaApiError({
            action: "AssumeRole",
            resource: `the role ${roleName} of ${accountId}`,
            code: "InvalidResponse",
            detail: "the answer held no temporary credentials",
            fix: "Check that the role exists and trusts the caller's account.",
            retryable: false,
            requestId: typeof body.RequestId === "string" ? body.RequestId : undefined,
        });
    }
    return new Credential(null, StaticSTSCredentialsProvider.builder().withAccessKeyId(accessKeyId).withAccessKeySecret(accessKeySecret).withSecurityToken(securityToken).build());
}
