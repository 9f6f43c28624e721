package io.sightline.http;

/**
 * Who did something, for the records that keep it (privacy requests, created tokens): an admin token
 * ({@code admin_tokens.id}) or a signed-in user ({@code users.id}).
 */
public record Actor(String kind, long id) {
    public static final String ADMIN_TOKEN = "admin_token";
    public static final String USER = "user";

    public static Actor adminToken(long id) {
        return new Actor(ADMIN_TOKEN, id);
    }

    public static Actor user(long id) {
        return new Actor(USER, id);
    }
}
