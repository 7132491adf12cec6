/**
 * What the two sharee-side dynamic providers do (ShareAcceptance, SnapshotCopy), loaded by package name when a
 * provider runs: the serialized providers in a stack's state are thin shells that call these, so they capture no
 * setting, no credential and no config. Settings are the resources' inputs; credentials are read here, at run time.
 */
import { randomUUID } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { CREATED, copyClientToken, deleteSnapshot, discardFailedCopy, findCopy, markCopyCreated, startSnapshotCopy, waitForSnapshot } from "./ecs";
import { AlibabaApiError } from "./errors";
import { ensureAccepted } from "./resourceSharing";
import { apiSettings, ApiSettings } from "./settings";
import { leafStrings, redactText } from "../rules/redact";

/** Inputs every provider takes besides its own: where to call, and how patiently. */
export interface ApiInputs {
    /** The region to call. The components pass the stack's `alicloud:region`; else `ALIBABA_CLOUD_REGION_ID` when the step runs. */
    readonly region?: string;
    /** An endpoint override (`host:port`, plain HTTP): for tests against a local emulator. */
    readonly endpoint?: string;
    /** Per request, in seconds. Defaults to 30. */
    readonly timeoutSeconds?: number;
    /** Retries on throttling, 5xx, unreadable answers and network errors. Defaults to 5. */
    readonly maxRetries?: number;
    /** The first retry's backoff, in seconds (doubled each retry, with jitter). Defaults to 0.2. */
    readonly retryBaseSeconds?: number;
    /**
     * The names of the inputs that are secret in the program (the engine hands a dynamic provider every value plain):
     * no error of the provider quotes their values. The components pass it.
     */
    readonly secretInputs?: readonly string[];
}

/** The values of the inputs named secret, as text an error could quote. */
function secretValuesOf(...props: readonly (object | undefined)[]): string[] {
    return props.flatMap((p) => {
        const values = (p ?? {}) as Props;
        const names = Array.isArray(values.secretInputs) ? (values.secretInputs as unknown[]).filter((n): n is string => typeof n === "string") : [];
        return names.flatMap((n) => leafStrings(values[n]));
    });
}

/** Runs a step; an error it throws quotes no value of a secret input (`[secret]` in its place), whatever made it. */
async function redactingSecrets<T>(secrets: readonly string[], step: () => Promise<T>): Promise<T> {
    try {
        return await step();
    } catch (e) {
        if (secrets.length === 0) {
            throw e;
        }
        const clean = (text: string) => redactText(text, secrets);
        if (e instanceof AlibabaApiError) {
            throw new AlibabaApiError({ ...e, resource: clean(e.resource), code: clean(e.code), detail: clean(e.detail), fix: clean(e.fix) });
        }
        if (e instanceof PartialCreateError) {
            throw new PartialCreateError(new Error(clean(e.message)), e.id, e.properties);
        }
        throw new Error(clean(e instanceof Error ? e.message : String(e)));
    }
}

/** What the provider shells hand to the steps: where progress goes. */
export interface StepHost {
    /** Logs progress (the shells send it to Pulumi's log). Defaults to nothing. */
    readonly log?: (message: string) => void;
}

/** The settings of a step: the inputs, and the credentials of the environment or the default chain, read now. */
export function settingsOf(inputs: ApiInputs, region?: string): ApiSettings {
    return apiSettings({
        env: process.env,
        region: region ?? inputs.region,
        endpoint: inputs.endpoint,
        timeoutMs: inputs.timeoutSeconds === undefined ? undefined : inputs.timeoutSeconds * 1000,
        maxRetries: inputs.maxRetries,
        retryBaseDelayMs: inputs.retryBaseSeconds === undefined ? undefined : inputs.retryBaseSeconds * 1000,
    });
}

