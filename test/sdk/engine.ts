/**
 * Drives a dynamic provider the way the Pulumi engine does, for one resource: check with the old inputs, diff against
 * the old outputs, then same / update / replace (check again without olds, create the new one, then delete the old:
 * create-before-delete); a targeted replace (`--replace`) checks without olds; a create that fails with an id is kept
 * in the state with init errors, and the next `up` updates it.
 */
import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, any>;

export interface ResourceState {
    id: string;
    inputs: Props;
    outputs: Props;
    initErrors: boolean;
}

export type Step = "create" | "same" | "update" | "replace";

export class Engine {
    state?: ResourceState;
    /** The steps taken, in order. */
    readonly steps: Step[] = [];

    constructor(private readonly provider: pulumi.dynamic.ResourceProvider) {}

    private async check(olds: Props, news: Props): Promise<Props> {
        const result = await this.provider.check!(olds, news);
        if (result.failures !== undefined && result.failures.length > 0) {
            throw new Error(`check failures: ${JSON.stringify(result.failures)}`);
        }
        return result.inputs as Props;
    }

    private async create(inputs: Props): Promise<ResourceState> {
        try {
            const result = await this.provider.create(inputs);
            return { id: result.id, inputs, outputs: result.outs as Props, initErrors: false };
        } catch (e) {
            const partial = e as { id?: string; properties?: Props };
            if (partial.id) {
                this.state = { id: partial.id, inputs, outputs: partial.properties ?? {}, initErrors: true };
            }
            throw e;
        }
    }

    /** One `pulumi up` of the resource with these inputs. */
    async up(news: Props): Promise<Step> {
        const old = this.state;
        if (old === undefined) {
            this.state = await this.create(await this.check({}, news));
            return this.took("create");
        }
        const checked = await this.check(old.inputs, news);
        const diff = await this.provider.diff!(old.id, old.outputs, checked);
        if (diff.replaces !== undefined && diff.replaces.length > 0) {
            return this.replace(news);
        }
        if (!diff.changes && !old.initErrors) {
            this.state = { ...old, inputs: checked };
            return this.took("same");
        }
        const result = await this.provider.update!(old.id, old.outputs, checked);
        this.state = { id: old.id, inputs: checked, outputs: result.outs as Props, initErrors: false };
        return this.took("update");
    }

    /** A replacement: the new one first (checked without olds), then the old one deleted. Also `--replace`. */
    async replace(news: Props): Promise<Step> {
        const old = this.state!;
        this.state = await this.create(await this.check({}, news));
        await this.provider.delete!(old.id, old.outputs);
        return this.took("replace");
    }

    /** `pulumi destroy`. */
    async destroy(): Promise<void> {
        await this.provider.delete!(this.state!.id, this.state!.outputs);
        this.state = undefined;
    }

    private took(step: Step): Step {
        this.steps.push(step);
        return step;
    }
}
