"""Every page every persona can reach, in Chromium, against WCAG 2.1 A and AA (issue 9, part 7).

With the whole demo data set loaded, each persona logs in once and walks the
application breadth-first from the start page, following same-origin links. On
every page: axe-core's WCAG 2.1 A and AA rules, no horizontal scrolling at
320 px (WCAG 1.4.10), no server error, no console/CSP error. Pages no link
leads to (a receipt after a form is sent, for example) are added as seeds.

The union of the URL names visited must cover every GET page of the URL
configuration except `NOT_CRAWLED` (each entry says why), so a new page cannot
escape the crawl. The first visit of each URL name is screenshotted at 320 and
1280 px into test-artifacts/screenshots/crawl-<url name>-<width>.png.

The test collects every finding of the whole crawl and reports them at once
(url, rule, target), not just the first.
"""

from __future__ import annotations

import io
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from samverkan.accounts.models import User
from samverkan.core.testing.browser import (
    AXE_JS,
    BROWSER_TEST_PASSWORD,
    NARROW,
    SCREENSHOT_DIR,
    WCAG21_AA_TAGS,
    WIDE,
    _inject_axe,
    console_errors,
    login_as,
    overflowing,
)

pytestmark = pytest.mark.browser

# The personas of the demo (fixture names of the root conftest), in crawl order.
PERSONAS = (
    "hub_worker",
    "nacka_receiver",
    "solna_receiver",
    "roc_operator",
    "agreement_admin",
    "defector_coordinator",
    "collaboration_coordinator",
    "school_staff",
    "analyst",
    "auditor",
    "admin_user",
)

# URL names of the web UI that the crawl does not visit, and why. Everything
# else in the URL configuration (outside the namespaces below) must be visited.
NOT_CRAWLED_NAMESPACES = {
    "admin",  # Django's admin: outside the WCAG claim (see the accessibility statement)
    "api",  # JSON API, no pages (issue 9 parts 1 and 5 test it)
}
NOT_CRAWLED = {
    # Language switch: a POST form on every page (its button is checked on every page).
    "set_language",
    # Log-out: POST only, and it would end the crawl.
    "accounts:logout",
    # POST-only form actions: their form is part of a crawled page, and their
    # answer on a refused form is that page again (status 400).
    "agreements:decision",
    "agreements:notice",
    "agreements:amendment",
    "agreements:dpa",
    "agreements:acknowledge",
    # linked from ROC's start page while a notice is unacknowledged (the demo's is acknowledged)
    "agreements:notification",
    "routines:review",
    "registry:change_withdraw",
    "homecoming:close",
    # htmx fragments inside a crawled page (checked there): the decision while the hub
    # types a registration (keyboard tests) and the hub's alarm, refreshed by the live poll;
    # the versions the live screens poll (no page: 204/304 with an ETag, intake/tests/test_live.py).
    "intake:hub_decide",
    "intake:hub_alarm",
    "intake:hub_version",
    "intake:inbox_version",
    "intake:hub_attempt",
    "intake:hub_accept_by_phone",
    "intake:hub_clarify",
    "intake:hub_reroute",
    "intake:receiver_accept",
    "intake:receiver_reject",
    "intake:receiver_protection",
    "intake:receiver_preliminary",
    "intake:receiver_information_request",
    "intake:receiver_feedback",
    "intake:police_answer",
    # The receiver's case-system button on the report page (a POST; casesystems' tests).
    "casesystems:send_report",
    "defectors:transition",
    "defectors:precondition",
    "defectors:threat",
    "defectors:children",
    "defectors:children_close",
    "defectors:consultation",
    "defectors:plan",
    "defectors:intervention_add",
    "defectors:intervention_decline",
    "defectors:intervention_status",
    "defectors:cost",
    "defectors:followup",
    "defectors:reconciliation_compute",
    "defectors:lesson",
    "defectors:catalogue",
    "defectors:reconciliation_approve",
    # Downloads (PDF, CSV, XLSX, JSON, uploaded documents): no HTML to check.
    "agreements:pdf",
    "core:document",
    "defectors:evaluation",
    "followup:export",
    "followup:export_table",
    "followup:open_data_download",
    "audit:export",
}
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/", "/konto/logga-ut/")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".ods", ".zip", ".txt")
MAIN_RECORD_PAGES = {
    "agreements:detail",
    "intake:hub_report",
    "intake:receiver_report",
    "defectors:detail",
    "defectors:agreement",
    "collaboration:forum_detail",
    "collaboration:plan_detail",
}
MAX_PER_ROUTE = 2  # URLs per resolved URL name and persona (ids and filters vary)


