/** ShareAcceptance and SnapshotCopy: the sharee-side steps with no @pulumi/alicloud resource. */
import * as pulumi from "@pulumi/pulumi";
import { ArgumentSpecs, readArguments } from "./arguments";
import { at, partialShareIntent } from "../intent/model";
import { judge, judgeWith } from "../rules/registry";
import { kmsKeyFormat, resourceIdFormat } from "../rules/targets";
import { checkedOrCollected, componentSubject, contextFromConfig, failOnErrorsOf, known, registerRefused, secretInputNames, throwIfInvalid, typeToken } from "./common";
import { shareAcceptanceProvider, snapshotCopyProvider } from "./providers";

/** The stack's `alicloud:region`, read here (in the component, never in a provider) and passed as an input. */
function stackRegion(): string | undefined {
    return new pulumi.Config("alicloud").get("region");
}

/** The dynamic resource behind ShareAcceptance. */
class AcceptedShare extends pulumi.dynamic.Resource {
    // `declare`: a class field would reset, after super(), the output the base class defines.
    declare public readonly status: pulumi.Output<string>;
    declare public readonly invitationId: pulumi.Output<string>;
    constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(shareAcceptanceProvider, name, { ...props, status: undefined, invitationId: undefined }, opts, "alicloud-sharing");
    }
}

/** The dynamic resource behind SnapshotCopy. */
class CopiedSnapshot extends pulumi.dynamic.Resource {
    declare public readonly snapshotId: pulumi.Output<string>;
    constructor(name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(snapshotCopyProvider, name, { ...props, snapshotId: undefined }, opts, "alicloud-sharing");
    }
}

/** The arguments of {@link ShareAcceptance}. */
/** The call settings every sharee step takes. */
const CALL_ARGUMENTS: ArgumentSpecs = {
    endpoint: { shape: "inputString" },
    timeoutSeconds: { shape: "integer" },
    maxRetries: { shape: "integer" },
};

/** The declared form of ShareAcceptance's arguments (S8). */
const ACCEPTANCE_ARGUMENTS: ArgumentSpecs = {
    ...CALL_ARGUMENTS,
    resourceShareId: { shape: "inputString", required: true },
    insideResourceDirectory: { shape: "boolean" },
    region: { shape: "inputString" },
};

/** The declared form of SnapshotCopy's arguments (S8). */
const COPY_ARGUMENTS: ArgumentSpecs = {
    ...CALL_ARGUMENTS,
    sourceSnapshotId: { shape: "inputString", required: true },
    kmsKeyId: { shape: "inputString", required: true },
    sourceKmsKeyId: { shape: "inputString" },
    sourceRegionId: { shape: "inputString" },
    destinationRegionId: { shape: "inputString" },
    snapshotName: { shape: "inputString" },
    pollSeconds: { shape: "integer" },
    copyTimeoutSeconds: { shape: "integer" },
};

export interface ShareAcceptanceArgs {
    /** The resource share this account was invited to (`rs-…`). */
    resourceShareId: pulumi.Input<string>;
    /**
     * Declares this account is in the owner's resource directory with sharing enabled, where shares are accepted
     * automatically (C13): no invitation is then success. Defaults to false.
     */
    insideResourceDirectory?: boolean;
    /** The region of the share. Defaults to the stack's `alicloud:region`, else `ALIBABA_CLOUD_REGION_ID` when the step runs. */
    region?: pulumi.Input<string>;
    /** An endpoint override (`host:port`, plain HTTP), for tests against a local emulator. */
    endpoint?: pulumi.Input<string>;
    /** Per API request, in seconds. Defaults to 30. */
    timeoutSeconds?: number;
    /** Retries of a request on throttling, 5xx, unreadable answers and network errors, with exponential backoff and jitter. Defaults to 5. */
    maxRetries?: number;
}

