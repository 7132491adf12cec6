/**
 * The report as one JSON document, for tools, for the preview and the audit alike: `tool`, the run's own facts
 * (a preview's project, stack, account and region; an audit's account, regions, requests, what it received…), then
 * `resources` (the plan, or what was read), `violations` (the verdicts), `levelChanges`, `graph` (the sharing graph
 * view), `access` (what each recipient can use), and, when there are, `drift`, `mermaid` and `error`. Values are as
 * they were (JSON escapes what it must).
 */
import type { ReportModel, RunFailure } from "./model";

/** What goes with the document: the Mermaid flowchart, when asked for (stdout stays one document). */
export interface JsonOptions {
    readonly mermaid?: string;
}

export function renderJson(model: ReportModel, options: JsonOptions = {}): string {
    return JSON.stringify(
        {
            tool: model.tool,
            ...model.facts,
            resources: model.plan,
            violations: model.verdicts,
            levelChanges: model.levelChanges,
            graph: model.graph,
            access: model.access,
            ...(model.drift === undefined ? {} : { drift: model.drift }),
            ...(options.mermaid === undefined ? {} : { mermaid: options.mermaid }),
            ...(model.failure === undefined ? {} : { error: model.failure }),
        },
        null,
        2,
    );
}

/** The document of a run that has no verdict: `tool`, the facts known so far (a preview's project and stack) and `error`. */
export function renderFailureJson(failure: RunFailure, tool: ReportModel["tool"], facts: Readonly<Record<string, unknown>> = {}): string {
    return JSON.stringify({ tool, ...facts, error: { kind: failure.kind, message: failure.message } }, null, 2);
}
