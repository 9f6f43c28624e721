package io.sightline.bench.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.WaitUntilState;
import io.sightline.bench.stats.ApiClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Debian's headless Chromium driven by Playwright: signs in through the real login page, then loads the overview and
 * reads what {@code panel-observer.js} (installed before any script of each page) recorded. Loads are warm (one
 * page, the HTTP cache kept, as for someone who opens the page every morning) or cold (a fresh context per load,
 * carrying only the session cookie).
 */
final class OverviewBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** No sandbox (the benchmark may run as root), and nothing Chromium would do on its own beside the page. */
    private static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final double READY_TIMEOUT_MS = 60_000;

    private final Playwright playwright;
    private final Browser browser;
    private final String observer;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Set<String> pageErrors = new TreeSet<>();
    private String base;
    private BrowserContext signedIn;
    private Page page;

    private OverviewBrowser(Playwright playwright, Browser browser, String observer) {
        this.playwright = playwright;
        this.browser = browser;
        this.observer = observer;
    }

    static OverviewBrowser launch() throws IOException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: the benchmark drives Debian's Chromium"
                    + " (apt-get install -y chromium)");
        }
        String observer;
        try (InputStream in = OverviewBrowser.class.getResourceAsStream("panel-observer.js")) {
            observer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                    .setHeadless(true).setArgs(FLAGS));
            return new OverviewBrowser(playwright, browser, observer);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    String version() {
        return browser.version();
    }

    /** Signs {@code user} in on the server at {@code port} by filling and sending the login form. */
    void signIn(int port, DashboardUser user) {
        base = "http://127.0.0.1:" + port;
        signedIn = newContext(null);
        page = newPage(signedIn);
        Response r = page.navigate(base + DashboardPages.LOGIN);
        if (r == null || r.status() != 200) {
            throw new IllegalStateException("GET " + DashboardPages.LOGIN + " answered " + (r == null ? "nothing" : r.status())
                    + ": the dashboard's login page is missing (is issue 16's web part merged?)");
        }
        Locator email = page.locator(DashboardPages.EMAIL_FIELD).first();
        Locator password = page.locator(DashboardPages.PASSWORD_FIELD).first();
        try {
            email.waitFor(new Locator.WaitForOptions().setTimeout(15_000));
        } catch (TimeoutError e) {
            throw new IllegalStateException("the login page shows no email field (" + DashboardPages.EMAIL_FIELD
                    + ") within 15 s; it shows: " + ApiClient.excerpt(page.innerText("body")));
        }
        email.fill(user.email());
        password.fill(user.password());
        Locator submit = page.locator(DashboardPages.SUBMIT).first();
        Response answer;
        try {
            answer = page.waitForResponse(this::isSignIn, new Page.WaitForResponseOptions().setTimeout(30_000), () -> {
                if (submit.count() > 0) {
                    submit.click();
                } else {
                    password.press("Enter");
                }
            });
        } catch (TimeoutError e) {
            throw new IllegalStateException("sending the login form made no POST " + DashboardPages.SIGN_IN + " within 30 s");
        }
        if (answer.status() != 200) {
            throw new IllegalStateException("signing in through the login page: POST " + DashboardPages.SIGN_IN
                    + " answered " + answer.status() + ": " + ApiClient.excerpt(answer.text()));
        }
        // The login page moves on by itself once signed in; a load started before that navigation ends would be
        // interrupted by it.
        page.waitForURL(url -> !URI.create(url).getPath().startsWith(DashboardPages.LOGIN),
                new Page.WaitForURLOptions().setTimeout(30_000));
        pageErrors.clear(); // a 401 logged while the login page asked who is signed in is no error of the overview
    }

    /** One load of the overview of {@code app}'s last 12 months, until the page says every panel is done. */
    PageLoad load(long app, boolean cold) throws IOException {
        BrowserContext context = cold ? newContext(signedIn.storageState()) : signedIn;
        Page p = cold ? newPage(context) : page;
        try {
            p.navigate("about:blank"); // the previous overview's timers stop, and every load starts from nothing
            String path = DashboardPages.overview(app);
            long start = System.nanoTime();
            Response r = p.navigate(base + path, new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
            if (r == null || r.status() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + (r == null ? "nothing" : r.status())
                        + ": the dashboard's overview page is missing (is issue 16's web part merged?)");
            }
            try {
                // A selector, not waitForFunction: that evaluates a string, which the page's CSP (no unsafe-eval) refuses.
                p.waitForSelector(DashboardPages.READY_SELECTOR, new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED).setTimeout(READY_TIMEOUT_MS));
            } catch (TimeoutError e) {
                throw new IllegalStateException("the overview at " + p.url() + " did not set document.body.dataset.ready"
                        + " to \"true\" within 60 s; panels: " + p.evaluate(DashboardPages.PANEL_STATES));
            }
            double wallMs = (System.nanoTime() - start) / 1e6;
            if (!URI.create(p.url()).getPath().startsWith("/apps/")) {
                throw new IllegalStateException("the overview sent the browser to " + p.url() + ": was the session refused?");
            }
            return PageLoad.of(mapper.readTree((String) p.evaluate("() => window.__sightlineBench()")), wallMs);
        } finally {
            if (cold) {
                context.close();
            }
        }
    }

    /** Uncaught errors and console errors of the pages since signing in, each once. */
    Set<String> pageErrors() {
        return pageErrors;
    }

    private BrowserContext newContext(String storageState) {
        Browser.NewContextOptions options = new Browser.NewContextOptions().setViewportSize(1440, 900);
        BrowserContext context = browser.newContext(storageState == null ? options : options.setStorageState(storageState));
        context.addInitScript(observer);
        return context;
    }

    private Page newPage(BrowserContext context) {
        Page p = context.newPage();
        p.onPageError(error -> pageErrors.add("uncaught: " + ApiClient.excerpt(error)));
        p.onConsoleMessage(m -> {
            if ("error".equals(m.type())) {
                pageErrors.add("console: " + ApiClient.excerpt(m.text()));
            }
        });
        return p;
    }

    private boolean isSignIn(Response r) {
        return "POST".equals(r.request().method()) && URI.create(r.url()).getPath().equals(DashboardPages.SIGN_IN);
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
