package io.sightline.web;

import io.javalin.http.Context;
import io.sightline.http.Access;
import io.sightline.http.ApiException;
import io.sightline.http.RouteTable;

import java.util.List;
import java.util.Optional;

/**
 * The dashboard: every page route answers the same {@code index.html} (the page routes itself and asks the API,
 * showing the login on 401), and {@code /assets/…} answers the files of {@link WebAssets}. Everything is public:
 * the files hold no data.
 *
 * <p>Caching: the index is {@code no-cache}, so a new build is picked up at once; an asset asked for with the
 * current {@code ?v=} is immutable for a year, any other request for it is revalidated by its ETag.
 */
public final class WebHandler {
    /** The routes the page's own router knows; each serves index.html. */
    static final List<String> PAGES = List.of("/", "/login", "/setup", "/apps/{id}", "/admin/apps", "/admin/users",
            "/admin/tokens", "/admin/privacy", "/admin/destinations", "/share/{token}");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final WebAssets assets;
    private final String etag;

    public WebHandler(WebAssets assets) {
        this.assets = assets;
        this.etag = "\"" + assets.version() + "\"";
    }

    /** The pages and their files, open to all. */
    public void routes(RouteTable routes) {
        PAGES.forEach(page -> routes.get(page, this::page, Access.PUBLIC));
        routes.get("/assets/{name}", this::asset, Access.PUBLIC);
        routes.get("/assets/vendor/{name}", this::vendor, Access.PUBLIC);
    }

    public void page(Context ctx) {
        ctx.header("Cache-Control", "no-cache");
        send(ctx, assets.index());
    }

    public void asset(Context ctx) {
        serve(ctx, assets.file(ctx.pathParam("name")));
    }

    public void vendor(Context ctx) {
        serve(ctx, assets.vendor(ctx.pathParam("name")));
    }

    private void serve(Context ctx, Optional<StaticFile> file) {
        // The name is only ever a key of the map read at start, so "..", "%2F" and the like find nothing.
        StaticFile found = file.orElseThrow(() -> ApiException.notFound("no such asset"));
        if (assets.version().equals(ctx.queryParam("v"))) {
            ctx.header("Cache-Control", IMMUTABLE);
        } else {
            ctx.header("Cache-Control", "no-cache");
            ctx.header("ETag", etag);
            if (etag.equals(ctx.header("If-None-Match"))) {
                ctx.status(304);
                return;
            }
        }
        send(ctx, found);
    }

    private static void send(Context ctx, StaticFile file) {
        ctx.contentType(file.contentType());
        if (file.gzipped() != null) {
            ctx.header("Vary", "Accept-Encoding");
            String accepted = ctx.header("Accept-Encoding");
            if (accepted != null && accepted.contains("gzip")) {
                ctx.header("Content-Encoding", "gzip");
                ctx.result(file.gzipped());
                return;
            }
        }
        ctx.result(file.bytes());
    }
}
