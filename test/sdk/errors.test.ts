/** Errors as data, redaction, retry decisions and backoff; a credential chain with nothing to find. */
import Credential from "@alicloud/credentials";
import { AlibabaApiError, apiError, backoffDelay, isRetryable, redact, withRetries } from "../../src/sdk/errors";

describe("AlibabaApiError", () => {
    test("an Error with readonly fields; the message is <action> on <resource> failed with <code>: <detail>. <fix>", () => {
        const e = new AlibabaApiError({ action: "DeleteSnapshot", resource: "snapshot s-1", code: "Forbidden.RAM", detail: "User not authorized.", fix: "Grant it.", retryable: false, requestId: "r-1", statusCode: 403 });
        expect(e).toBeInstanceOf(Error);
        expect(e.name).toBe("AlibabaApiError");
        expect(e.message).toBe("DeleteSnapshot on snapshot s-1 failed with Forbidden.RAM: User not authorized. Grant it.");
        expect([e.action, e.resource, e.code, e.fix, e.retryable, e.requestId, e.statusCode]).toEqual(["DeleteSnapshot", "snapshot s-1", "Forbidden.RAM", "Grant it.", false, "r-1", 403]);
    });

    test("apiError maps the SDK's error without keeping it: code, status, request id, fix", () => {
        const sdk = Object.assign(new Error("Forbidden.RAM: code: 403, User not authorized request id: r-2"), {
            code: "Forbidden.RAM",
            statusCode: 403,
            data: { Code: "Forbidden.RAM", Message: "User not authorized.", RequestId: "r-2" },
        });
        const e = apiError("CopySnapshot", "snapshot s-1", sdk);
        expect({ ...e }).toEqual({
            name: "AlibabaApiError",
            action: "CopySnapshot",
            resource: "snapshot s-1",
            code: "Forbidden.RAM",
            detail: "User not authorized.",
            fix: "Grant the caller the ECS / Resource Sharing action in RAM.",
            retryable: false,
            requestId: "r-2",
            statusCode: 403,
        });
        expect(Object.keys(e)).not.toContain("cause");
    });
});

describe("isRetryable", () => {
    test.each([
        ["throttling", { code: "Throttling.User" }, true],
        ["a 503", { code: "ServiceUnavailable", statusCode: 503 }, true],
        ["a 500 of any code", { code: "Whatever", statusCode: 500 }, true],
        ["an HTML page (not JSON)", new SyntaxError("Unexpected token '<', \"<html>\" is not valid JSON"), true],
        ["a truncated body", new SyntaxError("Unterminated string in JSON at position 34"), true],
        ["a read timeout", Object.assign(new Error("ReadTimeout(300). POST http://x/?a=b failed."), { name: "RequestTimeoutError" }), true],
        ["a reset", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), true],
        ["a missing snapshot", { code: "InvalidSnapshotId.NotFound", statusCode: 404 }, false],
        ["a bad signature", { code: "SignatureDoesNotMatch", statusCode: 400 }, false],
        ["a syntax error that is not about JSON", new SyntaxError("Unexpected identifier"), false],
    ])("%s: %s", (_name, error, expected) => {
        expect(isRetryable(error)).toBe(expected);
    });
});

describe("backoffDelay", () => {
    test("exponential from the base, capped, with jitter between half and all of it", () => {
        expect([0, 1, 2, 3].map((a) => backoffDelay(a, 200, 20_000, () => 0))).toEqual([100, 200, 400, 800]);
        expect([0, 1, 2, 3].map((a) => backoffDelay(a, 200, 20_000, () => 0.5))).toEqual([150, 300, 600, 1200]);
        expect(backoffDelay(10, 200, 20_000, () => 0)).toBe(10_000);
        expect(backoffDelay(10, 200, 20_000, () => 0.999999)).toBeCloseTo(20_000, 1);
    });
});

