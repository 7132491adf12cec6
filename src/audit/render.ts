/**
 * How an audit is shown: text for people, JSON for tools, SARIF for code scanning, Mermaid for the map, and the drift.
 * The verdicts, the map and the rules' help links are rendered by the preview's own functions.
 */
import type { Log, ReportingDescriptor, Result } from "sarif";
import { renderMapText, renderMermaid, renderVerdicts, ruleHelpUri } from "../preview/render";
import { rules } from "../rules/registry";
import { Drift, DriftEntry } from "./drift";
import { NotInEffect, sharesInEffect } from "./model";
import { LISTED_VALUES, showValues } from "../rules/types";
import { AuditResult } from "./run";
import { terminal, terminalText } from "../report/safe";

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const KIND_LABEL: Readonly<Record<DriftEntry["kind"], string>> = {
    share: "share",
    resource: "resource",
    target: "target",
    imagePermission: "image permission",
    role: "share role",
    trustedPrincipal: "trusted principal",
};

/** One drift entry as a line: `<kind> <key>[: detail]`. */
export const driftLine = (e: DriftEntry): string => `${KIND_LABEL[e.kind]} ${e.key}${e.detail === undefined ? "" : ` (${e.detail})`}`;

/** The drift as text: what the account has that the stack does not, what the stack declares that the account lacks, what was not compared. */
export function renderDrift(drift: Drift, source?: string): string {
    const lines = [terminal`Drift from the stack (${source === undefined ? "" : `${source}, `}${drift.format})`];
    const section = (title: string, entries: readonly DriftEntry[]) => {
        lines.push(`  ${title} (${entries.length})${entries.length === 0 ? ": none" : ":"}`);
        // Entries of one kind under one parent (the grants of an image, the targets of a share) beyond a few are one
        // line naming five and the count: the text stays short whatever the account; JSON and SARIF keep every one.
        const groups = new Map<string, DriftEntry[]>();
        for (const e of entries) {
            const parent = e.detail === undefined && e.key.includes(": ") ? `${e.kind}\n${e.key.slice(0, e.key.indexOf(": "))}` : `${e.kind}\n${e.key}\n${e.detail ?? ""}`;
            groups.set(parent, [...(groups.get(parent) ?? []), e]);
        }
        for (const group of groups.values()) {
            if (group.length <= LISTED_VALUES) {
                group.forEach((e) => lines.push(terminal`    ${driftLine(e)}`));
            } else {
                const head = group[0].key.slice(0, group[0].key.indexOf(": "));
                lines.push(terminal`    ${KIND_LABEL[group[0].kind]} ${head}: ${group.length} (${showValues(group.map((e) => e.key.slice(head.length + 2)))})`);
            }
        }
    };
    section("in the account, not in the stack", drift.outsideStack);
    section("in the stack, not in the account", drift.missingFromAccount);
    if (drift.notCompared.length > 0) {
        lines.push("  not compared:", ...drift.notCompared.map((n) => terminal`    ${n}`));
    }
    return lines.join("\n");
}

/**
 * What a share holds that is not in effect, in words (values as read: escape them for the medium): the share itself or
 * one association, and its status; the owner's account when an organization's audit says whose it is.
 */
export function notInEffectText(n: NotInEffect & { readonly accountId?: string }): string {
    const share = `share ${n.region}/${n.shareName} (${n.shareId})${n.accountId === undefined ? "" : ` of ${n.accountId}`}`;
    return n.kind === "share" ? `not in effect: ${share} is ${n.status}` : `not in effect: ${n.kind} ${n.id} of ${share} is ${n.status}`;
}

/** What was read, in one line per kind; what is not in effect, what could not be covered and what was not read, a line each. */
function renderRead(result: AuditResult): string[] {
    const { read } = result;
    const shares = sharesInEffect(read.shares);
    const resources = shares.reduce((n, s) => n + s.resources.length, 0);
    const targets = shares.reduce((n, s) => n + s.targets.length, 0);
    const permitted = read.images.filter((i) => i.accounts.length + i.groups.length > 0);
    const grants = permitted.reduce((n, i) => n + i.accounts.length + i.groups.length, 0);
    const lines = [
        `Read: ${plural(shares.length, "resource share")} (${plural(resources, "resource")}, ${plural(targets, "target")}), ` +
            `${plural(permitted.length, "image")} with share permissions (${plural(grants, "grant")}), ${plural(read.roles.length, "share role")}, ${plural(read.keys.length, "KMS key")}; ` +
            `${plural(read.received.length, "share")} received`,
    ];
    for (const n of result.notInEffect) {
        lines.push(`  ${terminalText(notInEffectText(n))}`);
    }
    result.notes.forEach((n) => lines.push(terminal`  note: ${n}`));
    result.incomplete.forEach((n) => lines.push(terminal`  not read: ${n}`));
    return lines;
}

/** The shares other accounts share with this one. */
function renderReceived(result: AuditResult): string[] {
    if (result.read.received.length === 0) {
        return ["  none"];
    }
    return result.read.received.map(
        (s) => terminal`  ${s.id}${s.name === undefined ? "" : ` "${s.name}"`} from ${s.owner ?? "(owner unknown)"} in ${s.region}: ${s.resources.map((r) => `${r.type} ${r.id}`).join(", ") || "(no resource)"}`,
    );
}

