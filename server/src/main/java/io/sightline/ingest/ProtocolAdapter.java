package io.sightline.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The first stage of ingestion: turns one request of a wire protocol into the events it carries, in the native
 * event shape the pipeline validates, plus the facts about its sender. Each protocol (native, and later Segment
 * or Umami) and each of its endpoint shapes is one adapter; everything after it is shared.
 */
public interface ProtocolAdapter {

    /**
     * @param body   the request body, already parsed as JSON by the transport
     * @param origin what the transport saw of the sender; an adapter may refine it from the body
     * @throws IngestRejection when the envelope is malformed (the events themselves are checked later)
     */
    Incoming read(JsonNode body, Origin origin);
}
