/** How a preview is shown: text for people, JSON for tools, SARIF for code scanning, Mermaid for the map. */
import { createHash } from "crypto";
import { isAbsolute, relative, resolve, sep } from "path";
import { pathToFileURL } from "url";
import type { Log, ReportingDescriptor, Result } from "sarif";
import { rules } from "../rules/registry";
import { MermaidIds, mermaidLabel, terminal } from "../report/safe";
import { MapShare, SharingMap, sharingMap } from "./map";
import type { CapturedResource } from "./monitor";
import type { PreviewErrorKind } from "./program";
import { rawResources, shownValue } from "./resources";
import type { PreviewResult, Verdict } from "./verdicts";

const DOCUMENT_INPUTS = ["assumeRolePolicyDocument", "document", "policyDocument"];

/** The provider a resource is created with: the name of the provider resource, or `default`. */
function providerOf(r: CapturedResource): string {
    return r.provider === "" ? "default" : (r.provider.split("::")[3] ?? r.provider);
}

/** The inputs shown: those of the program (unknowns as `[unknown]`), not the serialized code of a dynamic provider (`__provider`). */
function shownInputs(r: CapturedResource): Record<string, unknown> {
    const { __provider: _code, ...inputs } = r.inputs;
    void _code;
    return shownValue(inputs) as Record<string, unknown>;
}

/** The plan: resources as a tree by parent, each with its provider and inputs; RAM documents pretty-printed. */
export function renderPlan(resources: readonly CapturedResource[]): string {
    const children = new Map<string, CapturedResource[]>();
    for (const r of resources) {
        const siblings = children.get(r.parent);
        if (siblings === undefined) {
            children.set(r.parent, [r]);
        } else {
            siblings.push(r);
        }
    }
    const lines: string[] = [];
    const walk = (parent: string, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const pad = "  ".repeat(depth);
            const notes = [r.protect ? "protected" : undefined, r.custom && r.provider !== "" ? `provider ${providerOf(r)}` : undefined].filter((n) => n !== undefined);
            lines.push(`${pad}+ ${terminal`${r.type} ${r.name}`}${notes.length === 0 ? "" : terminal` (${notes.join(", ")})`}`);
            for (const [key, value] of Object.entries(shownInputs(r)).sort(([a], [b]) => a.localeCompare(b))) {
                let pretty: string | undefined;
                if (DOCUMENT_INPUTS.includes(key) && typeof value === "string") {
                    try {
                        pretty = JSON.stringify(JSON.parse(value), null, 2);
                    } catch {
                        // Not JSON: shown on one line as a string, the rules say what is wrong with it.
                    }
                }
                if (pretty !== undefined) {
                    // JSON's own line breaks; its strings cannot hold one (JSON escapes them), the rest is escaped.
                    lines.push(terminal`${pad}    ${key}:`, ...pretty.split("\n").map((l) => terminal`${pad}      ${l}`));
                } else {
                    lines.push(terminal`${pad}    ${key}: ${JSON.stringify(value)}`);
                }
            }
            walk(r.urn, depth + 1);
        }
    };
    walk("", 0);
    return lines.join("\n");
}

/** What a verdict is about, for people: `SharedSnapshot "backups"` or the resource's name, and the argument or property. */
function aboutOf(v: Verdict): string {
    const what = v.type !== undefined && v.name !== undefined && v.policy === "component" ? `${v.type.split(":").pop()} "${v.name}"` : (v.name ?? v.urn?.split("::").pop());
    return [what, v.path === undefined ? undefined : `at ${v.path}`].filter((p) => p !== undefined).join(" ");
}

/** The verdicts, mandatory first. */
export function renderVerdicts(verdicts: readonly Verdict[]): string {
    if (verdicts.length === 0) {
        return "  no violation";
    }
    const sorted = [...verdicts].sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1));
    // Each verdict is two lines of its own: every value in them (names, paths, messages quoting what was judged) escaped.
    return sorted.map((v) => `${terminal`  [${v.level}] ${v.policy}`}${aboutOf(v) === "" ? "" : terminal` ${aboutOf(v)}`}\n${terminal`      ${v.message}`}`).join("\n");
}