@dataclass
class Finding:
    url: str
    rule: str
    target: str

    def __str__(self) -> str:
        return f"{self.url}\n    {self.rule}: {self.target}"


@dataclass
class Crawl:
    base: str
    findings: list[Finding] = field(default_factory=list)
    visited_names: dict[str, set[str]] = field(default_factory=dict)  # name -> personas
    screenshotted: set[str] = field(default_factory=set)
    pages: int = 0


def page_routes() -> set[str]:
    """Every qualified URL name of the URL configuration outside the skipped namespaces."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                if namespace in NOT_CRAWLED_NAMESPACES:
                    continue
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, None)
    return names


def route_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawlable(crawl: Crawl, url: str) -> str | None:
    """The URL without fragment when the crawl should follow it, else None."""
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != crawl.base:
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(DOWNLOAD_SUFFIXES):
        return None
    name = route_of(parts.path)
    if name in NOT_CRAWLED:
        return None
    return url


def axe_violations(page: Any) -> list[dict[str, Any]]:
    _inject_axe(page)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return result.violations.map(v => ({
                id: v.id, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }""",
        WCAG21_AA_TAGS,
    )


def check(crawl: Crawl, page: Any, persona: str, url: str) -> None:
    """Every check on the page now shown; findings are collected, not raised."""
    crawl.pages += 1
    name = route_of(urlsplit(page.url).path) or "?"
    for violation in axe_violations(page):
        for target in violation["targets"]:
            crawl.findings.append(
                Finding(url, f"{violation['id']} ({violation['help']})", f"{target} [{persona}]")
            )
    # Screenshots of the main pages: the first visit of each route without a record id,
    # and of the records' main pages.
    first = name not in crawl.screenshotted and (
        not resolve(urlsplit(page.url).path).kwargs or name in MAIN_RECORD_PAGES
    )
    page.set_viewport_size(NARROW)
    if first:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        slug = name.replace(":", "-").replace("_", "-")
        page.screenshot(path=str(SCREENSHOT_DIR / f"crawl-{slug}-320.png"), full_page=True)
    wide = overflowing(page, most=5)
    if wide:
        crawl.findings.append(
            Finding(url, "reflow (WCAG 1.4.10, horizontal scroll at 320 px)", ", ".join(wide))
        )
    page.set_viewport_size(WIDE)
    if first:
        page.screenshot(path=str(SCREENSHOT_DIR / f"crawl-{slug}-1280.png"), full_page=True)
        crawl.screenshotted.add(name)


def visit(
    crawl: Crawl, page: Any, persona: str, url: str, referrer: str, *, shown: Any = None
) -> list[str]:
    """Open `url` (unless `shown`, the response the page shows), check it, return its links."""
    errors_before = len(console_errors(page))
    if shown is not None:
        status = shown.status
    else:
        response = page.goto(url)
        status = response.status if response else 0
    final = urlsplit(page.url)
    if status >= 400:
        crawl.findings.append(Finding(url, f"HTTP {status}", f"linked from {referrer} [{persona}]"))
        if status >= 500:
            return []
    requested = urlsplit(url).path
    if final.path.startswith("/konto/logga-in/") and not requested.startswith("/konto/logga-in/"):
        crawl.findings.append(Finding(url, "sent to the log-in page", f"[{persona}]"))
        return []
    # A route that redirects (/anmalningar/ to each side's page) counts as visited too.
    for name in {route_of(requested), route_of(final.path)} - {None}:
        crawl.visited_names.setdefault(str(name), set()).add(persona)
    check(crawl, page, persona, url)
    for error in console_errors(page)[errors_before:]:
        crawl.findings.append(Finding(url, "console error", f"{error} [{persona}]"))
    return page.evaluate(
        "() => [...document.querySelectorAll('a[href]')]"
        ".filter(a => !a.hasAttribute('download')).map(a => a.href)"
    )


