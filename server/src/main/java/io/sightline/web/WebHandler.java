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
 *
 * <p>Also {@code /sightline.js}, the web tracker that customers' pages load from here ({@link #tracker}).
 */
public final class WebHandler {
    /** The routes the page's own router knows; each serves index.html. */
    static final List<String> PAGES = List.of("/", "/login", "/setup", "/apps/{id}", "/admin/apps", "/admin/users",
            "/admin/tokens", "/admin/privacy", "/admin/destinations", "/share/{token}");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /**
     * The tracker's URL never changes (customers' pages name it), so it cannot be immutable: an hour in caches,
     * then revalidated by its ETag, so a new release reaches every page within the hour.
     */
    private static final String TRACKER_CACHE = "public, max-age=3600";

    private final WebAssets assets;
    private final String etag;
    private final TrackerScript tracker;

    public WebHandler(WebAssets assets) {
        this.assets = assets;
        this.etag = "\"" + assets.version() + "\"";
        this.tracker = TrackerScript.load();
    }

    /** The pages and their files, open to all. */
    public void routes(RouteTable routes) {
        PAGES.forEach(page -> routes.get(page, this::page, Access.PUBLIC));
        routes.get("/assets/{name}", this::asset, Access.PUBLIC);
        routes.get("/assets/vendor/{name}", this::vendor, Access.PUBLIC);
        routes.get("/sightline.js", this::tracker, Access.PUBLIC);
    }

    /**
     * The web tracker, loaded by {@code <script src>} from customers' pages, so from any origin: CORS allows
     * everyone (no credentials: the file is the same for all) and CORP {@code cross-origin} lets a page that
     * isolates itself (COEP) load it too.
     */
    public void tracker(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cross-Origin-Resource-Policy", "cross-origin");
        ctx.header("Cache-Control", TRACKER_CACHE);
        ctx.header("ETag", tracker.etag());
        if (tracker.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        send(ctx, tracker.file());
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
