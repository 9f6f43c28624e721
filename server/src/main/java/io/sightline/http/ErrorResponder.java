package io.sightline.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.sightline.error.DomainException;
import io.sightline.error.Kind;
import io.sightline.error.StorageUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

/**
 * Turns any failure into the one JSON error shape: the one mapper of domain failures ({@link DomainException}) to
 * HTTP statuses. Client mistakes are logged at DEBUG; a 500 is logged with
 * its stack trace and answered without internals.
 */
public final class ErrorResponder {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);
    /** PostgreSQL's query_canceled: what a statement timeout (JDBC's setQueryTimeout) raises. */
    private static final String QUERY_CANCELED = "57014";
    private static final int QUERY_TIMEOUT_RETRY_SECONDS = 30;

    private ErrorResponder() {
    }

    public static void respond(Context ctx, Throwable failure) {
        ApiException e = toApiException(failure);
        if (e.status() >= 500 && e.status() != 503) {
            log.error("{} {} failed", ctx.method(), ctx.path(), unwrap(failure));
        } else {
            log.debug("{} {} answered {} {}", ctx.method(), ctx.path(), e.status(), e.code());
        }
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        ctx.status(e.status()).json(ErrorBody.of(e));
    }

    static ApiException toApiException(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof DomainException domain) {
            return new ApiException(status(domain.kind()), domain.code(), domain.getMessage(), domain.field(),
                    domain.retryAfterSeconds());
        }
        if (cause instanceof SQLException sql && StorageUnavailable.isUnavailable(sql)) {
            return toApiException(new StorageUnavailable(sql));
        }
        if (cause instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
            // A read that outran its statement timeout: the request was valid and the server too slow for it now.
            return new ApiException(503, "query_timeout", "the query took longer than the server allows; narrow the"
                    + " range or the filters, or retry later", null, QUERY_TIMEOUT_RETRY_SECONDS);
        }
        if (cause instanceof HttpResponseException http) {
            return new ApiException(http.getStatus(), codeFor(http.getStatus()), messageFor(http), null);
        }
        return new ApiException(500, "internal_error", "an internal error occurred", null);
    }

    /** The one place a domain failure's kind becomes an HTTP status. */
    static int status(Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    private static String messageFor(HttpResponseException http) {
        return switch (http.getStatus()) {
            case 404 -> "no such route";
            case 405 -> "this route does not take that method";
            default -> http.getStatus() >= 500 ? "an internal error occurred" : "the request was not understood";
        };
    }
}
