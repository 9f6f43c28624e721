package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * One request as a {@link ProtocolAdapter} hands it on: its events, each with its index in the request (the
 * position a rejection or a drop is reported at), and where it came from.
 *
 * @param single the request carries exactly one event by its protocol's design ({@code /track}): an invalid event
 *               refuses the whole request with its violation instead of being listed by index
 */
public record Incoming(List<Item> items, Origin origin, boolean single) {

    /** One event of the request, not yet validated. */
    public record Item(int index, JsonNode event) {}

    public Incoming {
        items = List.copyOf(items);
        if (single && items.size() != 1) {
            throw new IllegalArgumentException("a single-event request holds one event, not " + items.size());
        }
    }
}
