/**
 * The paging helper every list read goes through: both paging styles read whole, and every way a service's pages can
 * fail to add up (a repeated NextToken, a page larger than asked, an item twice, more or fewer items than the
 * TotalCount, no end) an error naming the list and the page, after a bounded number of requests.
 */
import { AlibabaApiError } from "../../src/sdk/errors";
import { Page, PagedList, readAllPages } from "../../src/sdk/paging";
import { listOf, nextTokenOf, rowsOf, totalCountOf } from "../../src/sdk/answers";

/** A list served from pages given in order; the requests it was asked. */
function served(style: "token" | "number", pages: Page<string>[], options: Partial<PagedList<string>> = {}) {
    const asked: { number: number; token?: string }[] = [];
    const list: PagedList<string> = {
        action: "ListThings",
        resource: "things (cn-shanghai)",
        style,
        pageSize: 3,
        key: (s) => s,
        fetch: async (page) => {
            asked.push(page);
            return pages[page.number - 1] ?? { items: [] };
        },
        ...options,
    };
    return { asked, read: () => readAllPages(list) };
}

const failure = async (read: () => Promise<unknown>): Promise<[string, string, string]> => {
    const e: AlibabaApiError = await read().then(
        () => {
            throw new Error("read whole");
        },
        (err) => err,
    );
    expect(e).toBeInstanceOf(AlibabaApiError);
    return [e.code, e.resource, e.detail];
};

describe("lists that add up are read whole, with no request more than needed", () => {
    test("NextToken: followed until the service gives none (or an empty one)", async () => {
        const { asked, read } = served("token", [{ items: ["a", "b", "c"], nextToken: "t1" }, { items: ["d"], nextToken: "t2" }, { items: [], nextToken: "" }]);
        expect(await read()).toEqual(["a", "b", "c", "d"]);
        expect(asked).toEqual([{ number: 1, token: undefined }, { number: 2, token: "t1" }, { number: 3, token: "t2" }]);
    });

    test("PageNumber: a short page that reaches the TotalCount ends the list", async () => {
        const { asked, read } = served("number", [{ items: ["a", "b", "c"], totalCount: 5 }, { items: ["d", "e"], totalCount: 5 }]);
        expect(await read()).toEqual(["a", "b", "c", "d", "e"]);
        expect(asked.map((p) => p.number)).toEqual([1, 2]);
    });

    test("PageNumber: pages shorter than asked before the TotalCount (a service that caps pages) are followed; a shorter last page ends it", async () => {
        const { asked, read } = served("number", [{ items: ["a", "b"], totalCount: 5 }, { items: ["c", "d"], totalCount: 5 }, { items: ["e"], totalCount: 5 }]);
        expect(await read()).toEqual(["a", "b", "c", "d", "e"]);
        expect(asked.map((p) => p.number)).toEqual([1, 2, 3]);
    });

    test("PageNumber: a first page, or a page as long as those before it, that reaches the TotalCount is followed by one more, which must be empty", async () => {
        const full = served("number", [{ items: ["a", "b", "c"], totalCount: 3 }, { items: [], totalCount: 3 }]);
        expect(await full.read()).toEqual(["a", "b", "c"]);
        expect(full.asked.map((p) => p.number)).toEqual([1, 2]);
        const capped = served("number", [{ items: ["a", "b"], totalCount: 4 }, { items: ["c", "d"], totalCount: 4 }, { items: [], totalCount: 4 }]);
        expect(await capped.read()).toEqual(["a", "b", "c", "d"]);
        expect(capped.asked.map((p) => p.number)).toEqual([1, 2, 3]);
        const single = served("number", [{ items: ["a"], totalCount: 1 }]);
        expect(await single.read()).toEqual(["a"]);
        expect(single.asked.map((p) => p.number)).toEqual([1, 2]);
    });

    test("PageNumber: an empty first page ends the list with no other request", async () => {
        const empty = served("number", [{ items: [], totalCount: 0 }]);
        expect(await empty.read()).toEqual([]);
        expect(empty.asked).toHaveLength(1);
    });

    test("PageNumber with no TotalCount: read until a page shorter than those before it, or an empty one", async () => {
        expect(await served("number", [{ items: ["a", "b", "c"] }, { items: ["d"] }]).read()).toEqual(["a", "b", "c", "d"]);
        expect(await served("number", [{ items: [] }]).read()).toEqual([]);
        // A first page shorter than asked may be a service's capped page: the next is asked, and read on.
        const capped = served("number", [{ items: ["a", "b"] }, { items: ["c", "d"] }, { items: ["e"] }]);
        expect(await capped.read()).toEqual(["a", "b", "c", "d", "e"]);
        expect(capped.asked.map((p) => p.number)).toEqual([1, 2, 3]);
        const even = served("number", [{ items: ["a", "b"] }, { items: ["c", "d"] }]);
        expect(await even.read()).toEqual(["a", "b", "c", "d"]);
        expect(even.asked.map((p) => p.number)).toEqual([1, 2, 3]);
        const single = served("number", [{ items: ["a"] }]);
        expect(await single.read()).toEqual(["a"]);
        expect(single.asked.map((p) => p.number)).toEqual([1, 2]);
    });

    test("onPage counts the items of each page", async () => {
        const counts: number[] = [];
        await served("token", [{ items: ["a", "b"], nextToken: "t" }, { items: ["c"] }], { onPage: (n) => counts.push(n) }).read();
        expect(counts).toEqual([2, 1]);
    });
});

