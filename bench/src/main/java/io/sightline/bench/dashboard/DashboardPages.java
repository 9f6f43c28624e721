package io.sightline.bench.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Every path, selector and DOM hook of the dashboard that the benchmark relies on, in one place (issue 16's contract):
 * adjust here when the pages change.
 */
final class DashboardPages {
    private DashboardPages() {
    }

    static final String LOGIN = "/login";
    static final String USERS = "/api/v1/users";
    static final String SET_PASSWORD = "/api/v1/session/password";
    static final String SIGN_IN = "/api/v1/session";

    /** The login form's fields, by the attributes any login form carries rather than by its wording. */
    static final String EMAIL_FIELD = "input[type=email], input[name=email], input[autocomplete=username]";
    static final String PASSWORD_FIELD = "input[type=password]";
    static final String SUBMIT = "form button[type=submit], form input[type=submit]";

    /** The page's hook: every panel has left {@code loading}. */
    static final String READY_SELECTOR = "body[data-ready='true']";
    /** Each panel's state now, for a message when the page never gets ready. */
    static final String PANEL_STATES = "() => Array.from(document.querySelectorAll('[data-panel]'))"
            + ".map(e => e.dataset.panel + '=' + e.dataset.state).join(', ') || 'no [data-panel] element'";

    /** The overview of the last 12 months. */
    static String overview(long app) {
        return "/apps/" + app + "?range=12m";
    }

    /** A viewer of {@code app} only: the marketer who opens the page in the morning. */
    static Map<String, Object> viewerBody(String email, long app) {
        return Map.of("email", email, "role", "viewer", "app_ids", List.of(app));
    }

    /** The token of the one-time password link {@code /setup#<token>} in the user-creation answer, or null. */
    static String linkToken(JsonNode created) {
        String link = created.path("password_link").asText("");
        int hash = link.indexOf('#');
        return hash < 0 || hash == link.length() - 1 ? null : link.substring(hash + 1);
    }

    static Map<String, Object> passwordBody(String token, String password) {
        return Map.of("token", token, "password", password);
    }
}