type Props = Record<string, unknown>;
const propsOf = (value: object): Props => value as Props;
const differs = (olds: Props, news: Props, key: string): boolean => JSON.stringify(olds[key]) !== JSON.stringify(news[key]);
/**
 * Whether the old outputs hold a provider serialized differently (an older version, which may have captured the stack's
 * config): an update then rewrites the state's outputs with the new one, purging the old.
 */
const providerChanged = (olds: Props, news: Props): boolean => typeof olds.__provider === "string" && typeof news.__provider === "string" && olds.__provider !== news.__provider;
const missing = (inputs: Props, keys: readonly string[]): pulumi.dynamic.CheckFailure[] =>
    keys.filter((k) => inputs[k] === undefined || inputs[k] === "").map((k) => ({ property: k, reason: `${k} is required.` }));

/** The inputs of the ShareAcceptance dynamic resource. */
export interface ShareAcceptanceInputs extends ApiInputs {
    /** The resource share to join (`rs-…`). */
    readonly resourceShareId: string;
    /** Inside the owner's resource directory, where shares are accepted automatically. Defaults to false. */
    readonly insideResourceDirectory?: boolean;
}

/** The outputs of the ShareAcceptance dynamic resource: its inputs, and what the acceptance found. */
export interface ShareAcceptanceOutputs extends ShareAcceptanceInputs {
    /** `Accepted`, or `Associated` (accepted automatically inside the directory). */
    readonly status: string;
    /** The invitation accepted, or "" when there was none (inside the directory). */
    readonly invitationId: string;
}

/** Inputs whose change makes a new acceptance (another share, another region); every other change is an update. */
const ACCEPTANCE_REPLACES = ["resourceShareId", "region"] as const;
const ACCEPTANCE_UPDATES = ["insideResourceDirectory", "region", "endpoint", "timeoutSeconds", "maxRetries", "retryBaseSeconds"] as const;

async function accept(inputs: ShareAcceptanceInputs): Promise<ShareAcceptanceOutputs> {
    const result = await ensureAccepted(settingsOf(inputs), inputs.resourceShareId, { insideResourceDirectory: inputs.insideResourceDirectory === true });
    return { ...inputs, status: result.status, invitationId: result.invitationId ?? "" };
}

/**
 * ShareAcceptance: accepts the invitation on create, and again (idempotently) on update; reports the status; on
 * delete does nothing (a sharee cannot leave a share by API). Its id is random: it never shows the share's id, which
 * may be secret.
 */
const acceptanceSteps = {
    /** Requires the share's id. */
    async check(_olds: Partial<ShareAcceptanceInputs>, news: ShareAcceptanceInputs): Promise<pulumi.dynamic.CheckResult<ShareAcceptanceInputs>> {
        return { inputs: news, failures: missing(propsOf(news), ["resourceShareId"]) };
    },
    /** Another share or region replaces; any other input change, or an older serialized provider, is an update, which accepts again. */
    async diff(_id: string, oldOutputs: Partial<ShareAcceptanceOutputs>, newInputs: ShareAcceptanceInputs): Promise<pulumi.dynamic.DiffResult> {
        const [olds, news] = [propsOf(oldOutputs), propsOf(newInputs)];
        const replaces = ACCEPTANCE_REPLACES.filter((k) => (k !== "region" || (olds.region !== undefined && news.region !== undefined)) && differs(olds, news, k));
        const updates = ACCEPTANCE_UPDATES.filter((k) => (k === "insideResourceDirectory" ? (olds[k] === true) !== (news[k] === true) : differs(olds, news, k)));
        return { changes: replaces.length > 0 || updates.length > 0 || providerChanged(olds, news), replaces, deleteBeforeReplace: false };
    },
    /** Accepts the invitation (or finds it accepted). */
    async create(inputs: ShareAcceptanceInputs): Promise<pulumi.dynamic.CreateResult<ShareAcceptanceOutputs>> {
        return { id: `acceptance-${randomUUID()}`, outs: await accept(inputs) };
    },
    /** Accepts again with the new inputs: already accepted is success. */
    async update(_id: string, _olds: ShareAcceptanceOutputs, news: ShareAcceptanceInputs): Promise<pulumi.dynamic.UpdateResult<ShareAcceptanceOutputs>> {
        return { outs: await accept(news) };
    },
    /** Nothing to do: Resource Sharing offers the sharee no call to leave a share; the owner removes the target. */
    async delete(): Promise<void> {},
};

