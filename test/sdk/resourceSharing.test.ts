/** Accepting share invitations through Alibaba's generic OpenAPI client, over real HTTP, against the local emulator. */
import * as http from "http";
import { AddressInfo } from "net";
import { ensureAccepted } from "../../src/sdk/resourceSharing";
import { apiSettings, ApiSettings } from "../../src/sdk/settings";
import { AlibabaApiError } from "../../src/sdk/errors";
import { EMULATOR_KEY_ID, EMULATOR_KEY_SECRET, Emulator, HTML_502, startEmulator, THROTTLED, TRUNCATED_200, UNAVAILABLE } from "../support/emulator";

let emulator: Emulator;
let settings: ApiSettings;
const invite = (invitationId: string, resourceShareId: string, status: "Pending" | "Accepted" | "Expired") =>
    emulator.invitations.set(invitationId, { invitationId, resourceShareId, senderAccountId: "1000000000000000", status });

beforeAll(async () => {
    emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
    emulator.invitations.clear();
    emulator.requests.splice(0);
    settings = {
        ...apiSettings({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: EMULATOR_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: EMULATOR_KEY_SECRET }, region: "cn-shanghai", endpoint: emulator.endpoint }),
        retryBaseDelayMs: 1,
    };
});

test("a pending invitation is found (across pages) and accepted", async () => {
    invite("i-other", "rs-other", "Pending");
    invite("i-mine", "rs-mine", "Pending");
    expect(await ensureAccepted(settings, "rs-mine", { insideResourceDirectory: false })).toEqual({ status: "Accepted", invitationId: "i-mine" });
    expect(emulator.invitations.get("i-mine")!.status).toBe("Accepted");
    expect(emulator.invitations.get("i-other")!.status).toBe("Pending");
    const list = emulator.requests.find((r) => r.action === "ListResourceShareInvitations")!.params;
    expect([list["ResourceShareIds.1"], list.Version, list.SignatureMethod]).toEqual(["rs-mine", "2020-01-10", "HMAC-SHA1"]);
});

test("already accepted is success, with no second accept", async () => {
    invite("i-1", "rs-1", "Accepted");
    expect(await ensureAccepted(settings, "rs-1", { insideResourceDirectory: false })).toEqual({ status: "Accepted", invitationId: "i-1" });
    expect(emulator.requests.map((r) => r.action)).toEqual(["ListResourceShareInvitations"]);
});

test("inside a directory with automatic acceptance, no invitation is success", async () => {
    expect(await ensureAccepted(settings, "rs-2", { insideResourceDirectory: true })).toEqual({ status: "Associated" });
});

test("an expired invitation: an error that says what the owner must do", async () => {
    invite("i-3", "rs-3", "Expired");
    await expect(ensureAccepted(settings, "rs-3", { insideResourceDirectory: false })).rejects.toThrow(
        "the invitation i-3 to resource share rs-3 is Expired: invitations expire after 7 days (C13). Ask the owner (account 1000000000000000) to remove this account from the share's targets and add it again, which sends a new invitation.",
    );
});

test("no invitation outside a directory: an error that says what the owner must do", async () => {
    await expect(ensureAccepted(settings, "rs-4", { insideResourceDirectory: false })).rejects.toThrow(/^this account has no invitation to resource share rs-4\. Ask the owner to add this account as a target/);
});

test("throttling and a 5xx on the way are retried", async () => {
    invite("i-5", "rs-5", "Pending");
    emulator.failNext("ListResourceShareInvitations", THROTTLED);
    emulator.failNext("AcceptResourceShareInvitation", UNAVAILABLE);
    expect((await ensureAccepted(settings, "rs-5", { insideResourceDirectory: false })).status).toBe("Accepted");
    expect(emulator.requests.map((r) => r.action)).toEqual(["ListResourceShareInvitations", "ListResourceShareInvitations", "AcceptResourceShareInvitation", "AcceptResourceShareInvitation"]);
});

test("an accept served but whose answer was lost (a 503): the retry's InvalidStatus … Accepted is success, after a new listing", async () => {
    invite("i-6", "rs-6", "Pending");
    emulator.loseAnswerOfNext("AcceptResourceShareInvitation", UNAVAILABLE);
    expect(await ensureAccepted(settings, "rs-6", { insideResourceDirectory: false })).toEqual({ status: "Accepted", invitationId: "i-6" });
    expect(emulator.requests.map((r) => r.action)).toEqual(["ListResourceShareInvitations", "AcceptResourceShareInvitation", "AcceptResourceShareInvitation", "ListResourceShareInvitations"]);
});

