/**
 * KMS through Alibaba's official SDK package (`@alicloud/kms20160120`), read only: a key's state and deletion
 * protection. The package's typed `describeKey` drops the `DeletionProtection` field of the answer (its 1.2 model
 * predates it), so the call goes through the package client's own RPC request method with the same arguments, and the
 * answer is read as the API's JSON.
 */
import type KmsClient from "@alicloud/kms20160120";
import { withRetries } from "../sdk/errors";
import { API_VERSIONS } from "./actions";
import { AuditContext } from "./clients";
import { LiveKey } from "./model";

/** The package's defaults: one attempt (retries are `withRetries`'), the client's timeouts. */
const NO_RUNTIME_OPTIONS = {} as Parameters<KmsClient["doRequest"]>[7];

/** A key of a region: its ARN, state and deletion protection (`Enabled` or `Disabled`). */
export async function describeKey(ctx: AuditContext, region: string, keyId: string): Promise<LiveKey> {
    const client = ctx.kms(region);
    const body = await withRetries("DescribeKey", `key ${keyId} (${region})`, ctx.settings, () =>
        client.doRequest("DescribeKey", "HTTPS", "POST", API_VERSIONS.kms, "AK", { RegionId: region, KeyId: keyId }, {}, NO_RUNTIME_OPTIONS),
    );
    const meta = (body.KeyMetadata ?? {}) as Record<string, unknown>;
    const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
    return {
        id: text(meta.KeyId) ?? keyId,
        region,
        arn: text(meta.Arn),
        deletionProtection: text(meta.DeletionProtection) ?? "Disabled",
        state: text(meta.KeyState),
    };
}
