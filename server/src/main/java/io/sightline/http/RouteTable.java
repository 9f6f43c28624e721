package io.sightline.http;

import io.javalin.http.Handler;

/**
 * Where a feature declares its routes: each with its method, its path ({@code {param}}s allowed) and the
 * {@link Access} the {@link Authorizer} checks before the handler runs. A route cannot be declared without one.
 */
public interface RouteTable {
    void get(String path, Handler handler, Access access);

    void post(String path, Handler handler, Access access);

    /**
     * A POST route that other sites' pages may call (see {@link CrossOrigin}): unless it takes simple requests only,
     * it also answers the browser's preflight, {@code OPTIONS} on the same path, which is public.
     */
    void post(String path, Handler handler, Access access, CrossOrigin crossOrigin);

    void patch(String path, Handler handler, Access access);

    void delete(String path, Handler handler, Access access);
}