def crawl_as(crawl: Crawl, page: Any, persona: str, seeds: list[str]) -> None:
    start = f"{crawl.base}/"
    queue: deque[tuple[str, str]] = deque([(start, "log-in")])
    queue.extend((f"{crawl.base}{seed}", "seed") for seed in seeds)
    seen: set[str] = {start}
    per_route: dict[str, int] = {}
    while queue:
        url, referrer = queue.popleft()
        for link in visit(crawl, page, persona, url, referrer):
            target = crawlable(crawl, link)
            if target is None or target in seen:
                continue
            seen.add(target)
            name = route_of(urlsplit(target).path) or target
            if per_route.get(name, 0) >= MAX_PER_ROUTE:
                continue
            per_route[name] = per_route.get(name, 0) + 1
            queue.append((target, url))


# Pages of a persona that no link leads to: routes that only redirect.
SEEDS = {
    "hub_worker": ["/anmalningar/"],
    "nacka_receiver": ["/anmalningar/"],
    "roc_operator": ["/anmalningar/"],
    "collaboration_coordinator": ["/samverkan/forum/"],
}


def seeds_of(persona: str) -> list[str]:
    """`SEEDS`, and record pages past the per-route limit that lead somewhere only they do."""
    seeds = list(SEEDS.get(persona, []))
    if persona == "agreement_admin":
        # The defector agreement's page links its administrators to the agreement's terms;
        # the list's first agreements are others.
        from samverkan.agreements.demo import DEFECTOR_REFERENCE
        from samverkan.agreements.models import Agreement

        seeds.append(f"/avtal/{Agreement.objects.get(reference=DEFECTOR_REFERENCE).pk}/")
    return seeds


def before_crawl(crawl: Crawl, page: Any, persona: str) -> None:
    """Pages shown only after a form is sent, reached the way a user reaches them."""
    if persona == "hub_worker":
        # A report outside single entry: the page that says what to tell the police.
        page.goto(f"{crawl.base}/anmalningar/socialjouren/ny/")
        page.fill("[name=person_id]", "20120515-2380")
        page.fill("[name=found_in]", "Solna (0184)")
        page.fill("[name=home_municipality]", "Norrtälje")
        page.check("[name=gang_related][value=yes]")  # asked, never pre-ticked
        page.fill("[name=reporting_officer_name]", "Polis Testsson")
        with page.expect_navigation(url="**/socialjouren/utanfor/**") as shown:
            page.locator("main form button[type=submit]").last.click()
        visit(
            crawl, page, persona, page.url, "registration outside single entry", shown=shown.value
        )
    if persona == "collaboration_coordinator":
        # The follow-up after a homecoming is offered once the young person is home; the
        # demo's plan is still before release.
        from samverkan.homecoming.models import HomecomingPlan

        plan = HomecomingPlan.objects.order_by("pk").first()
        assert plan is not None, "the homecoming demo plan is missing"
        visit(crawl, page, persona, f"{crawl.base}/hemtagning/{plan.pk}/uppfoljning/ny/", "seed")


