/**
 * A preview as the report model: the plan (every registration, with its provider, region, inputs as shown and where
 * the program constructed it), the verdicts, the sharing graph of what the program registers (read as the pack reads
 * it), grouped by the organization the policy config gives, and the program's files for locations.
 */
import * as path from "path";
import { organizationOf } from "../graph/organization";
import { readStack } from "../policy/reader";
import { PlanResource, ReportModel, organizationNames, reportModel } from "../report/model";
import type { CapturedResource } from "./monitor";
import { defaultProviderOf, providerUrnOfReference, rawResources, shownValue } from "./resources";
import type { PreviewResult } from "./verdicts";

const isProvider = (r: CapturedResource): boolean => r.type.startsWith("pulumi:providers:");

/** The inputs shown: those of the program (unknowns as `[unknown]`), not the serialized code of a dynamic provider (`__provider`). */
function shownInputs(r: CapturedResource): Record<string, unknown> {
    const { __provider: _code, ...inputs } = r.inputs;
    void _code;
    return shownValue(inputs) as Record<string, unknown>;
}

/** The plan: every registration, in order, with the provider a cloud resource is made with (`default` or its name) and its region. */
export function planOf(resources: readonly CapturedResource[], defaultRegion: string): PlanResource[] {
    const providers = new Map(resources.filter(isProvider).map((p) => [p.urn, p]));
    return resources.map((r) => {
        const cloud = r.custom && !isProvider(r);
        const provider = r.provider === "" ? undefined : providers.get(providerUrnOfReference(r.provider));
        const region = !cloud ? undefined : r.provider === "" ? defaultRegion : typeof provider?.inputs.region === "string" ? provider.inputs.region : undefined;
        return {
            type: r.type,
            name: r.name,
            urn: r.urn,
            ...(r.parent === "" ? {} : { parent: r.parent }),
            custom: r.custom,
            protect: r.protect,
            ...(cloud ? { provider: r.provider === "" ? "default" : (r.provider.split("::")[3] ?? r.provider) } : {}),
            ...(region === undefined ? {} : { region }),
            inputs: shownInputs(r),
            ...(r.dependencies.length === 0 ? {} : { dependencies: r.dependencies }),
            ...(Object.keys(r.propertyDependencies).length === 0 ? {} : { propertyDependencies: r.propertyDependencies }),
            ...(r.source === undefined ? {} : { source: r.source }),
        };
    });
}

/** The report model of a preview; locations relative to `root`, the folder the command ran in. */
export function previewReport(result: PreviewResult, root: string): ReportModel {
    const raw = rawResources(result.resources, defaultProviderOf(result.project, result.stack, result.region));
    return reportModel({
        tool: "preview",
        title: `offline preview of ${result.project} (stack ${result.stack}, config ${result.configSource}, account ${result.accountId}, region ${result.region})`,
        accounts: [result.accountId],
        regions: [result.region],
        facts: { project: result.project, stack: result.stack, accountId: result.accountId, region: result.region },
        plan: planOf(result.resources, result.region),
        verdicts: result.verdicts,
        levelChanges: result.levelChanges ?? [],
        graph: readStack(raw),
        ...(result.organization === undefined ? {} : { organization: organizationOf(result.organization), names: organizationNames(result.organization) }),
        resources: raw.map((r) => ({ urn: r.urn, props: shownValue(r.props) as Record<string, unknown> })),
        files: { root: path.resolve(root), programDir: path.resolve(result.programDir), entry: result.entry },
        ...(result.programError === undefined ? {} : { failure: { kind: "program", message: result.programError } }),
    });
}
