import * as pulumi from "@pulumi/pulumi";
import { ArgumentSpecs, SHARE_ARGUMENTS, readArguments } from "./arguments";
import * as ecs from "@pulumi/alicloud/ecs";
import { GrantMethod } from "../intent/model";
import { asArray, checkedOrCollected, componentSubject, contextFromConfig, defaultShareName, failOnErrors, logWarnings, registerRefused, throwIfInvalid, typeToken } from "./common";
import { getRegionsOutput } from "@pulumi/alicloud/getRegions";
import { at, partialShareIntent } from "../intent/model";
import { judgeWith } from "../rules/registry";
import { regionMatchesProvider } from "../rules/targets";
import { explicitProvider, placement, regionalProvider } from "./provider";
import { ImageShareFacts, ShareArgs, ShareSpec, checkShare, createGrants, prepareShare, resourceSuffixes } from "./share";

export interface SharedImageArgs extends ShareArgs {
    /** The custom images to share (`m-…`), created in the owner's account, at least one, each once (C16). */
    imageIds: pulumi.Input<string>[];
    /**
     * Regions to share the images in too: each image is copied there (`ecs.ImageCopy`, with the copy region's key
     * when encrypted) and the copies are shared the same way (C18). Defaults to none.
     */
    copyToRegions?: string[];
    /** For encrypted images: the customer-managed key of each copy region, by region id (a KMS key lives in one region). */
    copyKmsKeyIds?: { [region: string]: pulumi.Input<string> };
    /**
     * How accounts are granted: `"resourceShare"` (the default: one resource share with one shared resource per image
     * and one target per recipient, so resources grow as images + accounts; accounts outside the directory accept an
     * invitation) or `"imagePermission"` (one `ecs.ImageSharePermission` per image and account, no acceptance, but
     * images x accounts resources). Directory and folder recipients always go through a resource share.
     */
    method?: string;
    /** Declares the images derive from a paid marketplace image, whose sharees are billed when they launch it (C26, a warning). */
    derivedFromPaidImage?: boolean;
}

const TYPE = "SharedImage";

/** The declared form of each argument (S8). */
const ARGUMENTS: ArgumentSpecs = {
    ...SHARE_ARGUMENTS,
    imageIds: { shape: "inputStringList", required: true, plainBecause: "each image becomes a resource of its own" },
    copyToRegions: { shape: "stringList", plainBecause: "each copy region gets its copies, provider and share" },
    copyKmsKeyIds: { shape: { map: "inputString" }, requires: ["kmsKeyId", "copyToRegions"], because: "copies are encrypted with them only when the images are (without kmsKeyId the copies would be made and shared unencrypted)" },
    method: { shape: "string", plainBecause: "it decides which resources grant the images" },
    derivedFromPaidImage: { shape: "boolean" },
};

/** SharedImage's resource options: the component options, and the providers of the copy regions. */
export interface SharedImageOptions extends pulumi.ComponentResourceOptions {
    /**
     * The provider of each copy region, by region id. Defaults to the program's provider of that region (one per
     * region, shared by every component, created with the stack's `alicloud:` credentials). An option rather than an
     * argument, so the component's schema for other languages stays plain.
     */
    regionProviders?: { [region: string]: pulumi.ProviderResource };
}

/** The image facts of the arguments. */
function imageFacts(args: SharedImageArgs): ImageShareFacts {
    return {
        method: args.method ?? "resourceShare",
        copyToRegions: asArray(args.copyToRegions),
        unencryptedDataAcknowledged: args.unencryptedDataAcknowledged === true,
        derivedFromPaidImage: args.derivedFromPaidImage === true,
    };
}

/**
 * Shares ECS custom images with accounts, a resource directory or folders, in the images' region and, through
 * copies, in other regions (C18). With `kmsKeyId` the images are encrypted with that customer-managed key and the
 * share role `AliyunECSShareEncryptImageDefaultRole` is created first (C21), with grants on the source key and on
 * each copy region's key; every share resource waits for it.
 *
 * Every argument is checked before anything is registered, against C1–C4, C10, C16–C20, C23, C28, C31, C32,
 * S1, S2, S4 and S5, and C22 / C26 are logged as warnings. Shares are protected from deletion by default (C15).
 */
export class SharedImage extends pulumi.ComponentResource {
    /** The id of the resource share in the images' own region, when one is used (always, unless every recipient is an account and `method` is `"imagePermission"`). */
    public readonly resourceShareId!: pulumi.Output<string | undefined>;
    /** The share role's name when the images are encrypted and the role is created here; undefined otherwise. */
    public readonly shareRoleName!: pulumi.Output<string | undefined>;
    /** The shared image ids by region: the given images in their region, the copies in each copy region. */
    public readonly imageIdsByRegion!: pulumi.Output<{ [region: string]: string[] }>;