def _planned_change(admin: Any) -> Any:
    """A merger still ahead, so the administrator's correction page can be reached."""
    from samverkan.registry import change_rules, changes
    from samverkan.registry.models import Organisation

    stockholm = Organisation.objects.get(code="0180")
    ending, successor = (
        Organisation.objects.create(
            code=f"0180-crawl-{slug}", name=f"Crawlområde {slug}", kind="district", parent=stockholm
        )
        for slug in ("a", "b")
    )
    return changes.change_register(
        actor=admin,
        kind=change_rules.MERGER,
        effective_date=date(2031, 1, 1),
        ending=[ending],
        successors={successor.pk: list(change_rules.RESPONSIBILITIES)},
    )


def test_every_page_every_persona_reaches_passes_wcag_21_aa(
    page: Any, live_server: Any, request: pytest.FixtureRequest, settings: Any
) -> None:
    settings.DEMO = True
    # The personas first: the demo then moves the school staff member to a school.
    users = {persona: request.getfixturevalue(persona) for persona in PERSONAS}
    call_command("setup_demo", stdout=io.StringIO())
    began = time.monotonic()
    crawl = Crawl(base=live_server.url)
    # axe-core in every page before its own scripts run: one compile for the whole crawl
    # instead of sending 500 kB to each page.
    page.context.add_init_script(path=str(AXE_JS))

    # Before logging in: the log-in page, the accessibility statement, and the
    # enrolment of a second factor by a user who has none yet.
    for path in ("/konto/logga-in/", "/tillganglighet/"):
        visit(crawl, page, "anonymous", f"{crawl.base}{path}", "anonymous")
    newcomer = User.objects.create_user(
        username="ny-medarbetare", password=BROWSER_TEST_PASSWORD, can_self_enrol=True
    )
    page.goto(f"{crawl.base}/konto/logga-in/")
    page.fill("[name=username]", newcomer.username)
    page.fill("[name=password]", BROWSER_TEST_PASSWORD)
    with page.expect_navigation(url="**/konto/aktivera-tvafaktor/**") as shown:
        page.press("[name=password]", "Enter")
    visit(crawl, page, "newcomer", page.url, "log-in without a second factor", shown=shown.value)

    _planned_change(users["admin_user"])
    for persona, user in users.items():
        page.context.clear_cookies()
        login_as(page, crawl.base, user)
        before_crawl(crawl, page, persona)
        crawl_as(crawl, page, persona, seeds_of(persona))
    elapsed = time.monotonic() - began

    missing = page_routes() - NOT_CRAWLED - set(crawl.visited_names)
    stale = NOT_CRAWLED - page_routes()
    report = [f"Crawled {crawl.pages} pages as {len(users)} personas in {elapsed:.0f} s."]
    if crawl.findings:
        report.append(f"{len(crawl.findings)} finding(s):")
        report.extend(str(finding) for finding in crawl.findings)
    if missing:
        report.append(
            f"Pages no persona reached (add a link, a seed or a NOT_CRAWLED row): {sorted(missing)}"
        )
    if stale:
        report.append(f"NOT_CRAWLED names no longer in the URL configuration: {sorted(stale)}")
    print("\n".join(report))
    print("Personas per URL name:", {k: len(v) for k, v in sorted(crawl.visited_names.items())})
    assert not crawl.findings and not missing and not stale, "\n".join(report)


def test_the_crawls_axe_check_finds_a_violation(page: Any) -> None:
    """The crawl passing means something: its axe call reports a missing alt text."""
    page.set_content('<html lang="sv"><title>T</title><main><img src="x.png"></main></html>')
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}


def test_the_crawls_reflow_check_names_what_is_too_wide(page: Any) -> None:
    """The reflow finding names the element that scrolls sideways, up to the limit asked for."""
    page.set_viewport_size(NARROW)
    page.set_content(
        '<html lang="sv"><title>T</title><body><div id="wide" style="width: 2000px">x</div>'
        '<div class="table-wrap"><table style="width: 2000px"></table></div></body></html>'
    )
    assert overflowing(page, most=5) == ["div#wide"]
    assert overflowing(page, most=0) == []
