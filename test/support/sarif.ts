/** Checks a log against the SARIF 2.1.0 schema (as Microsoft's SARIF matchers ship it, draft-04) with ajv, compiled once per test file. */
type Validate = ((log: unknown) => boolean) & { errors?: unknown[] | null };
let validate: Validate | undefined;

/** The schema's errors for a log: none when it is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): unknown[] {
    if (validate === undefined) {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const Ajv = require("ajv-draft-04");
        const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
        require("ajv-formats")(ajv);
        validate = ajv.compile(require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")) as Validate;
        /* eslint-enable @typescript-eslint/no-require-imports */
    }
    return validate(log) ? [] : (validate.errors ?? []);
}
