package io.sightline.event;

/**
 * Why an event was refused: a stable {@code code} clients can branch on, the dotted path of the offending
 * {@code field} from the event root (null when the event itself is wrong), and one sentence for the developer.
 */
public record Violation(String code, String field, String message) {}
