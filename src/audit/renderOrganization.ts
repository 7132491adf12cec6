/**
 * How an organization's audit is shown: text for people (every value read escaped for the terminal, one record one
 * line; its verdicts by the report's own renderer, grouped), and JSON, SARIF and HTML from its report model (the
 * report's one renderer of each format).
 */
import { renderJson } from "../report/json";
import type { Verdict } from "../report/model";
import { terminal, terminalText } from "../report/safe";
import { renderSarif } from "../report/sarif";
import { REMOVALS_HEADING, fewValues, incompleteNotice, removalLines, renderVerdictsText, undeclaredHeading, undeclaredLines } from "../report/text";
import { notInEffectText, organizationIncomplete, organizationReport, organizationTitle } from "./report";
import type { OrganizationAuditResult, OrganizationNotInEffect, OwnedShare } from "./organization";

/** The `via` of a receipt read in the member from an owner the audit did not read (see `Receipt.via`). */
const UNREAD_OWNER: ReadonlySet<string> = new Set(["outside the directory", "a member not read", "not among the members read", "owner not named"]);

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The account of a verdict: the one its live resource is in. */
export const accountOfVerdict = (v: Pick<Verdict, "accountId" | "urn">): string | undefined => v.accountId ?? /^urn:pulumi:audit::([0-9]{16})::/.exec(v.urn ?? "")?.[1];

/** A list of values, the first few and the count of the rest. */
const few = fewValues;

const shareLine = (s: OwnedShare): string =>
    s.via === "image permission"
        ? terminal`    image permission ${s.id} (${s.name}) in ${s.region} -> ${few(s.targets)}`
        : terminal`    ${s.region}/${s.name} (${s.id}): ${plural(s.resources.length, s.kind)} ${few(s.resources.map((r) => r.id))} -> ${few(s.targets) || "(no target)"}`;

/** Items grouped by a key, in their order: each item read once. */
function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string | undefined, T[]> {
    const groups = new Map<string | undefined, T[]>();
    for (const item of items) {
        const k = key(item);
        const list = groups.get(k);
        if (list === undefined) {
            groups.set(k, [item]);
        } else {
            list.push(item);
        }
    }
    return groups;
}

