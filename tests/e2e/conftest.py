"""Browser tests: Playwright drives Debian's headless Chromium against a live server.

Every page a test loads must be checked with axe-core (`browser_page.audit()`, done by
`goto` and `submit`), and the test fails on any WCAG 2.2 A/AA violation, on any
Content-Security-Policy violation and on any JavaScript error.
"""

import os

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests.conftest import chromium_path

AXE_PATH = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class BrowserPage:
    """A page plus the checks every browser test makes on every page it loads."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.loaded: list[str] = []
        self.audited: set[str] = set()
        self.problems: list[str] = []
        page.on("load", lambda p: self.loaded.append(p.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.audit()
        return response

    def reflow_width(self, width: int = 320, height: int = 640) -> int:
        """Narrows the window of a page already loaded (320 px: 400% zoom of a 1280 px
        window) and returns the page's scroll width once it has been laid out again. The
        new size reaches the page asynchronously, so it first waits for the page to see it
        and for two frames; measuring at once could see the old layout."""
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.wait_for_function(f"window.innerWidth === {int(width)}")
        self.page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )
        return self.page.evaluate("document.documentElement.scrollWidth")

    def submit(self, button_name: str):
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button_name).click()
        self.audit()

    def audit(self):
        """Runs axe-core on the page as it is now and fails on any violation."""
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
                }));
            }""",
            AXE_TAGS,
        )
        assert violations == [], f"axe found violations on {self.page.url}: {violations}"
        self.audited.add(self.page.url)

    def finish(self):
        assert self.problems == [], self.problems
        unaudited = [url for url in self.loaded if url not in self.audited]
        assert unaudited == [], f"pages loaded but not checked with axe: {unaudited}"


def _new_page(chromium, live_server, **context_options):
    context = chromium.new_context(**context_options)
    context.add_init_script(path=str(AXE_PATH))
    return context, BrowserPage(context.new_page(), live_server.url)


@pytest.fixture
def browser_page(chromium, live_server, transactional_db):
    context, page = _new_page(chromium, live_server)
    yield page
    page.finish()
    context.close()


def sign_in(browser_page: BrowserPage, email: str, password: str) -> None:
    browser_page.goto("/accounts/login/")
    browser_page.page.get_by_label("Email address").fill(email)
    browser_page.page.get_by_label("Password").fill(password)
    browser_page.submit("Sign in")
