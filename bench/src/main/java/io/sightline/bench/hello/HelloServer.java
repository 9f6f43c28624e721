package io.sightline.bench.hello;

import io.javalin.Javalin;
import io.javalin.http.ContentType;

import java.nio.charset.StandardCharsets;

/**
 * The smallest useful Javalin endpoint: {@code POST /hello} reads the body and answers 200 {@code {"ok":true}}.
 * Driven by the same load generator as the real server, it shows the HTTP layer's ceiling on this machine,
 * which no ingestion endpoint can exceed.
 */
public final class HelloServer implements AutoCloseable {
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private final Javalin app;

    private HelloServer(Javalin app) {
        this.app = app;
    }

    /** Starts listening on 127.0.0.1; port 0 picks a free one, see {@link #port()}. */
    public static HelloServer start(int port) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/hello", ctx -> {
                ctx.bodyAsBytes();
                ctx.contentType(ContentType.APPLICATION_JSON).result(OK);
            });
        });
        return new HelloServer(app.start("127.0.0.1", port));
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HelloServer <port>");
            System.exit(2);
        }
        HelloServer server = start(Integer.parseInt(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "hello-server-stop"));
        System.out.println("HelloServer listening on 127.0.0.1:" + server.port());
    }
}
