package io.sightline.http;

/**
 * One feature's part of the route table: typically a handler's {@code routes} method. The composition root lists
 * them in the order the table should read; {@link HttpServer} knows none of them by name.
 */
@FunctionalInterface
public interface Routes {
    void addTo(RouteTable table);
}