const describeShare = (s: MapShare): string[] => [
    terminal`    ${s.kind}s via ${s.via} ${s.name} in ${s.region}, encryption: ${s.encryption}`,
    terminal`      ${s.resources.join(", ")}`,
    terminal`      -> ${s.recipients.map((r) => `${r.id} (${r.kind})`).join(", ") || "(no recipient)"}`,
];

/** The sharing map as text. */
export function renderMapText(map: SharingMap): string {
    const lines = [terminal`  owner ${map.owner}`];
    for (const s of map.shares) {
        lines.push(...describeShare(s));
    }
    for (const r of map.roles) {
        lines.push(terminal`    role ${r.name} trusts ${r.trusts.join(", ") || "nobody"}; keys ${r.keys.join(", ") || "(none attached)"}`);
    }
    return lines.join("\n");
}

/**
 * The sharing map as a Mermaid flowchart: owner, shares, resources, recipients and roles. Node ids are generated
 * (`n1`, `n2`, …); every label is escaped with Mermaid's entity codes, so no name can add syntax to the chart.
 */
export function renderMermaid(map: SharingMap): string {
    const ids = new MermaidIds();
    const lines = ["flowchart LR"];
    const node = (key: string, shape: [string, string], ...label: string[]): string => {
        if (!ids.has(key)) {
            lines.push(`  ${ids.of(key)}${shape[0]}${mermaidLabel(...label)}${shape[1]}`);
        }
        return ids.of(key);
    };
    const owner = node("owner", ["[", "]"], `owner ${map.owner}`);
    map.shares.forEach((s, i) => {
        const share = node(`share\n${i}`, ["{{", "}}"], `${s.via} ${s.name}`, `${s.region}, ${s.encryption}`);
        lines.push(`  ${owner} --> ${share}`);
        for (const r of s.resources) {
            lines.push(`  ${node(`resource\n${r}`, ["([", "])"], `${s.kind} ${r}`)} --> ${share}`);
        }
        for (const r of s.recipients) {
            lines.push(`  ${share} --> ${node(`recipient\n${r.id}`, ["[/", "/]"], `${r.kind} ${r.id}`)}`);
        }
    });
    map.roles.forEach((r) => {
        const role = node(`role\n${r.name}`, ["[[", "]]"], `role ${r.name}`);
        lines.push(`  ${owner} -.-> ${role}`);
        for (const t of r.trusts) {
            const recipient = t.replace(/\*$/, "").split("/").pop() || t;
            lines.push(`  ${role} -. trusts .-> ${node(`recipient\n${recipient}`, ["[/", "/]"], `trusted ${t}`)}`);
        }
    });
    return lines.join("\n");
}

/** The policies the config sets to another level, one line, before the verdicts (a disabled check is never silent). */
function levelLines(result: PreviewResult): string[] {
    const changes = result.levelChanges ?? [];
    return changes.length === 0 ? [] : [terminal`Policy levels set by the policy config: ${changes.map((c) => `${c.policy} ${c.level} (not ${c.defaultLevel})`).join(", ")}`];
}

/** The whole text report. */
export function renderText(result: PreviewResult, map: SharingMap): string {
    const mandatory = result.verdicts.filter((v) => v.level === "mandatory").length;
    return [
        terminal`alicloud-sharing offline preview of ${result.project} (stack ${result.stack}, config ${result.configSource}, account ${result.accountId}, region ${result.region})`,
        "",
        `Plan: ${result.resources.length} resource${result.resources.length === 1 ? "" : "s"}`,
        renderPlan(result.resources),
        "",
        ...levelLines(result),
        `Verdicts: ${mandatory} mandatory, ${result.verdicts.length - mandatory} advisory`,
        renderVerdicts(result.verdicts),
        "",
        "Sharing map",
        renderMapText(map),
    ].join("\n");
}

/**
 * The JSON report: `resources` (with their provider and dependencies), `violations` (each with rule, constraints,
 * level, message, fix, path, urn), the `map`, `mermaid` when asked for, and `error` (`{ kind: "program", message }`)
 * when the program failed.
 */
