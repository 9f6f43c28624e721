package io.sightline.web;

import io.sightline.testing.Browser;
import io.sightline.testing.TestServer;

/** What a web tracker test runs against: a Sightline, a browser and a customer's site on another origin. */
record TrackerRig(TestServer server, Browser browser, CustomerSite site) implements AutoCloseable {

    static TrackerRig start() throws Exception {
        TestServer server = TestServer.start();
        Browser browser = null;
        try {
            browser = Browser.launchAs(CustomerSite.CHROME);
            return new TrackerRig(server, browser, CustomerSite.start(server));
        } catch (Exception | Error e) {
            if (browser != null) {
                browser.close();
            }
            server.close();
            throw e;
        }
    }

    @Override
    public void close() {
        site.close();
        browser.close();
        server.close();
    }
}
