/** A report in the format asked for: the one place the command line turns a report model into what it prints. */
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderMermaid } from "./mermaid";
import type { ReportModel } from "./model";
import { renderSarif } from "./sarif";
import { renderText } from "./text";

/** The formats of a report. */
export const REPORT_FORMATS = ["text", "json", "sarif", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The sharing map as a Mermaid flowchart: bare, or in a Markdown fence (`mermaid-md`). */
export const MAP_KINDS = ["mermaid", "mermaid-md"] as const;
export type MapKind = (typeof MAP_KINDS)[number];

/** What to print. */
export interface RenderRequest {
    readonly format: ReportFormat;
    /** With text, the flowchart after the report; with JSON, as its `mermaid` key. Not with SARIF or HTML. */
    readonly map?: MapKind;
    /** Text: every subject of a grouped verdict and every recipient of a folder. */
    readonly verbose?: boolean;
    /** The tool's version, for SARIF. */
    readonly version: string;
}

/** Whether a map goes with a format: text and JSON hold one; a SARIF log and an HTML page do not (the page draws the graph). */
export const mapGoesWith = (format: ReportFormat): boolean => format === "text" || format === "json";

/** The report as printed, ending with a newline (text that is empty stays empty: a run that failed before judging). */
export async function renderReport(model: ReportModel, request: RenderRequest): Promise<string> {
    const mermaid = request.map === undefined ? undefined : renderMermaid(model.graph, { fence: request.map === "mermaid-md" });
    switch (request.format) {
        case "json":
            return `${renderJson(model, { mermaid })}\n`;
        case "sarif":
            return `${renderSarif(model, request.version)}\n`;
        case "html":
            return renderHtml(model);
        case "text": {
            const text = renderText(model, { verbose: request.verbose });
            return text === "" ? "" : `${text}\n${mermaid === undefined ? "" : `\n${mermaid}\n`}`;
        }
    }
}
