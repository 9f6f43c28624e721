package io.sightline.http;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.sightline.store.Database;
import io.sightline.store.WriteRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

/**
 * Turns any failure into the one JSON error shape. Client mistakes are logged at DEBUG; a 500 is logged with
 * its stack trace and answered without internals.
 */
public final class ErrorResponder {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);

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
        if (cause instanceof WriteRejectedException rejected) {
            return switch (rejected.reason()) {
                case QUEUE_FULL -> new ApiException(503, "queue_full",
                        "the server is at capacity; retry after the Retry-After delay", null, 1);
                case DATABASE_UNAVAILABLE -> databaseUnavailable();
                case SHUTTING_DOWN -> new ApiException(503, "shutting_down",
                        "the server is shutting down; retry after the Retry-After delay", null, 5);
                case STORAGE_ERROR -> new ApiException(500, "storage_error", "the events could not be stored", null);
            };
        }
        if (cause instanceof SQLException sql && Database.isUnavailable(sql)) {
            return databaseUnavailable();
        }
        if (cause instanceof HttpResponseException http) {
            return new ApiException(http.getStatus(), codeFor(http.getStatus()), messageFor(http), null);
        }
        return new ApiException(500, "internal_error", "an internal error occurred", null);
    }

    private static ApiException databaseUnavailable() {
        return new ApiException(503, "database_unavailable",
                "storage is temporarily unavailable; retry after the Retry-After delay", null, 5);
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