export const shareAcceptanceSteps = {
    ...acceptanceSteps,
    create: (inputs: ShareAcceptanceInputs) => redactingSecrets(secretValuesOf(inputs), () => acceptanceSteps.create(inputs)),
    update: (id: string, olds: ShareAcceptanceOutputs, news: ShareAcceptanceInputs) => redactingSecrets(secretValuesOf(olds, news), () => acceptanceSteps.update(id, olds, news)),
};

/** The inputs of the SnapshotCopy dynamic resource. */
export interface SnapshotCopyInputs extends ApiInputs {
    /** The snapshot to copy (`s-…`). */
    readonly sourceSnapshotId: string;
    /** The copy's customer-managed key, in the destination region. */
    readonly kmsKeyId: string;
    /** The source's region. Defaults to `region`, else `ALIBABA_CLOUD_REGION_ID`. */
    readonly sourceRegionId?: string;
    /** The copy's region. Defaults to the source's. */
    readonly destinationRegionId?: string;
    /** The copy's name. */
    readonly snapshotName?: string;
    /** Between progress polls, in seconds. Defaults to 10. */
    readonly pollSeconds?: number;
    /** How long a copy may take, in seconds. Defaults to 21,600 (6 hours). */
    readonly copyTimeoutSeconds?: number;
    /**
     * The resource the copy belongs to, the same in every run (the component passes its URN): with what is copied how,
     * it makes the ClientToken, so that a re-run after a lost answer finds the copy the first run made.
     */
    readonly copyScope?: string;
    /** @deprecated The random part of the token of resources created before `copyScope`; kept by their check, unused. */
    readonly copyNonce?: string;
    /** @deprecated The token of resources created before `copyNonce` (project, stack and name); used only by them. */
    readonly clientToken?: string;
}

/** The outputs of the SnapshotCopy dynamic resource: its inputs with the regions resolved, and the copy's id. */
export interface SnapshotCopyOutputs extends SnapshotCopyInputs {
    readonly sourceRegionId: string;
    readonly destinationRegionId: string;
    /** The copy's id (also the resource's id). */
    readonly snapshotId: string;
}

/** Inputs whose change means another copy. */
const COPY_REPLACES = ["sourceSnapshotId", "kmsKeyId", "sourceRegionId", "destinationRegionId", "snapshotName"] as const;
const COPY_UPDATES = ["snapshotName", "endpoint", "timeoutSeconds", "maxRetries", "retryBaseSeconds", "pollSeconds", "copyTimeoutSeconds", "region"] as const;

/** The effective value of a replace-triggering input, undefined when only the environment can say (then unchanged). */
function effective(props: Props, key: (typeof COPY_REPLACES)[number]): unknown {
    switch (key) {
        case "sourceRegionId":
            return props.sourceRegionId ?? props.region;
        case "destinationRegionId":
            return props.destinationRegionId ?? props.sourceRegionId ?? props.region;
        default:
            return props[key];
    }
}

/**
 * A create that failed after the copy started: Pulumi keeps the copy in the state (its id and properties) and the next
 * `pulumi up` updates it, which waits for it again instead of starting another copy.
 */
export class PartialCreateError extends Error {
    /** The copy's id. */
    readonly id: string;
    /** The resource's outputs, as far as known. */
    readonly properties: Props;
    /** Why it is not ready. */
    readonly reasons: string[];
    constructor(cause: Error, id: string, properties: Props) {
        super(cause.message);
        this.name = "PartialCreateError";
        this.id = id;
        this.properties = properties;
        this.reasons = [cause.message];
    }
}