/** The whole text report, in time linear in what it shows (verdicts, shares and the like grouped by account once). */
export function renderOrganizationText(result: OrganizationAuditResult, intendedSources?: readonly string[], options: { readonly verbose?: boolean } = {}): string {
    const accountIds = new Set(result.accounts.map((a) => a.accountId));
    const verdictsBy = groupBy(result.verdicts, (v) => {
        const account = accountOfVerdict(v);
        return account !== undefined && accountIds.has(account) ? account : undefined;
    });
    const ownedBy = groupBy(result.owners, (s) => s.ownerAccountId);
    const notInEffectBy = groupBy<OrganizationNotInEffect>(result.notInEffect, (n) => n.accountId);
    const failed = result.accounts.filter((a) => a.error !== undefined);
    const mandatory = result.verdicts.filter((v) => v.level === "mandatory").length;
    const lines = [
        terminal`alicloud-sharing ${organizationTitle(result)}`,
        ...(failed.length > 0 || result.incomplete.length > 0 ? [`INCOMPLETE: ${incompleteNotice({ incomplete: organizationIncomplete(result), accountsNotRead: failed.length })}`] : []),
        "",
        "Accounts",
    ];
    for (const a of result.accounts) {
        const who = terminal`${a.accountId}${a.name === undefined ? "" : ` ${a.name}`}${a.management ? ", the management account," : ""} in ${a.path}`;
        if (a.read !== undefined) {
            const owned = ownedBy.get(a.accountId) ?? [];
            lines.push(`  ${who}: ${plural(owned.filter((s) => s.via === "resource share").length, "resource share")}, ${plural(owned.filter((s) => s.via === "image permission").length, "image")} with share permissions, ${plural(a.read.roles.length, "share role")}, ${plural(a.read.keys.length, "KMS key")}`);
        } else {
            lines.push(`  ${who}: not read: ${terminal`${a.error ?? ""}`}`);
        }
    }
    result.notes.forEach((n) => lines.push(terminal`  note: ${n}`));
    result.incomplete.forEach((n) => lines.push(terminal`  not read: ${n}`));

    lines.push("", `Verdicts: ${mandatory} mandatory, ${result.verdicts.length - mandatory} advisory`);
    if (result.verdicts.length === 0) {
        lines.push("  no violation");
    }
    for (const a of result.accounts) {
        const own = verdictsBy.get(a.accountId) ?? [];
        if (own.length > 0) {
            lines.push(terminal`  account ${a.accountId}${a.name === undefined ? "" : ` ${a.name}`}:`, renderVerdictsText(own, options).replace(/^/gm, "  "));
        }
    }
    const elsewhere = verdictsBy.get(undefined) ?? [];
    if (elsewhere.length > 0) {
        lines.push("  the organization:", renderVerdictsText(elsewhere, options).replace(/^/gm, "  "));
    }

    // What each owner shares in effect, and what its shares hold that is not (shown, not judged).
    lines.push("", "What each owner shares");
    const owners = result.accounts.filter((a) => ownedBy.has(a.accountId) || notInEffectBy.has(a.accountId));
    if (owners.length === 0) {
        lines.push("  nothing");
    }
    for (const a of owners) {
        lines.push(
            terminal`  ${a.accountId}${a.name === undefined ? "" : ` ${a.name}`}`,
            ...(ownedBy.get(a.accountId) ?? []).map(shareLine),
            ...(notInEffectBy.get(a.accountId) ?? []).map((n) => `    ${terminalText(notInEffectText({ ...n, accountId: undefined }))}`),
        );
    }

    lines.push("", "What each account receives");
    for (const a of result.accounts) {
        const receipts = result.receipts.get(a.accountId) ?? [];
        if (a.read === undefined && receipts.length === 0) {
            continue;
        }
        // An account not read: only what the accounts read share with it is known (not what it receives from outside).
        const partial = a.read === undefined ? ": not read, partial (only what the accounts read share with it)" : "";
        lines.push(terminal`  ${a.accountId}${a.name === undefined ? "" : ` ${a.name}`}${partial}${receipts.length === 0 ? ": nothing" : ""}`);
        for (const r of receipts) {
            // Read in the member from an owner the audit did not read: where the owner is, not how the share reaches it.
            const unread = UNREAD_OWNER.has(r.via);
            const how = unread ? ` (${r.via})` : "";
            const via = unread ? "" : ` via ${r.via}`;
            lines.push(terminal`    from ${r.fromAccountId ?? "(owner unknown)"}${how}: ${r.region}/${r.shareName ?? r.shareId} (${r.shareId})${via}: ${few(r.resources.map((x) => `${x.type} ${x.id}`)) || "(no resource)"}`);
        }
    }

    if (result.undeclared !== undefined) {
        lines.push("", terminalText(undeclaredHeading(result.undeclared, intendedSources ?? result.undeclared.sources)));
        // The grants of one image beyond a few are one line naming five and the count; JSON keeps every one.
        undeclaredLines(result.undeclared.shares).forEach((l) => lines.push(`  ${terminalText(l.line)}`));
    }

    if (result.removals.length > 0) {
        lines.push("", REMOVALS_HEADING);
        for (const r of result.removals) {
            const { head, lines: losses } = removalLines(r);
            lines.push(`  ${terminalText(head)}`, ...losses.map((l) => `    ${terminalText(l)}`));
        }
    }
    return lines.join("\n");
}

/** The JSON report: the report model's document, with the organization's own facts (values as read; the receipts by account). */
export const renderOrganizationJson = (result: OrganizationAuditResult): string => renderJson(organizationReport(result));

/** SARIF 2.1.0: the report model's log over the organization's verdicts, each with its account; accounts not read make the run unsuccessful. */
export const renderOrganizationSarif = (result: OrganizationAuditResult, version: string): string => renderSarif(organizationReport(result), version);

/** What the audit did not read (the accounts not read, then the answers not usable), as the text's INCOMPLETE line counts it. */
export const incompleteOf = organizationIncomplete;
