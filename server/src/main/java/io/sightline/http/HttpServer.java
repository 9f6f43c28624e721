package io.sightline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import io.sightline.config.Config;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The server shell: Jetty and Javalin set up once, the {@link Authorizer} checked before every route, the routes
 * the features declare (in the order given), and the one mapping of failures to JSON errors.
 */
public final class HttpServer {
    private static final Duration IDLE_THREAD_TIMEOUT = Duration.ofMinutes(1);
    /** Threads kept even when idle; SIGHTLINE_HTTP_THREADS is never below it. */
    private static final int MIN_THREADS = 8;
    private final Javalin app;
    private final Config.Http config;

    public HttpServer(Config.Http config, int maxBodyBytes, ObjectMapper mapper, Authorizer authorizer,
                      List<Routes> routes) {
        this.config = config;
        // Javalin's default pool grows to 250 threads. Under /track load on 2 cores it ran about 130, all
        // runnable, since ingestion never blocks on them; taking turns costs switches and caches. Capped at 32,
        // the request threads of the fully enriching server spent 34-36 µs of CPU per event instead of 37-56.
        QueuedThreadPool threads = new QueuedThreadPool(config.threads(), MIN_THREADS,
                (int) IDLE_THREAD_TIMEOUT.toMillis());
        threads.setName("JettyServerThreadPool");
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.jetty.threadPool = threads;
            c.jetty.modifyServer(server -> {
                // Without a GracefulHandler Jetty's stop closes connections under requests still being answered;
                // with it, stop refuses new connections and waits (up to the timeout) for the requests under way.
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(config.shutdownTimeout().toMillis());
                server.setErrorHandler(new JsonErrorHandler(mapper));
            });
            c.jsonMapper(new JavalinJackson(mapper, false));
            c.http.maxRequestSize = maxBodyBytes;
            c.http.asyncTimeout = 0; // the ingestion service bounds its own wait (SIGHTLINE_ACK_TIMEOUT)
            c.http.generateEtags = false;
            // Responses are a few dozen bytes: compressing them costs more than it saves.
            c.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            // Javalin copies every answer through a new buffer of this size, 32 KiB by default: under /track load
            // that was 29 % of all allocation for answers of a few dozen bytes. Jetty's own buffers are unchanged.
            c.http.responseBufferSize = 2048;

            // Before everything, so that 404s, refusals and failures carry them too.
            c.routes.before(ctx -> SecurityHeaders.addTo(ctx::header));
            c.routes.beforeMatched(authorizer::check);

            RouteTable table = new JavalinRouteTable(c.routes);
            routes.forEach(feature -> feature.addTo(table));

            c.routes.exception(ApiException.class, (e, ctx) -> ErrorResponder.respond(ctx, e));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> ErrorResponder.respond(ctx, e));
            c.routes.exception(Exception.class, (e, ctx) -> ErrorResponder.respond(ctx, e));
        });
    }

    /** Javalin's router behind the {@link RouteTable} the features declare their routes on. */
    private record JavalinRouteTable(JavalinDefaultRoutingApi router) implements RouteTable {
        @Override
        public void get(String path, Handler handler, Access access) {
            router.get(path, handler, access);
        }

        @Override
        public void post(String path, Handler handler, Access access) {
            router.post(path, handler, access);
        }

        @Override
        public void post(String path, Handler handler, Access access, CrossOrigin crossOrigin) {
            // A before hook, so that answers the handler never reaches (a refusal by the Authorizer) carry it too.
            router.before(path, ctx -> crossOrigin.allow(ctx::header));
            if (crossOrigin.answersPreflight()) {
                router.options(path, ctx -> {
                    crossOrigin.preflight("POST", ctx::header);
                    ctx.status(204);
                }, Access.PUBLIC);
            }
            router.post(path, handler, access);
        }

        @Override
        public void patch(String path, Handler handler, Access access) {
            router.patch(path, handler, access);
        }

        @Override
        public void delete(String path, Handler handler, Access access) {
            router.delete(path, handler, access);
        }
    }

    /** One route of the table as declared: its method, its path with {@code {param}}s, and who may call it. */
    public record Route(String method, String path, Set<RouteRole> access) {}

    /** Every HTTP route of the table, read back from Javalin's router (before/after hooks excluded). */
    public List<Route> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> new Route(endpoint.method.name(), endpoint.path, roles(endpoint)))
                .toList();
    }

    private static Set<RouteRole> roles(Endpoint endpoint) {
        Roles roles = endpoint.metadata(Roles.class);
        return roles == null ? Set.of() : Set.copyOf(roles.getRoles());
    }

    public void start() {
        app.start(config.host(), config.port());
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