describe("lists that do not add up: an error naming the list, the page and what was wrong", () => {
    test("a NextToken sent again: detected at once, never followed", async () => {
        const { asked, read } = served("token", [{ items: ["a"], nextToken: "t1" }, { items: ["b"], nextToken: "t2" }, { items: ["c"], nextToken: "t1" }]);
        expect(await failure(read)).toEqual(["InconsistentPages", "things (cn-shanghai), page 3", 'the service sent the NextToken "t1" again: following it would never end']);
        expect(asked).toHaveLength(3);
    });

    test("the same token on every page (the endless loop of a faulty service) stops after the second page", async () => {
        const asked: number[] = [];
        const read = () =>
            readAllPages<string>({ action: "ListThings", resource: "things", style: "token", pageSize: 3, key: (s) => s, fetch: async ({ number }) => (asked.push(number), { items: [`x${number}`], nextToken: "again" }) });
        expect((await failure(read))[0]).toBe("InconsistentPages");
        expect(asked).toEqual([1, 2]);
    });

    test("a page larger than asked", async () => {
        expect(await failure(served("number", [{ items: ["a", "b", "c", "d"], totalCount: 4 }]).read)).toEqual(["InconsistentPages", "things (cn-shanghai), page 1", "the page holds 4 items, more than the 3 asked"]);
        expect(await failure(served("token", [{ items: ["a"], nextToken: "t" }, { items: ["b", "c", "d", "e"] }]).read)).toEqual(["InconsistentPages", "things (cn-shanghai), page 2", "the page holds 4 items, more than the 3 asked"]);
    });

    test("an item listed twice (on one page or across pages) is never counted twice", async () => {
        expect(await failure(served("token", [{ items: ["a", "b", "c"], nextToken: "t" }, { items: ["c", "d"] }]).read)).toEqual(["InconsistentPages", "things (cn-shanghai), page 2", '"c" is listed twice']);
        expect((await failure(served("number", [{ items: ["a", "a"], totalCount: 2 }]).read))[2]).toBe('"a" is listed twice');
    });

    test("a TotalCount too low, with more items coming: found by the page after a full page at the count", async () => {
        const { asked, read } = served("number", [{ items: ["a", "b", "c"], totalCount: 3 }, { items: ["d"], totalCount: 3 }]);
        expect(await failure(read)).toEqual(["InconsistentPages", "things (cn-shanghai), page 2", "the pages hold more items (4 so far) than the TotalCount of 3"]);
        expect(asked).toHaveLength(2);
    });

    test("a TotalCount too low from a service that caps its pages (pages of two, a count of four, five items): the rest is found, not dropped", async () => {
        const { asked, read } = served("number", [{ items: ["a", "b"], totalCount: 4 }, { items: ["c", "d"], totalCount: 4 }, { items: ["e"], totalCount: 4 }]);
        expect(await failure(read)).toEqual(["InconsistentPages", "things (cn-shanghai), page 3", "the pages hold more items (5 so far) than the TotalCount of 4"]);
        expect(asked).toHaveLength(3);
        expect((await failure(served("number", [{ items: ["a", "b"], totalCount: 2 }, { items: ["c"], totalCount: 2 }]).read))[2]).toBe("the pages hold more items (3 so far) than the TotalCount of 2");
    });

    test("a page past the TotalCount", async () => {
        expect((await failure(served("number", [{ items: ["a", "b"], totalCount: 1 }]).read))[2]).toBe("the pages hold more items (2 so far) than the TotalCount of 1");
    });

    test("a list that ends short of its TotalCount", async () => {
        expect(await failure(served("number", [{ items: ["a", "b", "c"], totalCount: 5 }, { items: [], totalCount: 5 }]).read)).toEqual([
            "InconsistentPages",
            "things (cn-shanghai), page 2",
            "the list ended with 3 items, fewer than its TotalCount of 5",
        ]);
        expect((await failure(served("token", [{ items: ["a"], totalCount: 2 }]).read))[2]).toBe("the list ended with 1 item, fewer than its TotalCount of 2");
    });

    test("no end within the page bound: TooManyPages, after exactly the bound's requests", async () => {
        let n = 0;
        const read = () => readAllPages<string>({ action: "ListThings", resource: "things", style: "token", pageSize: 3, maxPages: 50, key: (s) => s, fetch: async () => ({ items: [`x${++n}`], nextToken: `t${n}` }) });
        const [code, resource, detail] = await failure(read);
        expect([code, resource, detail]).toEqual(["TooManyPages", "things, page 51", "the list did not end within 50 pages (50 items read); stopped rather than read on without end"]);
        expect(n).toBe(50);
    });
});

