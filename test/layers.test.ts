/**
 * The layers of the source, read from the imports of every file (static, dynamic and `require`, as TypeScript's own
 * pre-processor lists them): the preview and the audit never import each other, nor the command line above them, nor
 * the test kit; both render through the report model.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const SRC = path.join(__dirname, "..", "src");

/** The folder under src/ of each module a file imports (`preview`, `report`…), or undefined for a package. */
function importedFolders(file: string): { specifier: string; folder: string }[] {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    return importedFiles
        .filter((i) => i.fileName.startsWith("."))
        .map((i) => ({ specifier: i.fileName, folder: path.relative(SRC, path.resolve(path.dirname(file), i.fileName)).split(path.sep)[0] }));
}

const filesOf = (folder: string): string[] =>
    fs
        .readdirSync(path.join(SRC, folder))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(SRC, folder, f));

/** Each file's imports of the given folders, as `file -> specifier`. */
const importsOf = (folder: string, forbidden: readonly string[], except: readonly string[] = []): string[] =>
    filesOf(folder)
        .filter((f) => !except.includes(path.relative(SRC, f)))
        .flatMap((f) => importedFolders(f).filter((i) => forbidden.includes(i.folder)).map((i) => `${path.relative(SRC, f)} -> ${i.specifier}`));

test("the reader of imports sees static, dynamic and require imports", () => {
    // Static and dynamic: the audit's modules load when the command runs.
    expect(importedFolders(path.join(SRC, "cli", "audit.ts")).map((i) => i.specifier)).toEqual(
        expect.arrayContaining(["../audit/run", "./report", "../audit/organization", "../audit/report", "../audit/renderOrganization"]),
    );
    // require: the package's manifest, for the rules' documentation links.
    expect(importedFolders(path.join(SRC, "report", "sarif.ts")).map((i) => i.specifier)).toEqual(expect.arrayContaining(["../rules/registry", "../../package.json"]));
    expect(importedFolders(path.join(SRC, "cli", "preview.ts")).filter((i) => i.folder === "preview").map((i) => i.specifier)).toEqual(["../preview/run", "../preview/report", "../preview/program"]);
});

test("the preview and the audit never import each other, the command line or the test kit", () => {
    expect(importsOf("preview", ["audit", "cli", "testing"])).toEqual([]);
    expect(importsOf("audit", ["preview", "cli", "testing"])).toEqual([]);
});

test("the report model and its renderers import neither the preview nor the command line (the audit's drift only as a type)", () => {
    expect(importsOf("report", ["preview", "cli", "testing"])).toEqual([]);
    const audit = filesOf("report").flatMap((f) =>
        fs
            .readFileSync(f, "utf8")
            .split("\n")
            .filter((l) => /from "\.\.\/audit\//.test(l))
            .map((l) => `${path.relative(SRC, f)}: ${l.trim()}`),
    );
    expect(audit).toEqual(['report/model.ts: import type { Drift, DriftKind } from "../audit/drift";']);
});