/**
 * Accepts the invitation to a resource share, as the sharee (C13: accounts outside the owner's directory must accept
 * within 7 days). Already accepted (also when an accept's answer was lost), or automatically accepted inside a
 * directory, is success; an expired or missing invitation fails with what the owner must do. Changing
 * `insideResourceDirectory` or the call settings accepts again; another share or region is a new acceptance. Deleting
 * it does nothing: a sharee cannot leave a share by API, the owner removes the target. Credentials are read when the
 * step runs (the environment, else Alibaba's default credential chain), never from the stack's config or state.
 */
export class ShareAcceptance extends pulumi.ComponentResource {
    /** `Accepted`, or `Associated` when accepted automatically inside the directory. */
    public readonly status!: pulumi.Output<string>;
    /** The share joined, once accepted (depend on it to come after the acceptance). Secret when the input is. */
    public readonly resourceShareId!: pulumi.Output<string>;

    constructor(name: string, args: ShareAcceptanceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Read once: everything below reads the copy (a getter or a changing value cannot build half a component).
        const read = readArguments(args, ACCEPTANCE_ARGUMENTS);
        args = read.args;
        const refused = checkedOrCollected(() => throwIfInvalid("ShareAcceptance", name, read.findings, opts)) === undefined;
        super(typeToken("ShareAcceptance"), name, {}, opts);
        if (refused) {
            registerRefused(this, ["status", "resourceShareId"]);
            return;
        }
        const acceptance = new AcceptedShare(
            `${name}-acceptance`,
            {
                resourceShareId: args.resourceShareId,
                insideResourceDirectory: args.insideResourceDirectory ?? false,
                region: args.region ?? stackRegion(),
                endpoint: args.endpoint,
                timeoutSeconds: args.timeoutSeconds,
                maxRetries: args.maxRetries,
                secretInputs: secretInputNames({ resourceShareId: args.resourceShareId }),
            },
            { parent: this },
        );
        this.status = acceptance.status;
        // From the input itself, after the acceptance: as secret as the input, whatever the engine records.
        this.resourceShareId = pulumi.all([args.resourceShareId, acceptance.status]).apply(([id]) => id);
        this.registerOutputs({ status: this.status, resourceShareId: this.resourceShareId });
    }
}

/** The arguments of {@link SnapshotCopy}. */
export interface SnapshotCopyArgs {
    /** The snapshot to copy (`s-…`): one on the service key (to make it shareable, C8) or one shared with you (C12). */
    sourceSnapshotId: pulumi.Input<string>;
    /** The customer-managed key of the copy, in the destination region; never the source's key (C12). */
    kmsKeyId: pulumi.Input<string>;
    /** The source's key, when known: the copy's key must differ from it (C12). */
    sourceKmsKeyId?: pulumi.Input<string>;
    /** The source's region. Defaults to the stack's `alicloud:region`, else `ALIBABA_CLOUD_REGION_ID` when the step runs. */
    sourceRegionId?: pulumi.Input<string>;
    /** The copy's region. Defaults to the source's region. */
    destinationRegionId?: pulumi.Input<string>;
    /** The copy's name. */
    snapshotName?: pulumi.Input<string>;
    /** Between progress polls, in seconds. Defaults to 10. */
    pollSeconds?: number;
    /** How long the copy may take, in seconds. Defaults to 21,600 (6 hours). */
    copyTimeoutSeconds?: number;
    /** An endpoint override (`host:port`, plain HTTP), for tests against a local emulator. */
    endpoint?: pulumi.Input<string>;
    /** Per API request, in seconds. Defaults to 30. */
    timeoutSeconds?: number;
    /** Retries of a request on throttling, 5xx, unreadable answers and network errors, with exponential backoff and jitter. Defaults to 5. */
    maxRetries?: number;
}