    constructor(name: string, args: SharedImageArgs, opts: SharedImageOptions = {}) {
        // Read once: everything below reads the copy (a getter or a changing value cannot build half a component).
        const read = readArguments(args, ARGUMENTS);
        args = read.args;
        const { regionProviders, ...componentOpts } = opts;
        const checked = checkedOrCollected(() => {
            throwIfInvalid(TYPE, name, read.findings, opts);
            const context = contextFromConfig();
            const facts = imageFacts(args);
            const copyKeys = args.kmsKeyId === undefined ? {} : (args.copyKmsKeyIds ?? {});
            const copyRegionProviders = { explicit: explicitProvider(componentOpts) !== undefined, given: Object.keys(regionProviders ?? {}) };
            const spec: ShareSpec = { type: TYPE, kind: "image", resourceIds: asArray(args.imageIds), args, facts, copyKeyIds: copyKeys, copyRegionProviders };
            return { context, facts, copyKeys, spec, ...checkShare(name, spec, componentOpts, context), place: placement(name, args.region, componentOpts) };
        });
        if (checked === undefined) {
            super(typeToken(TYPE), name, {}, componentOpts);
            registerRefused(this, ["resourceShareId", "shareRoleName", "imageIdsByRegion"]);
            return;
        }
        const { context, facts, copyKeys, warnings, roleArgs, place } = checked;
        const spec: ShareSpec = { ...checked.spec, encryptionInProgram: checked.encryptionInProgram };
        super(typeToken(TYPE), name, {}, place.opts);
        logWarnings(warnings, this);

        const share = prepareShare(this, name, spec, context, roleArgs, place.explicit !== undefined);
        const { region, dependsOn } = share;
        const method = facts.method as GrantMethod;
        const shareName = args.shareName ?? defaultShareName(name);
        const suffixes = resourceSuffixes(spec.resourceIds);
        const sourceIds = share.resourceIds;
        const source = createGrants(this, {
            kind: "image",
            prefix: name,
            resources: sourceIds.map((id, i) => ({ id, suffix: suffixes[i] })),
            args,
            method,
            shareName,
            gate: share.checked,
            dependsOn,
            context,
        });

        const idsByRegion: pulumi.Output<[string, string[]]>[] = [pulumi.all([region, pulumi.all(sourceIds)])];
        facts.copyToRegions.forEach((copyRegion, index) => {
            const given = regionProviders?.[copyRegion];
            const provider = given ?? regionalProvider(copyRegion);
            const protect = args.protect ?? true;
            // A provider given for a copy region works in that region: checked when it answers, before any copy.
            const sourceRegionId =
                given === undefined
                    ? region
                    : pulumi.all([region, getRegionsOutput({ current: true }, { parent: this, provider: given }).apply((r) => r.ids[0])]).apply(([source, actual]) => {
                          const intent = partialShareIntent("image", { region: at(`copyToRegions[${index}]`, copyRegion), providerRegion: at(`regionProviders.${copyRegion}`, actual) });
                          failOnErrors(judgeWith([regionMatchesProvider], intent, context), this, componentSubject(TYPE, name));
                          return source;
                      });
            const copies = sourceIds.map(
                (sourceImageId, i) =>
                    new ecs.ImageCopy(
                        `${name}-${copyRegion}-copy-${suffixes[i]}`,
                        {
                            sourceImageId,
                            sourceRegionId,
                            encrypted: args.kmsKeyId === undefined ? undefined : true,
                            kmsKeyId: copyKeys[copyRegion],
                            description: `Copy of a shared image, shared in ${copyRegion} (managed by ${typeToken(TYPE)}).`,
                        },
                        { parent: this, provider, protect },
                    ),
            );
            createGrants(this, {
                kind: "image",
                prefix: `${name}-${copyRegion}`,
                resources: copies.map((c, i) => ({ id: c.id, suffix: suffixes[i] })),
                args,
                method,
                shareName: `${shareName.slice(0, 50 - copyRegion.length - 1)}-${copyRegion}`,
                gate: share.checked,
                dependsOn,
                provider,
                context,
            });
            idsByRegion.push(pulumi.all([pulumi.output(copyRegion), pulumi.all(copies.map((c) => c.id))]));
        });
        this.resourceShareId = source.resourceShareId ?? pulumi.output(undefined);
        this.shareRoleName = share.shareRole ? share.shareRole.roleName : pulumi.output(undefined);
        this.imageIdsByRegion = pulumi.all(idsByRegion).apply((pairs) => Object.fromEntries(pairs));
        this.registerOutputs({ resourceShareId: this.resourceShareId, shareRoleName: this.shareRoleName, imageIdsByRegion: this.imageIdsByRegion });
    }
}
