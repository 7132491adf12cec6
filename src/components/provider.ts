/** Defaults read from the provider: the caller's account and the provider's region. */
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/alicloud/getCallerIdentity";
import { getRegionsOutput } from "@pulumi/alicloud/getRegions";

/** The given owner account, or the account of the provider's credentials (`getCallerIdentity`). */
export function ownerAccountOrCaller(given: pulumi.Input<string> | undefined, parent: pulumi.Resource): pulumi.Output<string> {
    return given !== undefined ? pulumi.output(given) : getCallerIdentityOutput({ parent }).accountId;
}

/** The given region, or the region of the provider (`getRegions` with `current`). */
export function regionOrProviders(given: pulumi.Input<string> | undefined, parent: pulumi.Resource): pulumi.Output<string> {
    return given !== undefined ? pulumi.output(given) : getRegionsOutput({ current: true }, { parent }).apply((r) => r.ids[0]);
}
