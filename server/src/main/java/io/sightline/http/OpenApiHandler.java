package io.sightline.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of every route, kept as the resource
 * {@value #RESOURCE} and served as it is. OpenApiTest holds it to the real route table.
 */
public final class OpenApiHandler {
    static final String RESOURCE = "/openapi.json";

    private final byte[] document;

    public OpenApiHandler() {
        try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing from the build");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    /** The API's own description, open to all. */
    public void routes(RouteTable routes) {
        routes.get("/api/v1/openapi.json", this::document, Access.PUBLIC);
    }

    public void document(Context ctx) {
        ctx.contentType("application/json").result(document);
    }
}