test("an accept whose answer came back truncated, and a listing behind a gateway's HTML 502: retried, accepted once", async () => {
    invite("i-7", "rs-7", "Pending");
    emulator.failNext("ListResourceShareInvitations", HTML_502);
    emulator.loseAnswerOfNext("AcceptResourceShareInvitation", TRUNCATED_200);
    expect(await ensureAccepted(settings, "rs-7", { insideResourceDirectory: false })).toEqual({ status: "Accepted", invitationId: "i-7" });
    expect(emulator.requests.map((r) => r.action)).toEqual([
        "ListResourceShareInvitations", "ListResourceShareInvitations", "AcceptResourceShareInvitation", "AcceptResourceShareInvitation", "ListResourceShareInvitations",
    ]);
});

test("InvalidStatus for an invitation a new listing does not show accepted stays an error, as data", async () => {
    invite("i-8", "rs-8", "Pending");
    emulator.failNext("AcceptResourceShareInvitation", { status: 400, code: "InvalidStatus.ResourceShareInvitation", message: "The invitation is Expired." });
    const error: AlibabaApiError = await ensureAccepted(settings, "rs-8", { insideResourceDirectory: false }).catch((e) => e);
    expect(error).toBeInstanceOf(AlibabaApiError);
    expect([error.action, error.resource, error.code, error.retryable, error.statusCode]).toEqual(["AcceptResourceShareInvitation", "invitation i-8", "InvalidStatus.ResourceShareInvitation", false, 400]);
    expect(error.message).toBe("AcceptResourceShareInvitation on invitation i-8 failed with InvalidStatus.ResourceShareInvitation: The invitation is Expired. See the API's message above.");
    expect(emulator.requests.map((r) => r.action)).toEqual(["ListResourceShareInvitations", "AcceptResourceShareInvitation", "ListResourceShareInvitations"]);
});

describe("invitation pages that do not add up: an error naming the list and the page, never an endless loop or a double count", () => {
    beforeEach(() => {
        // Three expired invitations to the share: pages of one, so the list takes three pages.
        for (const id of ["i-a", "i-b", "i-c"]) invite(id, "rs-paged", "Expired");
    });
    afterEach(() => emulator.pagingQuirks.clear());

    test("a NextToken sent again", async () => {
        emulator.pagingQuirks.set("ListResourceShareInvitations", "repeatToken");
        const error: AlibabaApiError = await ensureAccepted(settings, "rs-paged", { insideResourceDirectory: false }).catch((e) => e);
        expect([error.code, error.resource, error.retryable]).toEqual(["InconsistentPages", "invitations to resource share rs-paged, page 2", false]);
        expect(error.message).toBe(
            'ListResourceShareInvitations on invitations to resource share rs-paged, page 2 failed with InconsistentPages: the service sent the NextToken "1" again: following it would never end. ' +
                "The service's pages did not add up (the list may have changed while it was read): run it again; if it happens again, report it to Alibaba Cloud with the request id.",
        );
        expect(emulator.requests.filter((r) => r.action === "ListResourceShareInvitations")).toHaveLength(2);
    });

    test("an invitation listed twice", async () => {
        emulator.pagingQuirks.set("ListResourceShareInvitations", "duplicate");
        const error: AlibabaApiError = await ensureAccepted(settings, "rs-paged", { insideResourceDirectory: false }).catch((e) => e);
        expect([error.code, error.detail]).toEqual(["InconsistentPages", '"i-a" is listed twice']);
    });
});

describe("an invitation answer of the wrong shape is refused, never read as no invitation (inside a directory, that would be success)", () => {
    /** A server answering every request with `body` (its signature unchecked): what a faulty service may send. */
    async function answering(body: unknown): Promise<{ endpoint: string; stop: () => Promise<void> }> {
        const server = http.createServer((_req, res) => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
        return { endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }

    test.each([
        ["no list", { RequestId: "r-1" }, "the answer's ResourceShareInvitations is no value, not the list of rows the API answers"],
        ["a list wrapped in an object", { RequestId: "r-1", ResourceShareInvitations: { ResourceShareInvitation: [] } }, "the answer's ResourceShareInvitations is an object, not the list of rows the API answers"],
        ["a NextToken that is a number", { RequestId: "r-1", ResourceShareInvitations: [], NextToken: 2 }, "the answer's NextToken is a number, not a string: the pages after it cannot be asked for"],
    ])("%s", async (_name, body, detail) => {
        const server = await answering(body);
        try {
            const error: AlibabaApiError = await ensureAccepted({ ...settings, endpoint: server.endpoint }, "rs-mine", { insideResourceDirectory: true }).catch((e) => e);
            expect([error.code, error.resource, error.detail, error.requestId]).toEqual(["InvalidResponse", "invitations to resource share rs-mine, page 1", detail, "r-1"]);
        } finally {
            await server.stop();
        }
    });
});
