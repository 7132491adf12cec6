/**
 * Positions in the program: where it constructed a resource or threw an error, as a file relative to its folder, a
 * line and a column. Only what lies in the program's folder, outside `node_modules`, is a position of the program
 * (Pulumi's, this package's and any dependency's frames are not); the rest of what the program's process sends is not
 * trusted: a URI that is not a `file:` URI in the folder, a line or column that is not a whole number from 1, is none.
 */
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import type { SourcePosition } from "../report/model";

const isPosition = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 1;

/** Whether a name holds a control character or a line separator (a file name that would break a line of a report). */
const hasControl = (name: string): boolean =>
    [...name].some((c) => {
        const n = c.codePointAt(0)!;
        return n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x2028 || n === 0x2029;
    });

/** The files a program's code is in. */
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** This package's own folder: its source and build are not the program's, even inside the program's folder. */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/** Lines of the program's files, read once each: a position must be a line and column that exist. */
const linesOf = new Map<string, readonly number[] | undefined>();
function lineLengths(file: string): readonly number[] | undefined {
    if (!linesOf.has(file)) {
        let lengths: number[] | undefined;
        try {
            lengths = fs.statSync(file).isFile() ? fs.readFileSync(file, "utf8").split("\n").map((l) => l.length) : undefined;
        } catch {
            lengths = undefined;
        }
        linesOf.set(file, lengths);
    }
    return linesOf.get(file);
}

/**
 * The position of an absolute file's line and column, when the file is the program's: a source file that exists in
 * its folder (outside `node_modules` and this package), named without control characters, and a line and column in it.
 */
export function positionInProgram(file: string, line: unknown, column: unknown, programDir: string): SourcePosition | undefined {
    if (!isPosition(line) || !isPosition(column) || !path.isAbsolute(file) || !SOURCE.test(file) || hasControl(file)) {
        return undefined;
    }
    const relative = path.relative(programDir, file);
    const parts = relative.split(path.sep);
    if (relative === "" || path.isAbsolute(relative) || parts[0] === ".." || parts.includes("node_modules")) {
        return undefined;
    }
    const own = path.relative(PACKAGE_ROOT, file).split(path.sep);
    if (own[0] === "src" || own[0] === "dist") {
        return undefined;
    }
    const lengths = lineLengths(file);
    if (lengths === undefined || line > lengths.length || column > lengths[line - 1] + 1) {
        return undefined;
    }
    return { file: parts.join("/"), line, column };
}

/** The position of a frame as the runtime sends it (a `file:` URI, a line, a column), when it is the program's. */
export function programPosition(uri: unknown, line: unknown, column: unknown, programDir: string): SourcePosition | undefined {
    if (typeof uri !== "string" || !uri.startsWith("file:")) {
        return undefined;
    }
    let file: string;
    try {
        file = fileURLToPath(uri);
    } catch {
        return undefined;
    }
    return positionInProgram(file, line, column, programDir);
}

/** A frame of a stack's text: `    at f (/abs/file.js:3:7)` or `    at /abs/file.js:3:7`. */
const FRAME = /^\s+at (?:.*? \()?((?:\/|[A-Za-z]:\\).+?):(\d+):(\d+)\)?$/;

/** The first frame of an error's stack text that is the program's (source-mapped already for TypeScript: ts-node maps stacks). */
export function stackPosition(text: string, programDir: string): SourcePosition | undefined {
    for (const line of text.split("\n")) {
        const m = FRAME.exec(line);
        const found = m === null ? undefined : positionInProgram(m[1], Number(m[2]), Number(m[3]), programDir);
        if (found !== undefined) {
            return found;
        }
    }
    return undefined;
}
