/**
 * The one SARIF renderer, for the preview and the audit: where a result is located (the program's file at the line and
 * column where the resource was constructed, relative to `%SRCROOT%`; never a place the program's process made up),
 * and an audit's log (each result with its account, drift as notes, what was not read as a failed invocation).
 */
import { join } from "path";
import type { Log } from "sarif";
import { FINGERPRINT_KEY, physicalLocationOf, renderSarif } from "../../src/report/sarif";
import { reportModel } from "../../src/report/model";
import { emptyGraph } from "../../src/graph/model";
import { rules } from "../../src/rules";
import { sarifErrors } from "../support/sarif";
import { OUTSIDER, OWNER, organizationReport, untrustedPrincipals } from "./fixture";

const ROOT = "/work/repo";
const files = { root: ROOT, programDir: join(ROOT, "infra"), entry: "index.ts" };
const ENTRY = { artifactLocation: { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" } };

describe("where a result is", () => {
    test("the file and region of the resource's position, relative to %SRCROOT%", () => {
        expect(physicalLocationOf({ file: "lib/shares.ts", line: 12, column: 7 }, files)).toEqual({
            artifactLocation: { uri: "infra/lib/shares.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 12, startColumn: 7 },
        });
        expect(physicalLocationOf(undefined, files)).toEqual(ENTRY);
    });

    test("a position outside the program's folder, or with a line or column that is no whole number from 1, is never written: the entry file, no region", () => {
        for (const source of [
            { file: "../../etc/passwd", line: 1, column: 1 },
            { file: "/etc/passwd", line: 1, column: 1 },
            { file: "", line: 1, column: 1 },
            { file: "index.ts", line: 0, column: 1 },
            { file: "index.ts", line: -3, column: 1 },
            { file: "index.ts", line: 1.5, column: 1 },
            { file: "index.ts", line: 1, column: Number.NaN },
            { file: "index.ts", line: Number.POSITIVE_INFINITY, column: 1 },
            { file: "index.ts", line: "3" as unknown as number, column: 1 },
            { file: 42 as unknown as string, line: 3, column: 1 },
        ]) {
            expect([source, physicalLocationOf(source, files)]).toEqual([source, ENTRY]);
        }
    });

    test("URIs whatever the folders are called (spaces, #, %); a program outside %SRCROOT% by its file URI", () => {
        expect(physicalLocationOf({ file: "a b/c#1%zz.ts", line: 2, column: 3 }, { ...files, programDir: join(ROOT, "sp ace") })).toEqual({
            artifactLocation: { uri: "sp%20ace/a%20b/c%231%25zz.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 2, startColumn: 3 },
        });
        expect(physicalLocationOf(undefined, { root: ROOT, programDir: "/elsewhere/prog", entry: "index.js" })).toEqual({ artifactLocation: { uri: "file:///elsewhere/prog/index.js" } });
    });
});

describe("an audit's log", () => {
    const drift = { format: "stack export" as const, outsideStack: [{ kind: "target" as const, key: `cn-shanghai/backups: ${OUTSIDER}` }], missingFromAccount: [], notCompared: [] };
    const model = organizationReport(undefined, { tool: "audit", drift });

    test("valid; the registry's rules then drift; each verdict located at its resource with its account; drift as notes", () => {
        const log = JSON.parse(renderSarif({ ...model, reads: { accounts: [OWNER], regions: ["cn-shanghai"], counts: [], received: [], notInEffect: ["not in effect: share x"], notes: ["a note"], incomplete: ["an answer"] } }, "0.1.0")) as Log;
        expect(sarifErrors(log)).toEqual([]);
        const [run] = log.runs;
        expect(run.tool.driver.name).toBe("alicloud-sharing audit");
        expect(run.tool.driver.rules!.map((r) => r.id)).toEqual([...rules.map((r) => r.id), "drift"]);
        expect(run.originalUriBaseIds).toBeUndefined();
        const results = run.results!;
        expect(results).toHaveLength(model.verdicts.length + 1);
        expect(results[0]).toEqual({
            ruleId: "recipients-allowed",
            ruleIndex: rules.findIndex((r) => r.id === "recipients-allowed"),
            level: "error",
            message: { text: `[S3] "${OUTSIDER}" is not an allowed recipient. ${model.verdicts[0].fix} (rule recipients-allowed; at ${model.verdicts[0].path})` },
            locations: [{ logicalLocations: [{ fullyQualifiedName: model.verdicts[0].urn, name: model.verdicts[0].name, kind: "resource" }] }],
            partialFingerprints: { [FINGERPRINT_KEY]: expect.stringMatching(/^[0-9a-f]{32}$/) },
            properties: { policy: "sharing-recipients", constraints: ["S3"], judgedBy: "audit", accountId: OWNER, path: model.verdicts[0].path, fix: model.verdicts[0].fix },
        });
        expect(results.at(-1)).toEqual({
            ruleId: "drift",
            ruleIndex: rules.length,
            level: "note",
            message: { text: `in the account, not in the stack: target cn-shanghai/backups: ${OUTSIDER}` },
            properties: { kind: "target", key: `cn-shanghai/backups: ${OUTSIDER}`, accountId: OWNER },
        });
        // What could not be read fails the run; notes and what is not in effect are said beside the results.
        expect(run.invocations).toEqual([
            {
                executionSuccessful: false,
                toolExecutionNotifications: [
                    { level: "error", message: { text: "not read: an answer" } },
                    { level: "note", message: { text: "a note" } },
                    { level: "note", message: { text: "not in effect: share x" } },
                ],
            },
        ]);
    });
});

describe("fingerprints", () => {
    const accounts = ["1234567890123456", "2345678901234567", "3456789012345678"];
    const fingerprints = () =>
        (JSON.parse(renderSarif(reportModel({ tool: "preview", title: "t", graph: emptyGraph(), verdicts: untrustedPrincipals(accounts) }), "0.1.0")) as Log).runs[0].results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);

    test("several verdicts of one rule at one argument of one component: one fingerprint each", () => {
        const verdicts = untrustedPrincipals(accounts);
        expect(verdicts.map((v) => [v.rule, v.path, v.urn === verdicts[0].urn])).toEqual(accounts.map(() => ["trusted-principals-allowed", "accountIds", true]));
        const first = fingerprints();
        expect(first).toHaveLength(3);
        expect(new Set(first).size).toBe(3);
    });

    test("the same run twice: the same fingerprints", () => {
        expect(fingerprints()).toEqual(fingerprints());
    });
});
