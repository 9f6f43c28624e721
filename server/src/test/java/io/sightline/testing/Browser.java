package io.sightline.testing;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium for the dashboard's tests: the system's {@value #CHROMIUM} (Playwright downloads no browser),
 * one context per {@link Tab} so each has its own cookies, the console errors and uncaught exceptions of each tab
 * collected, and screenshots at a desktop and a phone size under {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    public static final int WIDE = 1440;
    public static final int WIDE_HEIGHT = 900;
    public static final int PHONE = 390;
    public static final int PHONE_HEIGHT = 844;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Background work a test run needs none of, and a sandbox that root (CI) cannot have. */
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser chromium;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser chromium) {
        this.playwright = playwright;
        this.chromium = chromium;
    }

    public static Browser launch() {
        return launch(ARGS);
    }

    /**
     * A browser sending {@code userAgent} on every request. Headless Chromium's own says "HeadlessChrome", which
     * the server takes for a bot; a context's user agent would not do, since requests that outlive their page
     * (sendBeacon on pagehide) leave from the browser process with the launch's agent.
     */
    public static Browser launchAs(String userAgent) {
        List<String> args = new ArrayList<>(ARGS);
        args.add("--user-agent=" + userAgent);
        return launch(args);
    }

    private static Browser launch(List<String> args) {
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new Browser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of(CHROMIUM)).setHeadless(true).setArgs(args)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A new tab in a fresh context (no cookies), at the desktop size, English and UTC so numbers read the same. */
    public Tab open(String baseUrl) {
        return open(baseUrl, "en-US");
    }

    /** As {@link #open(String)}, with the browser's language set to {@code locale} (a BCP 47 tag). */
    public Tab open(String baseUrl, String locale) {
        BrowserContext context = chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL(baseUrl).setViewportSize(WIDE, WIDE_HEIGHT).setLocale(locale).setTimezoneId("UTC"));
        return new Tab(context, context.newPage());
    }

    @Override
    public void close() {
        chromium.close();
        playwright.close();
    }

    /** One page and what went wrong in it. */
    public static final class Tab implements AutoCloseable {
        private final BrowserContext context;
        private final Page page;
        private final List<String> consoleErrors = new ArrayList<>();
        private final List<String> pageErrors = new ArrayList<>();

        Tab(BrowserContext context, Page page) {
            this.context = context;
            this.page = page;
            page.onConsoleMessage(message -> {
                if (message.type().equals("error")) {
                    consoleErrors.add(message.text() + " (" + message.location() + ")");
                }
            });
            page.onPageError(pageErrors::add);
        }

        public Page page() {
            return page;
        }

        /** Errors the page logged, including the browser's own report of a request answered 4xx or 5xx. */
        public List<String> consoleErrors() {
            return List.copyOf(consoleErrors);
        }

        /** Exceptions the page's scripts did not catch. */
        public List<String> pageErrors() {
            return List.copyOf(pageErrors);
        }

        /** Opens a path of the base URL and waits until every panel of the page has left "loading". */
        public Tab go(String path) {
            page.navigate(path);
            waitReady();
            return this;
        }

        /** Waits for {@code body[data-ready=true]}; a page that never gets there fails with what it logged. */
        public void waitReady() {
            try {
                // A selector, not waitForFunction: that evaluates a string, which the page's CSP (no unsafe-eval) refuses.
                page.waitForSelector("body[data-ready='true']", new Page.WaitForSelectorOptions()
                        .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED).setTimeout(20_000));
            } catch (com.microsoft.playwright.TimeoutError e) {
                throw new AssertionError("the page " + page.url() + " did not get ready; console errors: "
                        + consoleErrors + ", page errors: " + pageErrors, e);
            }
        }

        /**
         * Full-page screenshots at 1440 × 900 and at 390 × 844, as {@code <name>-1440.png} and
         * {@code <name>-390.png}; the tab is back at the desktop size afterwards.
         */
        public void screenshots(String name) {
            shoot(name, WIDE, WIDE_HEIGHT);
            shoot(name, PHONE, PHONE_HEIGHT);
            page.setViewportSize(WIDE, WIDE_HEIGHT);
        }

        private void shoot(String name, int width, int height) {
            page.setViewportSize(width, height);
            // Charts follow their container on the next frame: let a resize settle before the picture. From the
            // top, or the sticky top bar is drawn where the page was scrolled to.
            page.evaluate("() => { window.scrollTo(0, 0); return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }");
            page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(SCREENSHOTS.resolve(name + "-" + width + ".png")));
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