/** The whole text report; every value read from the account is escaped for the terminal (one record, one line). */
export function renderAuditText(result: AuditResult, intendedSource?: string): string {
    const mandatory = result.verdicts.filter((v) => v.level === "mandatory").length;
    return [
        terminal`alicloud-sharing audit of account ${result.accountId} (regions ${result.regions.join(", ")}; ${plural(result.requests.total, "request")}, read only, in ${(result.durationMs / 1000).toFixed(1)} s)`,
        ...(result.incomplete.length === 0 ? [] : [`INCOMPLETE: ${plural(result.incomplete.length, "answer")} could not be used (below, "not read"): the account may share more than this report shows.`]),
        "",
        ...renderRead(result),
        "",
        `Verdicts: ${mandatory} mandatory, ${result.verdicts.length - mandatory} advisory`,
        renderVerdicts(result.verdicts),
        "",
        "Sharing map",
        renderMapText(result.map),
        "",
        "Shares received",
        ...renderReceived(result),
        ...(result.drift === undefined ? [] : ["", renderDrift(result.drift, intendedSource === undefined ? undefined : terminalText(intendedSource))]),
    ].join("\n");
}

/**
 * The JSON report: what was read (as the raw resources judged), the violations, the map (and its Mermaid flowchart
 * when asked for), the shares received, what is not in effect, the notes, what could not be read, the requests, the drift.
 */
export function renderAuditJson(result: AuditResult, mermaid?: string): string {
    return JSON.stringify(
        {
            accountId: result.accountId,
            regions: result.regions,
            sharingRegions: result.read.sharingRegions,
            allRegions: result.read.allRegions,
            requests: result.requests,
            durationMs: result.durationMs,
            resources: result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, region: r.providerProps.region, props: r.props })),
            violations: result.verdicts,
            map: result.map,
            ...(mermaid === undefined ? {} : { mermaid }),
            received: result.read.received,
            notInEffect: result.notInEffect,
            notes: result.notes,
            incomplete: result.incomplete,
            drift: result.drift,
        },
        null,
        2,
    );
}

/** The SARIF rule of drift results (a note each), after the registry's rules. */
const DRIFT_RULE: ReportingDescriptor = {
    id: "drift",
    name: "drift",
    shortDescription: { text: "The account differs from the stack" },
    fullDescription: { text: "What the account shares that the stack does not declare (made outside the stack), or what the stack declares that the account lacks." },
    defaultConfiguration: { level: "note" },
};

/** SARIF 2.1.0: one result per verdict (the rule registry as the tool's rules) and one note per drift entry; locations are the live resources' URNs. */
export function renderAuditSarif(result: AuditResult, version: string): string {
    const descriptors: ReportingDescriptor[] = [
        ...rules.map((r) => ({
            id: r.id,
            name: r.id,
            shortDescription: { text: r.title },
            fullDescription: { text: r.description },
            helpUri: ruleHelpUri(r.id),
            defaultConfiguration: { level: r.severity === "error" ? ("error" as const) : ("warning" as const) },
            properties: { constraints: [...r.constraints], severity: r.severity },
        })),
        ...(result.drift === undefined ? [] : [DRIFT_RULE]),
    ];
    const results: Result[] = result.verdicts.map((v) => ({
        ruleId: v.rule ?? v.policy,
        ...(v.rule === undefined ? {} : { ruleIndex: rules.findIndex((r) => r.id === v.rule) }),
        level: v.level === "mandatory" ? "error" : "warning",
        message: { text: v.message },
        ...(v.urn === undefined ? {} : { locations: [{ logicalLocations: [{ fullyQualifiedName: v.urn, name: v.name, kind: "resource" }] }] }),
        properties: {
            policy: v.policy,
            constraints: [...v.constraints],
            // The account of the live resource (an organization's audit judges many), else the one audited.
            accountId: /^urn:pulumi:audit::([0-9]{16})::/.exec(v.urn ?? "")?.[1] ?? result.accountId,
            ...(v.path === undefined ? {} : { path: v.path }),
            ...(v.fix === undefined ? {} : { fix: v.fix }),
        },
    }));
    if (result.drift !== undefined) {
        const entries: [string, DriftEntry][] = [
            ...result.drift.outsideStack.map((e): [string, DriftEntry] => ["in the account, not in the stack", e]),
            ...result.drift.missingFromAccount.map((e): [string, DriftEntry] => ["in the stack, not in the account", e]),
        ];
        for (const [side, e] of entries) {
            results.push({
                ruleId: DRIFT_RULE.id,
                ruleIndex: rules.length,
                level: "note",
                message: { text: `${side}: ${driftLine(e)}` },
                properties: { kind: e.kind, key: e.key, accountId: result.accountId },
            });
        }
    }
    // What could not be read makes the run unsuccessful; notes and what is not in effect are said beside the results.
    const notifications = [
        ...result.incomplete.map((text) => ({ level: "error" as const, message: { text: `not read: ${text}` } })),
        ...result.notes.map((text) => ({ level: "note" as const, message: { text } })),
        ...result.notInEffect.map((n) => ({
            level: "note" as const,
            message: { text: notInEffectText(n) },
        })),
    ];
    const log: Log = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: "alicloud-sharing audit", version, rules: descriptors } },
                invocations: [{ executionSuccessful: result.incomplete.length === 0, ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }) }],
                results,
            },
        ],
    };
    return JSON.stringify(log, null, 2);
}

/** The sharing map as a Mermaid flowchart (the preview's). */
export const renderAuditMermaid = (result: AuditResult): string => renderMermaid(result.map);
