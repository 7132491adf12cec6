/**
 * The report of a command, as asked: one format on stdout (text, JSON, SARIF or the HTML page), and with `--html FILE`
 * the page written to a file beside it. Every format renders from the one report model (src/report).
 */
import * as fs from "fs";
import * as path from "path";
import { renderHtml } from "../report/html";
import { renderFailureJson } from "../report/json";
import { renderFailureSarif } from "../report/sarif";
import { renderMermaid } from "../report/mermaid";
import { emptyGraph } from "../graph/model";
import { reportModel } from "../report/model";
import type { ReportModel, RunFailure } from "../report/model";
import { MapKind, ReportFormat, mapGoesWith, renderReport } from "../report/render";
import { terminalText } from "../report/safe";
import { CliIo, VERSION, scrub } from "./io";

/** How the report is printed. */
export interface OutputFlags {
    readonly format: ReportFormat;
    readonly map?: MapKind;
    /** Also write the HTML page to this file. */
    readonly html?: string;
    readonly verbose?: boolean;
}

/** Flags that do not go together, as a usage error's message; undefined when they do. */
export function outputProblem(flags: OutputFlags): string | undefined {
    if (flags.map !== undefined && !mapGoesWith(flags.format)) {
        return `--map ${flags.map} goes with --format text (after the report) or json (as its mermaid key), not ${flags.format}`;
    }
    return undefined;
}

/** A value with each secret replaced in every string of it (keys too), as `scrub` does in text. */
function scrubbedValue(value: unknown, secrets: readonly string[]): unknown {
    if (typeof value === "string") {
        return scrub(value, secrets);
    }
    if (Array.isArray(value)) {
        return value.map((v) => scrubbedValue(v, secrets));
    }
    if (value instanceof Map) {
        return new Map([...value].map(([k, v]) => [scrubbedValue(k, secrets), scrubbedValue(v, secrets)]));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k, secrets), scrubbedValue(v, secrets)]));
    }
    return value;
}

/**
 * A usage error of a command, as the failure document of the format asked (a JSON error object or a failed SARIF
 * invocation on stdout, the page saying why on stdout or in the `--html` file): a failure is never an empty stdout, and
 * never a missing page. The error itself goes to stderr. A format that is not one (the usage error may be about it) is
 * taken as text.
 */
export async function usageFailureDocument(tool: ReportModel["tool"], flags: { readonly format?: string; readonly html?: string }, message: string, io: CliIo): Promise<void> {
    const format: ReportFormat = flags.format === "json" || flags.format === "sarif" || flags.format === "html" ? flags.format : "text";
    await writeFailure(tool, { format, ...(flags.html === undefined ? {} : { html: flags.html }) }, { kind: "setup", message }, io);
}

/**
 * A run that failed (nothing to report), in the format asked: JSON's error object or SARIF's failed invocation on
 * stdout, the report page saying it failed (on stdout for `--format html`, in the `--html` file), nothing for text (the
 * error goes to stderr). Each secret is replaced in the message first. False when the page could not be written.
 */
export async function writeFailure(
    tool: ReportModel["tool"],
    flags: OutputFlags,
    failure: RunFailure,
    io: CliIo,
    secrets: readonly string[] = [],
    facts: Readonly<Record<string, unknown>> = {},
): Promise<boolean> {
    const shown = { kind: failure.kind, message: scrub(failure.message, secrets) };
    const page = flags.format === "html" || flags.html !== undefined ? await renderHtml(reportModel({ tool, title: `The ${tool} could not run`, graph: emptyGraph(), failure: shown })) : undefined;
    let written = true;
    if (flags.html !== undefined && page !== undefined) {
        try {
            fs.writeFileSync(path.resolve(flags.html), page);
        } catch (e) {
            io.stderr(`error: cannot write the report page to ${terminalText(flags.html)}: ${terminalText((e as Error).message)}\n`);
            written = false;
        }
    }
    if (flags.format === "html" && page !== undefined) {
        io.stdout(page);
    } else if (flags.format === "json") {
        io.stdout(`${renderFailureJson(shown, tool, facts)}\n`);
    } else if (flags.format === "sarif") {
        io.stdout(`${renderFailureSarif(shown, tool, VERSION, process.cwd())}\n`);
    }
    return written;
}

/** What a command prints instead of the report's own text (an organization's audit has sections of its own). */
export type TextOf = (model: ReportModel, verbose: boolean) => string;

/**
 * Prints the report on stdout and, with `--html FILE`, writes the page there (each with the given secrets replaced, as
 * everything shown). False when the page could not be written (said on stderr): the command exits 2 then.
 */
export async function writeReport(given: ReportModel, flags: OutputFlags, io: CliIo, secrets: readonly string[] = [], textOf?: TextOf): Promise<boolean> {
    // Secrets are replaced in the model before any rendering, since a format may transform a value (the page's search
    // data is lowercased, its text entity-encoded) past what replacing in the rendered text finds; and again after.
    const model = secrets.length === 0 ? given : (scrubbedValue(given, secrets) as ReportModel);
    let written = true;
    if (flags.html !== undefined) {
        const file = path.resolve(flags.html);
        try {
            fs.writeFileSync(file, scrub(await renderHtml(model), secrets));
        } catch (e) {
            io.stderr(`error: cannot write the report page to ${terminalText(flags.html)}: ${terminalText((e as Error).message)}\n`);
            written = false;
        }
    }
    let out: string;
    if (flags.format === "text" && textOf !== undefined) {
        const mermaid = flags.map === undefined ? undefined : renderMermaid(model.graph, { fence: flags.map === "mermaid-md" });
        out = `${textOf(model, flags.verbose === true)}\n${mermaid === undefined ? "" : `\n${mermaid}\n`}`;
    } else {
        out = await renderReport(model, { format: flags.format, map: flags.map, verbose: flags.verbose, version: VERSION });
    }
    io.stdout(scrub(out, secrets));
    return written;
}
