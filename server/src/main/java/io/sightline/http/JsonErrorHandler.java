package io.sightline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * Jetty's own refusals, which never reach a route (a malformed request line or header, a URI or headers over
 * Jetty's limits, an unmet {@code Expect}, the 503 of a server that is stopping), in the one JSON error shape
 * instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);
    /** Jetty's reason when the request line's version is no HTTP version at all, as in "HELLO WORLD AGAIN". */
    private static final String UNKNOWN_VERSION = "Unknown Version";
    private static final int RETRY_AFTER_SECONDS = 5;

    private final ObjectMapper mapper;

    JsonErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
        int status = response.getStatus();
        Object reason = request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
            status = http.getCode();
            reason = http.getReason();
        }
        ApiException error = toApiException(status, reason instanceof String s ? s : null);
        log.debug("Jetty refused a request: {} {}", error.status(), error.code());
        response.setStatus(error.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        SecurityHeaders.addTo(response.getHeaders()::put);
        if (error.retryAfterSeconds() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, error.retryAfterSeconds().toString());
        }
        response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(ErrorBody.of(error))), callback);
        return true;
    }

    static ApiException toApiException(int status, String reason) {
        return switch (status) {
            case HttpStatus.URI_TOO_LONG_414 -> new ApiException(414, "uri_too_long",
                    "the request URI is longer than the server accepts", null);
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> new ApiException(431, "headers_too_large",
                    "the request headers are larger than the server accepts", null);
            case HttpStatus.EXPECTATION_FAILED_417 -> new ApiException(417, "unsupported_expectation",
                    "the only expectation the server meets is 100-continue", "Expect");
            case HttpStatus.REQUEST_TIMEOUT_408 -> new ApiException(408, "request_timeout",
                    "the request did not arrive in time", null);
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> new ApiException(413, "body_too_large",
                    "the request body is larger than the server accepts", null);
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 -> UNKNOWN_VERSION.equals(reason)
                    ? malformed()
                    : new ApiException(505, "unsupported_http_version", "send HTTP/1.1 or HTTP/1.0", null);
            case HttpStatus.SERVICE_UNAVAILABLE_503 -> new ApiException(503, "unavailable",
                    "the server is not taking requests now; retry after the Retry-After delay", null,
                    RETRY_AFTER_SECONDS);
            case HttpStatus.BAD_REQUEST_400 -> malformed();
            default -> status >= 500
                    ? new ApiException(status, "internal_error", "an internal error occurred", null)
                    : new ApiException(status, "refused", "the request was refused: " + HttpStatus.getMessage(status),
                    null);
        };
    }

    private static ApiException malformed() {
        return new ApiException(400, "bad_request", "the request is not well-formed HTTP/1.1", null);
    }
}
