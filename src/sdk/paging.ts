/**
 * Reading a paged list whole, or failing: one helper for every list the package reads (the audit's ECS and Resource
 * Sharing lists, the sharee's invitations), in both of Alibaba Cloud's paging styles (`NextToken` / `MaxResults`, and
 * `PageNumber` / `PageSize` / `TotalCount`). A service whose pages do not add up cannot make it loop, truncate the
 * list or count an item twice: a NextToken sent again, a page larger than asked, an item listed twice, more items
 * than the TotalCount or fewer, and more pages than the bound are each an {@link AlibabaApiError} naming the list, the
 * page and what was wrong.
 */
import { AlibabaApiError } from "./errors";

/** The most pages one list may take, by default: a million items at 100 a page. */
export const DEFAULT_MAX_PAGES = 10_000;

/** One page as the service answered it. */
export interface Page<T> {
    readonly items: readonly T[];
    /** The token of the next page (token style); empty or absent on the last page. */
    readonly nextToken?: string;
    /** How many items the whole list holds, when the service says (`TotalCount`). */
    readonly totalCount?: number;
    /** The answer's request id, for the error. */
    readonly requestId?: string;
}

/** A paged list to read. */
export interface PagedList<T> {
    /** The API action, e.g. `ListResourceShares`. */
    readonly action: string;
    /** What is listed, e.g. `resource shares owned (cn-shanghai)`. */
    readonly resource: string;
    /** `token`: follow `NextToken` until the service gives none; `number`: ask page 1, 2, … until the list ends. */
    readonly style: "token" | "number";
    /** The page size asked (`MaxResults` or `PageSize`): no page may be larger. */
    readonly pageSize: number;
    /** The most pages to read before giving up. Defaults to {@link DEFAULT_MAX_PAGES}. */
    readonly maxPages?: number;
    /** An item's identity in the list: no two items may share one. */
    readonly key: (item: T) => string;
    /** Asks for one page: its number (from 1) and, in token style, the token (undefined for the first). */
    readonly fetch: (page: { readonly number: number; readonly token?: string }) => Promise<Page<T>>;
    /** Called after each page with the number of items it held (progress). */
    readonly onPage?: (items: number) => void;
}

const FIX = "The service's pages did not add up (the list may have changed while it was read): run it again; if it happens again, report it to Alibaba Cloud with the request id.";

/** A value of the answer as it is shown in an error: quoted, at most 64 characters. */
const quoted = (value: string): string => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);

/**
 * Reads every page of a list and returns its items in order. Ends on the service's own word: no NextToken (token
 * style); an empty page, or a page shorter than the pages before it that brings the count to the TotalCount, when the
 * service gives one (number style: a first page, or one as long as those before it, is followed by one more, which
 * must be empty or shorter, so that neither a TotalCount too low nor a missing one can cut the list short, whatever
 * page size the service keeps to: a first page shorter than asked may be a service's capped page). Throws an {@link AlibabaApiError} of code
 * `InconsistentPages` when the pages do not add up, and `TooManyPages` past the bound.
 */
export async function readAllPages<T>(list: PagedList<T>): Promise<T[]> {
    const maxPages = list.maxPages ?? DEFAULT_MAX_PAGES;
    const items: T[] = [];
    const keys = new Set<string>();
    const tokens = new Set<string>();
    let token: string | undefined;
    /** The longest page so far (number style): the service's page size, whatever was asked. */
    let longest = 0;
    const fail = (number: number, code: string, detail: string, requestId?: string, fix = FIX): never => {
        throw new AlibabaApiError({ action: list.action, resource: `${list.resource}, page ${number}`, code, detail, fix, retryable: false, requestId });
    };
    for (let number = 1; ; number++) {
        if (number > maxPages) {
            fail(number, "TooManyPages", `the list did not end within ${maxPages.toLocaleString("en-US")} pages (${items.length.toLocaleString("en-US")} items read); stopped rather than read on without end`, undefined,
                "If the account really lists that many, raise the page bound (maxPages); else the service keeps answering with more pages: report it with a request id.");
        }
        const page = await list.fetch({ number, token });
        if (page.items.length > list.pageSize) {
            fail(number, "InconsistentPages", `the page holds ${page.items.length} items, more than the ${list.pageSize} asked`, page.requestId);
        }
        for (const item of page.items) {
            const key = list.key(item);
            if (keys.has(key)) {
                fail(number, "InconsistentPages", `${quoted(key)} is listed twice`, page.requestId);
            }
            keys.add(key);
            items.push(item);
        }
        list.onPage?.(page.items.length);
        const total = page.totalCount;
        if (total !== undefined && items.length > total) {
            fail(number, "InconsistentPages", `the pages hold more items (${items.length} so far) than the TotalCount of ${total}`, page.requestId);
        }
        let ended: boolean;
        if (list.style === "token") {
            const next = page.nextToken === undefined || page.nextToken === "" ? undefined : page.nextToken;
            if (next !== undefined && tokens.has(next)) {
                fail(number, "InconsistentPages", `the service sent the NextToken ${quoted(next)} again: following it would never end`, page.requestId);
            }
            if (next !== undefined) {
                tokens.add(next);
            }
            token = next;
            ended = next === undefined;
        } else {
            // A page shorter than the pages before it is visibly the last; one as long as them (or the first) may be a
            // service's capped page (a page size below the one asked) under a TotalCount too low or none at all, so the
            // page after it is asked, and must be empty.
            const tail = number > 1 && page.items.length < longest;
            ended = page.items.length === 0 || (tail && (total === undefined || items.length >= total));
            longest = Math.max(longest, page.items.length);
        }
        if (ended) {
            if (total !== undefined && items.length < total) {
                fail(number, "InconsistentPages", `the list ended with ${items.length} ${items.length === 1 ? "item" : "items"}, fewer than its TotalCount of ${total}`, page.requestId);
            }
            return items;
        }
    }
}