describe("an answer's shape, checked before its list is read (src/sdk/answers.ts): what is not the API's is refused, never read as fewer rows", () => {
    const refusal = (read: () => unknown): [string, string, string] => {
        try {
            read();
        } catch (e) {
            expect(e).toBeInstanceOf(AlibabaApiError);
            const err = e as AlibabaApiError;
            return [err.code, err.resource, err.detail];
        }
        throw new Error("accepted");
    };

    test("rows: an array of objects, as given; no list, a list wrapped in an object, a row that is text or a list: refused, naming the field and the row", () => {
        const rows = [{ ResourceShareId: "rs-1" }, { ResourceShareId: "rs-2" }];
        expect(rowsOf(rows, "ResourceShares", "ListResourceShares", "shares (page 1)")).toBe(rows);
        expect(rowsOf([], "ResourceShares", "ListResourceShares", "shares (page 1)")).toEqual([]);
        expect(refusal(() => rowsOf(undefined, "ResourceShares", "ListResourceShares", "shares (page 1)"))).toEqual(["InvalidResponse", "shares (page 1)", "the answer's ResourceShares is no value, not the list of rows the API answers"]);
        expect(refusal(() => rowsOf({ ResourceShare: rows }, "ResourceShares", "ListResourceShares", "shares (page 1)"))[2]).toBe("the answer's ResourceShares is an object, not the list of rows the API answers");
        expect(refusal(() => rowsOf([rows[0], '{"ResourceShareId":"rs-2"}'], "ResourceShares", "ListResourceShares", "shares (page 1)"))[2]).toBe("row 2 of the answer's ResourceShares is a string, not an object");
        expect(refusal(() => rowsOf([[]], "Accounts.Account", "ListAccounts", "members (page 1)"))[2]).toBe("row 1 of the answer's Accounts.Account is a list, not an object");
    });

    test("a NextToken: a string; absent, null or empty ends the list; a number or an object is refused", () => {
        expect(nextTokenOf("t1", "ListThings", "things")).toBe("t1");
        expect([undefined, null, ""].map((v) => nextTokenOf(v, "ListThings", "things"))).toEqual([undefined, undefined, undefined]);
        expect(refusal(() => nextTokenOf(7, "ListThings", "things"))).toEqual(["InvalidResponse", "things", "the answer's NextToken is a number, not a string: the pages after it cannot be asked for"]);
        expect(refusal(() => nextTokenOf({}, "ListThings", "things"))[2]).toBe("the answer's NextToken is an object, not a string: the pages after it cannot be asked for");
    });

    test("a TotalCount: a whole number from 0, or absent; text, a fraction or a negative count is refused", () => {
        expect([0, 51, undefined, null].map((v) => totalCountOf(v, "ListThings", "things"))).toEqual([0, 51, undefined, undefined]);
        expect(refusal(() => totalCountOf("51", "ListThings", "things"))[2]).toBe("the answer's TotalCount is a string, not a count");
        expect(refusal(() => totalCountOf(-1, "ListThings", "things"))[2]).toBe("the answer's TotalCount is a number (-1), not a count");
        expect(refusal(() => totalCountOf(2.5, "ListThings", "things"))[2]).toBe("the answer's TotalCount is a number (2.5), not a count");
    });

    test("a list of the ECS SDK's model: an array, else refused", () => {
        expect(listOf([1, 2], "Images.Image", "DescribeImages", "images")).toEqual([1, 2]);
        expect(refusal(() => listOf(undefined, "Images.Image", "DescribeImages", "images"))).toEqual(["InvalidResponse", "images", "the answer's Images.Image is no value, not the list the API answers"]);
    });
});
