package io.sightline.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one error shape of every route: {@code {"error": {"code", "message", "field"}}}. */
public final class ErrorBody {
    private ErrorBody() {
    }

    public static Map<String, Object> of(String code, String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("field", field);
        return Map.of("error", error);
    }

    public static Map<String, Object> of(ApiException e) {
        return of(e.code(), e.getMessage(), e.field());
    }
}