export function renderJson(result: PreviewResult, map: SharingMap, mermaid?: string): string {
    return JSON.stringify(
        {
            project: result.project,
            stack: result.stack,
            resources: result.resources.map((r) => ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                parent: r.parent || undefined,
                custom: r.custom,
                protect: r.protect,
                // The provider a cloud resource is made with; none for components and for providers themselves.
                provider: r.custom && !r.type.startsWith("pulumi:providers:") ? providerOf(r) : undefined,
                inputs: shownInputs(r),
                dependencies: r.dependencies.length === 0 ? undefined : r.dependencies,
                propertyDependencies: Object.keys(r.propertyDependencies).length === 0 ? undefined : r.propertyDependencies,
            })),
            violations: result.verdicts,
            map,
            levelChanges: result.levelChanges ?? [],
            ...(mermaid === undefined ? {} : { mermaid }),
            ...(result.programError === undefined ? {} : { error: { kind: "program", message: result.programError } }),
        },
        null,
        2,
    );
}

/**
 * Where a rule is documented: its section of docs/RULES.md in the repository, at this version's tag (a link that
 * works wherever the report is read, unlike a path on the machine that made it).
 */
export function ruleHelpUri(ruleId: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require("../../package.json") as { version: string; homepage?: string };
    const repository = (manifest.homepage ?? "https://github.com/alicloud-sharing/alicloud-sharing").replace(/#.*$/, "");
    return `${repository}/blob/v${manifest.version}/docs/RULES.md#${ruleId}`;
}

/** Where a SARIF log's results are: the program's entry file, relative to the folder the command ran in. */
export interface SarifPlace {
    /** The program's folder. */
    readonly programDir: string;
    /** The folder the command ran in: `%SRCROOT%`, the base of every location. */
    readonly cwd: string;
}

/** A result's stable identity across runs (the same rule, policy, resource and place), for code-scanning tools to track it. */
export function fingerprintOf(v: Verdict): string {
    return createHash("sha256").update([v.rule ?? "", v.policy, v.urn ?? "", v.path ?? ""].join("\n")).digest("hex").slice(0, 32);
}

/**
 * SARIF 2.1.0 for code-scanning tools: one result per verdict, located in the program's entry file (relative to
 * `%SRCROOT%`, the folder the command ran in) and at the resource's URN, with a stable fingerprint; the rule registry
 * as the tool's rules, each linking its documentation; the program's own failure as a tool notification.
 */
/** The rule registry as a SARIF tool's rules, each linking its documentation. */
function ruleDescriptors(): ReportingDescriptor[] {
    return rules.map((r) => ({
        id: r.id,
        name: r.id,
        shortDescription: { text: r.title },
        fullDescription: { text: r.description },
        helpUri: ruleHelpUri(r.id),
        defaultConfiguration: { level: r.severity === "error" ? "error" : "warning" },
        properties: { constraints: [...r.constraints], severity: r.severity },
    }));
}

const TOOL_URI = "https://github.com/alicloud-sharing/alicloud-sharing";
const srcRoot = (cwd: string) => ({ "%SRCROOT%": { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, "/")}` } });

export function renderSarif(result: PreviewResult, version: string, place: SarifPlace): string {
    const descriptors = ruleDescriptors();
    const entry = resolve(place.programDir, result.entry);
    const relativeEntry = relative(place.cwd, entry);
    const artifactLocation = relativeEntry.startsWith("..") || isAbsolute(relativeEntry)
        ? { uri: pathToFileURL(entry).href }
        : { uri: relativeEntry.split(sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
    const results: Result[] = result.verdicts.map((v) => ({
        ruleId: v.rule ?? v.policy,
        ...(v.rule === undefined ? {} : { ruleIndex: rules.findIndex((r) => r.id === v.rule) }),
        level: v.level === "mandatory" ? "error" : "warning",
        message: { text: v.message },
        locations: [
            {
                physicalLocation: { artifactLocation },
                ...(v.urn === undefined ? {} : { logicalLocations: [{ fullyQualifiedName: v.urn, name: v.name, kind: "resource" }] }),
            },
        ],
        partialFingerprints: { "alicloudSharingVerdict/v1": fingerprintOf(v) },
        properties: { policy: v.policy, constraints: [...v.constraints], ...(v.path === undefined ? {} : { path: v.path }), ...(v.fix === undefined ? {} : { fix: v.fix }) },
    }));
    const log: Log = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: "alicloud-sharing", version, informationUri: TOOL_URI, rules: descriptors } },
                originalUriBaseIds: srcRoot(place.cwd),
                invocations: [
                    {
                        executionSuccessful: result.programError === undefined,
                        ...(result.programError === undefined
                            ? {}
                            : { toolExecutionNotifications: [{ level: "error", message: { text: `the program failed: ${result.programError}` }, properties: { kind: "program" } }] }),
                        // A policy the config disabled or lowered judges less: said, never silent.
                        ...((result.levelChanges ?? []).length === 0
                            ? {}
                            : {
                                  toolConfigurationNotifications: result.levelChanges!.map((c) => ({
                                      level: c.level === "disabled" ? "warning" : "note",
                                      message: { text: `the policy config sets ${c.policy} to ${c.level} (its own level is ${c.defaultLevel})` },
                                  })),
                              }),
                    },
                ],
                results,
            },
        ],
    };
    return JSON.stringify(log, null, 2);
}

/** Why a preview has no verdict, for the report: its kind and what happened. */
export interface PreviewFailure {
    readonly kind: PreviewErrorKind;
    readonly message: string;
    /** The program's project and stack, when they were read. */
    readonly project?: string;
    readonly stack?: string;
}

/**
 * The report of a preview that has no verdict, for tools: JSON `{ project?, stack?, error: { kind, message } }`, or a
 * SARIF log whose one invocation failed, with the error as a tool execution notification and no results. Nothing in
 * text (the error goes to stderr).
 */
export function failureReportOf(failure: PreviewFailure, request: ReportRequest): string {
    if (request.format === "json") {
        return `${JSON.stringify({ project: failure.project, stack: failure.stack, error: { kind: failure.kind, message: failure.message } }, null, 2)}\n`;
    }
    if (request.format === "sarif") {
        const log: Log = {
            $schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [
                {
                    tool: { driver: { name: "alicloud-sharing", version: request.version, informationUri: TOOL_URI, rules: ruleDescriptors() } },
                    originalUriBaseIds: srcRoot(request.cwd),
                    invocations: [
                        {
                            executionSuccessful: false,
                            toolExecutionNotifications: [
                                { level: "error", message: { text: failure.kind === "program" ? `the program failed: ${failure.message}` : failure.message }, properties: { kind: failure.kind } },
                            ],
                        },
                    ],
                },
            ],
        };
        return `${JSON.stringify(log, null, 2)}\n`;
    }
    return "";
}

/** What the CLI asks the preview to print: the format, the map, and where SARIF locations are relative to. */
export interface ReportRequest {
    readonly format: "text" | "json" | "sarif";
    readonly map?: "mermaid";
    readonly version: string;
    readonly programDir: string;
    readonly cwd: string;
}

/**
 * The report for stdout: text (with the Mermaid map after it), JSON (with the map as `mermaid`) or SARIF. A failed
 * program with nothing to judge prints nothing in text (its error goes to stderr, once): no empty plan.
 */
export function reportOf(result: PreviewResult, request: ReportRequest): string {
    const map = sharingMap(rawResources(result.resources), result.accountId, result.region);
    const mermaid = request.map === "mermaid" ? renderMermaid(map) : undefined;
    if (request.format === "json") {
        return `${renderJson(result, map, mermaid)}\n`;
    }
    if (request.format === "sarif") {
        return `${renderSarif(result, request.version, { programDir: request.programDir, cwd: request.cwd })}\n`;
    }
    if (result.programError !== undefined && result.verdicts.length === 0) {
        return "";
    }
    return `${renderText(result, map)}\n${mermaid === undefined ? "" : `\n${mermaid}\n`}`;
}