/** The C8 / C12 findings of a copy's key. */
function copyFindings(values: { sourceSnapshotId?: string; kmsKeyId?: string; sourceKmsKeyId?: string }, hasSourceKey: boolean) {
    const context = contextFromConfig();
    const intent = {
        sourceSnapshotId: at("sourceSnapshotId", values.sourceSnapshotId),
        kmsKeyId: at("kmsKeyId", values.kmsKeyId),
        sourceKmsKeyId: hasSourceKey ? at("sourceKmsKeyId", values.sourceKmsKeyId) : undefined,
    };
    // The ids are judged by the registry's id rules, as every component judges them.
    const keys = [intent.kmsKeyId, ...(intent.sourceKmsKeyId === undefined ? [] : [intent.sourceKmsKeyId])].map((keyId) => ({ keyId, region: at<string>("region", undefined) }));
    return [
        ...judgeWith([resourceIdFormat, kmsKeyFormat], partialShareIntent("snapshot", { resources: [intent.sourceSnapshotId], additionalKeys: keys }), context),
        ...judge("copy", intent, context),
    ];
}

/**
 * Copies a snapshot, encrypted with a customer-managed key, and waits until the copy is accomplished (progress is
 * logged). Each intended copy has its own ClientToken, the same in every run (the component's URN hashed with the
 * source, key, regions and name), carried by the copy as a tag: a retried request never makes a second copy, and a
 * create that lost its answer (in this run or a later one) finds the copy and adopts it; a replacement makes a copy of
 * its own, never the one it replaces. A copy that ends failed is deleted before the error; a create that timed out
 * waiting is kept in the state and the next update waits for it again. Changing the source, key, regions or
 * name replaces the copy (the new one first, then the old one is deleted). The copy is deleted with the resource.
 * Credentials are read when the step runs (the environment, else Alibaba's default credential chain).
 */
export class SnapshotCopy extends pulumi.ComponentResource {
    /** The copy's id. */
    public readonly snapshotId!: pulumi.Output<string>;

    constructor(name: string, args: SnapshotCopyArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Read once: everything below reads the copy (a getter or a changing value cannot build half a component).
        const read = readArguments(args, COPY_ARGUMENTS);
        args = read.args;
        const hasSourceKey = args.sourceKmsKeyId !== undefined;
        const refused =
            checkedOrCollected(() => {
                throwIfInvalid("SnapshotCopy", name, read.findings, opts);
                return throwIfInvalid("SnapshotCopy", name, copyFindings({ sourceSnapshotId: known(args.sourceSnapshotId), kmsKeyId: known(args.kmsKeyId), sourceKmsKeyId: known(args.sourceKmsKeyId) }, hasSourceKey), opts);
            }) === undefined;
        super(typeToken("SnapshotCopy"), name, {}, opts);
        if (refused) {
            registerRefused(this, ["snapshotId"]);
            return;
        }
        const kmsKeyId = pulumi.all([pulumi.output(args.sourceSnapshotId), pulumi.output(args.kmsKeyId), pulumi.output(args.sourceKmsKeyId)]).apply(async ([sourceSnapshotId, key, sourceKey]) => {
            await failOnErrorsOf(copyFindings({ sourceSnapshotId, kmsKeyId: key, sourceKmsKeyId: sourceKey }, hasSourceKey), this, componentSubject("SnapshotCopy", name), [args.sourceSnapshotId, args.kmsKeyId, args.sourceKmsKeyId]);
            return key;
        });
        const copy = new CopiedSnapshot(
            `${name}-copy`,
            {
                sourceSnapshotId: args.sourceSnapshotId,
                kmsKeyId,
                sourceRegionId: args.sourceRegionId ?? stackRegion(),
                destinationRegionId: args.destinationRegionId,
                snapshotName: args.snapshotName,
                pollSeconds: args.pollSeconds,
                copyTimeoutSeconds: args.copyTimeoutSeconds,
                timeoutSeconds: args.timeoutSeconds,
                maxRetries: args.maxRetries,
                endpoint: args.endpoint,
                // Where the copy belongs, the same in every run: the ClientToken is made of it and of what is copied how.
                copyScope: this.urn,
                secretInputs: secretInputNames({ sourceSnapshotId: args.sourceSnapshotId, kmsKeyId: args.kmsKeyId }),
            },
            { parent: this },
        );
        this.snapshotId = copy.snapshotId;
        this.registerOutputs({ snapshotId: this.snapshotId });
    }
}
