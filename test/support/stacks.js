// jest's setupFilesAfterEnv: the stack traces Pulumi's SDK takes for its own bookkeeping are left unmapped.
//
// The SDK takes a stack trace for every promise it makes (`debuggablePromise`, printed only if promises leak) and one
// for every resource it constructs (`Resource.callsites`, its source position). Under jest each trace goes through
// source-map-support, which jest installs for readable failures: that mapping was ~75% of the time a resource took
// under the mocks (600 shared snapshots: 4.9 s, 1.3 s without it). Those traces are not what a test reads: they keep
// the compiled positions. Every other trace (a failure's, an error a test inspects) is mapped as before.
const mapped = Error.prepareStackTrace;
const SDK_BOOKKEEPING = new Set(["debuggablePromise", "callsites"]);

if (typeof mapped === "function") {
    Error.prepareStackTrace = function prepareStackTrace(error, frames) {
        if (frames.length > 0 && SDK_BOOKKEEPING.has(frames[0].getFunctionName())) {
            return `${error}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
        }
        return mapped(error, frames);
    };
}
