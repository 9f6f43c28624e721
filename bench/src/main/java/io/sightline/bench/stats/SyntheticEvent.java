package io.sightline.bench.stats;

/**
 * One generated row of {@code analytics_events}, holding exactly what {@link StatsCopyEncoder} writes. Times are epoch
 * milliseconds; {@code properties} is compact JSON as the server stores the client's object; {@code derived} is the
 * text[] literal of the columns the server would have filled in.
 */
record SyntheticEvent(long appId, long idHigh, long idLow, String type, String name, long occurredAtMs,
                      long receivedAtMs, String sessionId, String visitorId, String ipHash, Visitor visitor,
                      String appVersion, String appBuild, String properties, String derived) {
}