const waitOf = (inputs: SnapshotCopyInputs, host: StepHost) => ({
    pollIntervalMs: (inputs.pollSeconds ?? 10) * 1000,
    timeoutMs: (inputs.copyTimeoutSeconds ?? 6 * 3600) * 1000,
    log: host.log ?? (() => undefined),
});

/** How many copies of one intended copy may be held at once (the copy of a resource, and its replacements' under way). */
const MAX_GENERATIONS = 8;

/** Whether a wait failed because the copy does not exist (a token whose copy was deleted since: ECS may answer it with that id). */
const copyGone = (e: unknown): boolean => e instanceof AlibabaApiError && e.code === "InvalidSnapshotId.NotFound";

/**
 * SnapshotCopy: copies on create and waits until accomplished (progress logged); an update waits for the copy again
 * (so a create interrupted by a timeout resumes); deletes the copy on delete. A copy that ends failed is deleted
 * before the error. The ClientToken is the intended copy's (see {@link copyClientToken}): a create that lost its
 * answer, in this run or an earlier one, finds its copy by the token (a tag of the copy) and adopts it; a copy another
 * resource holds (the one a replacement replaces) is never adopted: the replacement makes the next generation.
 */
const copySteps = {
    /** Requires the source and the key; keeps an older resource's nonce (unused, so that its inputs do not change). */
    async check(oldInputs: Partial<SnapshotCopyInputs>, newInputs: SnapshotCopyInputs): Promise<pulumi.dynamic.CheckResult<SnapshotCopyInputs>> {
        const [olds, news] = [propsOf(oldInputs), propsOf(newInputs)];
        const keep = typeof olds.copyNonce === "string" && !COPY_REPLACES.some((k) => JSON.stringify(effective(olds, k)) !== JSON.stringify(effective(news, k)));
        return { inputs: { ...newInputs, ...(keep ? { copyNonce: olds.copyNonce as string } : {}) }, failures: missing(news, ["sourceSnapshotId", "kmsKeyId"]) };
    },
    /**
     * Another source, key, region or name replaces (create first, then delete the old copy); any other input change,
     * or an older serialized provider, is an update.
     */
    async diff(_id: string, oldOutputs: Partial<SnapshotCopyOutputs>, newInputs: SnapshotCopyInputs): Promise<pulumi.dynamic.DiffResult> {
        const [olds, news] = [propsOf(oldOutputs), propsOf(newInputs)];
        const replaces = COPY_REPLACES.filter((k) => {
            const now = effective(news, k);
            return now !== undefined && JSON.stringify(effective(olds, k)) !== JSON.stringify(now);
        });
        const updates = COPY_UPDATES.filter((k) => differs(olds, news, k));
        return { changes: replaces.length > 0 || updates.length > 0 || providerChanged(olds, news), replaces, deleteBeforeReplace: false };
    },
    /**
     * Finds or starts the copy of this intended copy (generation by generation, past copies other resources hold), waits
     * for it, and marks it held. A copy that times out waiting is kept in the state, which the next update waits for.
     */
    async create(inputs: SnapshotCopyInputs, host: StepHost = {}): Promise<pulumi.dynamic.CreateResult<SnapshotCopyOutputs>> {
        const settings = settingsOf(inputs, inputs.sourceRegionId);
        const sourceRegionId = inputs.sourceRegionId ?? settings.region;
        const destinationRegionId = inputs.destinationRegionId ?? sourceRegionId;
        const identity = { sourceSnapshotId: inputs.sourceSnapshotId, sourceRegionId, destinationRegionId, kmsKeyId: inputs.kmsKeyId, snapshotName: inputs.snapshotName };
        const wait = waitOf(inputs, host);
        // Resources created before copyScope: the token they were given (clientToken), else one of their own.
        const scope = inputs.copyScope ?? inputs.copyNonce ?? randomUUID();
        for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
            const legacy = generation === 0 && inputs.copyScope === undefined && inputs.clientToken !== undefined;
            const clientToken = legacy ? inputs.clientToken! : copyClientToken({ ...identity, scope, generation });
            const found = await findCopy(settings, destinationRegionId, clientToken);
            if (found?.state === CREATED) {
                // Held by another resource: the one this replaces.
                continue;
            }
            const copyId = found?.snapshotId ?? (await startSnapshotCopy(settings, { ...identity, clientToken }, { attempts: 3, intervalMs: wait.pollIntervalMs }));
            const outs: SnapshotCopyOutputs = { ...inputs, sourceRegionId, destinationRegionId, snapshotId: copyId };
            try {
                await waitForSnapshot(settings, destinationRegionId, copyId, wait);
                await markCopyCreated(settings, destinationRegionId, copyId);
            } catch (e) {
                if (e instanceof AlibabaApiError && e.code === "SnapshotCopyFailed") {
                    throw await discardFailedCopy(settings, destinationRegionId, copyId, e);
                }
                if (copyGone(e) && found === undefined) {
                    // The token's copy was deleted since, and ECS answered with it: the next generation's token.
                    continue;
                }
                throw new PartialCreateError(e as Error, copyId, { ...outs });
            }
            return { id: copyId, outs };
        }
        throw new AlibabaApiError({
            action: "CopySnapshot",
            resource: `snapshot ${inputs.sourceSnapshotId} (${sourceRegionId} -> ${destinationRegionId})`,
            code: "TooManyCopies",
            detail: `${MAX_GENERATIONS} copies of this intended copy exist already`,
            fix: `Delete the copies tagged alicloud-sharing:copy-state=${CREATED} that no stack holds, then run pulumi up again.`,
            retryable: false,
        });
    },
    /**
     * Waits for the copy (one poll when it is accomplished) and records the new inputs. A copy that ended failed is
     * deleted, and the error says to replace the resource.
     */
    async update(id: string, olds: SnapshotCopyOutputs, news: SnapshotCopyInputs, host: StepHost = {}): Promise<pulumi.dynamic.UpdateResult<SnapshotCopyOutputs>> {
        const settings = settingsOf(news, olds.sourceRegionId);
        try {
            await waitForSnapshot(settings, olds.destinationRegionId, id, waitOf(news, host));
            // A create that timed out waiting left its copy unmarked: held now.
            await markCopyCreated(settings, olds.destinationRegionId, id);
        } catch (e) {
            if (e instanceof AlibabaApiError && e.code === "SnapshotCopyFailed") {
                const failure = await discardFailedCopy(settings, olds.destinationRegionId, id, e);
                throw new AlibabaApiError({ ...failure, fix: `${failure.fix} Replace the resource (pulumi up --replace <its URN>) to copy again.` });
            }
            throw e;
        }
        return { outs: { ...news, sourceRegionId: olds.sourceRegionId, destinationRegionId: olds.destinationRegionId, snapshotId: id } };
    },
    /** Deletes the copy; one already gone counts as deleted. */
    async delete(id: string, outs: SnapshotCopyOutputs): Promise<void> {
        await deleteSnapshot(settingsOf(outs, outs.sourceRegionId ?? outs.destinationRegionId), outs.destinationRegionId, id);
    },
};

export const snapshotCopySteps = {
    ...copySteps,
    create: (inputs: SnapshotCopyInputs, host: StepHost = {}) => redactingSecrets(secretValuesOf(inputs), () => copySteps.create(inputs, host)),
    update: (id: string, olds: SnapshotCopyOutputs, news: SnapshotCopyInputs, host: StepHost = {}) => redactingSecrets(secretValuesOf(olds, news), () => copySteps.update(id, olds, news, host)),
    delete: (id: string, outs: SnapshotCopyOutputs) => redactingSecrets(secretValuesOf(outs), () => copySteps.delete(id, outs)),
};