describe("redact", () => {
    const id = "LTAI5tQwErTyUiOp1234";
    const secret = "s3cr3t/with+chars=";
    const token = "CAIS1234567890abcdefghijKLMNOP+/==";
    test.each([
        ["a URL's query", `ReadTimeout(1). POST https://ecs.cn-shanghai.aliyuncs.com/?Action=X&AccessKeyId=${id}&Signature=abc%3D failed.`, "ReadTimeout(1). POST https://ecs.cn-shanghai.aliyuncs.com/?[redacted] failed."],
        ["a string-to-sign", `Specified signature is not matched. server string to sign is:POST&%2F&AccessKeyId%3D${id}%26SecurityToken%3Dx done`, "Specified signature is not matched. server string to sign is:[redacted] done"],
        ["StringToSign as a field", 'StringToSign: "GET&%2F&AccessKeyId%3Dx"', 'StringToSign: "[redacted]"'],
        ["form parameters", `a=1&AccessKeyId=${id}&SecurityToken=${encodeURIComponent(token)}&Signature=Zm9v%3D&SignatureMethod=HMAC-SHA1`, "a=1&AccessKeyId=[redacted]&SecurityToken=[redacted]&Signature=[redacted]&SignatureMethod=HMAC-SHA1"],
        ["once-encoded parameters", "%26AccessKeyId%3Dabcd%26Signature%3DZm9v%253D%26Version%3D1", "%26AccessKeyId%3D[redacted]%26Signature%3D[redacted]%26Version%3D1"],
        ["JSON fields", '{"AccessKeyId":"abcd","SecurityToken":"efgh","Signature":"ijk="}', '{"AccessKeyId":"[redacted]","SecurityToken":"[redacted]","Signature":"[redacted]"}'],
        ["headers", "x-acs-security-token: efgh, Authorization: acs abcd:c2ln", "x-acs-security-token: [redacted], Authorization: [redacted]"],
        ["credential shapes alone", `id ${id}, sts STS.NUxyz0123456789 token ${token}`, "id [redacted], sts [redacted] token [redacted]"],
        // A signature in any spelling.
        ["a signature, lower case and spaced", "signature = Zm9vYmFy, SIGNATURE: YmF6", "signature = [redacted], SIGNATURE: [redacted]"],
        ["a signature in escaped JSON", String.raw`{\"Signature\":\"Zm9vYmFy\",\"SignatureMethod\":\"HMAC-SHA1\"}`, String.raw`{\"Signature\":\"[redacted]\",\"SignatureMethod\":\"HMAC-SHA1\"}`],
        ["an ACS3 authorization", `Authorization: ACS3-HMAC-SHA256 Credential=${id},SignedHeaders=host;x-acs-date,Signature=0f1e2d3c4b5a`, "Authorization: [redacted] Credential=[redacted],SignedHeaders=host;x-acs-date,Signature=[redacted]"],
        // A string-to-sign however it is given, labelled or not.
        ["stringToSign as a JSON field", `{"Code":"SignatureDoesNotMatch","stringToSign":"GET&%2F&AccessKeyId%3D${id}"}`, '{"Code":"SignatureDoesNotMatch","stringToSign":"[redacted]"}'],
        ["a string-to-sign alone", `expected POST&%2F&AccessKeyId%3Dabcd%26Action%3DCopySnapshot got x`, "expected [redacted] got x"],
        ["an ACS3 string-to-sign", "ACS3-HMAC-SHA256\n7d0a9e2f1c3b5d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6", "[redacted]"],
        // The first characters of an AccessKey id: a short or masked one is still one.
        ["a masked AccessKey id", "the AccessKey LTAI5t**** is disabled; LTAI****1234 too", "the AccessKey [redacted] is disabled; [redacted] too"],
    ])("%s", (_name, text, expected) => {
        expect(redact(text)).toBe(expected);
    });
    // A request signature echoed by the API, in every spelling and case, set off in every way, or bare (by its shape).
    const sig = "kRA2cnpJVacIhDMzXnoNZG9tuJc=";
    const sha256 = "q2Yx7Kf0m1V3nR8sT4uW6yZ9aB+cD/eF5gH0iJ2kL4M=";
    test.each([
        ["Signature=", `Signature=${sig}&Version=1`, "Signature=[redacted]&Version=1"],
        ["lower case, a colon", `the signature: ${sig} was refused`, "the signature: [redacted] was refused"],
        ["upper case, spaced, quoted", `SIGNATURE = "${sig}"`, 'SIGNATURE = "[redacted]"'],
        ["JSON, spaced", `{"Signature" : "${sig}"}`, '{"Signature" : "[redacted]"}'],
        ["XML", `<Signature>${sig}</Signature>`, "<Signature>[redacted]</Signature>"],
        ["URL-encoded once", `Signature%3D${encodeURIComponent(sig)}%26`, "Signature%3D[redacted]%26"],
        ["URL-encoded twice", `Signature%253D${encodeURIComponent(encodeURIComponent(sig))}`, "Signature%253D[redacted]"],
        ["URL-encoded JSON", `%22Signature%22%3A%22${encodeURIComponent(sig)}`, "%22Signature%22%3A%22[redacted]"],
        ["an HTML entity", "signature&#61;abcDEF123", "signature&#61;[redacted]"],
        ["a header", "x-acs-signature: 0a1b2c3d", "x-acs-signature: [redacted]"],
        ["bare, by its shape", `request ${sig} was refused`, "request [redacted] was refused"],
        ["bare, URL-encoded twice", `request ${encodeURIComponent(encodeURIComponent("kRA2cnpJVacIhDMzXnoNZG9t+/c="))} was refused`, "request [redacted] was refused"],
        ["bare, HMAC-SHA256", `got ${sha256}`, "got [redacted]"],
        ["the other signature parameters and the API's words are kept", "SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n1. Specified signature is not matched with our calculation.", "SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n1. Specified signature is not matched with our calculation."],
    ])("a signature: %s", (_name, text, expected) => {
        expect(redact(text)).toBe(expected);
    });
    test("the given secrets, raw or URL-encoded once or twice, wherever they are", () => {
        const text = `raw ${secret} once ${encodeURIComponent(secret)} twice ${encodeURIComponent(encodeURIComponent(secret))} end`;
        expect(redact(text, [secret])).toBe("raw [redacted] once [redacted] twice [redacted] end");
    });
    test("the first characters of a given secret (an AccessKey id of any shape), cut or masked, are redacted too", () => {
        const keyId = "AKIDexampleKeyId2024";
        expect(redact(`key AKIDex…, key AKIDexam***, key ****Id2024, key AKIDexampleK, the AKID prefix alone, an AKIDexam word`, [keyId])).toBe(
            "key [redacted], key [redacted], key [redacted], key [redacted], the AKID prefix alone, an AKIDexam word",
        );
    });
});

describe("withRetries", () => {
    const chainVariables = ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_PROFILE"];
    const saved: Record<string, string | undefined> = {};
    beforeAll(() => {
        for (const k of [...chainVariables, "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "ALIBABA_CLOUD_ECS_METADATA_DISABLED"]) saved[k] = process.env[k];
        for (const k of chainVariables) delete process.env[k];
        process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = "/nonexistent/alicloud-sharing/credentials";
        process.env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED = "true";
        process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    });
    afterAll(() => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });

    test("a default credential chain with nothing to find fails before any request, with code NoCredentials and where to put one", async () => {
        let called = 0;
        const error: AlibabaApiError = await withRetries("DeleteSnapshot", "snapshot s-1", { credential: new Credential(), maxRetries: 3, retryBaseDelayMs: 1 }, async () => ++called).catch((e) => e);
        expect(called).toBe(0);
        expect([error.code, error.retryable]).toEqual(["NoCredentials", false]);
        expect(error.message).toMatch(/^DeleteSnapshot on snapshot s-1 failed with NoCredentials: unable to get credentials from any of the providers in the chain: .*\. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
    });
});
