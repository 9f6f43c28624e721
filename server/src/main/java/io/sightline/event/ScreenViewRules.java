package io.sightline.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * The properties of a {@code screen_view}: {@code name} (the screen's or page's name), {@code url}, {@code path},
 * {@code referrer} and {@code title}, at least one of the first three. A view sent with a {@code url} and no
 * {@code path} is stored with the URL's path, so the {@code path} dimension sees web pages and app screens alike.
 */
final class ScreenViewRules {
    static final int MAX_NAME = 200;
    static final int MAX_URL = 2000;
    static final int MAX_PATH = 1000;
    static final int MAX_TITLE = 500;
    /** Keys whose own length limit here is above {@link PropertyLimits#MAX_STRING}. */
    static final Set<String> LONG_KEYS = Set.of("url", "referrer");

    private static final String P = "properties.";

    private ScreenViewRules() {
    }

    /** {@code properties} is the client's object, or a missing node when it sent none. */
    static void check(JsonNode properties) {
        String name = Fields.optionalString(properties, P, "name", 1, MAX_NAME);
        String url = Fields.optionalString(properties, P, "url", 1, MAX_URL);
        if (url != null && !WebAddress.isWebUrl(url)) {
            throw new Rejection("invalid_value", P + "url", P + "url must be an absolute http or https URL"
                    + " without spaces, such as \"https://shop.example/ar/chair\"");
        }
        String path = Fields.optionalString(properties, P, "path", 1, MAX_PATH);
        if (path != null && !path.startsWith("/")) {
            throw new Rejection("invalid_value", P + "path", P + "path must start with \"/\"");
        }
        if (url != null && path == null && WebAddress.path(url).length() > MAX_PATH) {
            throw new Rejection("too_long", P + "url", "the path of " + P + "url must be at most " + MAX_PATH
                    + " characters; send a shorter " + P + "path with it");
        }
        // Browsers say "" when there is no referrer (document.referrer); that is taken as not given.
        String referrer = Fields.optionalString(properties, P, "referrer", 0, MAX_URL);
        if (referrer != null && !referrer.isEmpty() && !WebAddress.isAbsoluteUrl(referrer)) {
            throw new Rejection("invalid_value", P + "referrer", P + "referrer must be an absolute URL without"
                    + " spaces, such as \"https://www.example.org/\", or empty");
        }
        Fields.optionalString(properties, P, "title", 0, MAX_TITLE);
        if (name == null && url == null && path == null) {
            throw new Rejection("missing_field", "properties", "a screen_view needs " + P + "name, " + P + "url or "
                    + P + "path");
        }
    }

    /** The properties to store: the client's, with the path of their URL added when they have a URL but no path. */
    static JsonNode withDerivedPath(JsonNode properties) {
        JsonNode url = properties.get("url");
        JsonNode path = properties.get("path");
        if (url == null || !url.isTextual() || (path != null && !path.isNull())) {
            return properties;
        }
        // A copy: the parsed tree is the client's.
        ObjectNode completed = ((ObjectNode) properties).deepCopy();
        completed.put("path", WebAddress.path(url.textValue()));
        return completed;
    }
}
