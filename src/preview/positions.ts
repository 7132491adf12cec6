/**
 * Positions in the program: where it constructed a resource or threw an error, as a file relative to its folder, a
 * line and a column. Only what lies in the program's folder, outside `node_modules`, is a position of the program
 * (Pulumi's, this package's and any dependency's frames are not); the rest of what the program's process sends is not
 * trusted: a URI that is not a `file:` URI in the folder, a line or column that is not a whole number from 1, is none.
 */
import * as path from "path";
import { fileURLToPath } from "url";
import type { SourcePosition } from "../report/model";

const isPosition = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 1;

/** The position of an absolute file's line and column, when the file is the program's. */
export function positionInProgram(file: string, line: unknown, column: unknown, programDir: string): SourcePosition | undefined {
    if (!isPosition(line) || !isPosition(column) || !path.isAbsolute(file)) {
        return undefined;
    }
    const relative = path.relative(programDir, file);
    const parts = relative.split(path.sep);
    if (relative === "" || path.isAbsolute(relative) || parts[0] === ".." || parts.includes("node_modules")) {
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
const FRAME = /^\s+at (?:.*\()?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/;

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
