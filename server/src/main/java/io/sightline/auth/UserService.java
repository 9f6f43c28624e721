package io.sightline.auth;

import io.sightline.error.NotFound;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Managing dashboard users: each new user, and each reset, gets a one-time link to set a password. */
public final class UserService {
    /** A user with the path of a new password link, which the answer shows once. */
    public record WithLink(User user, String passwordLink) {}

    private final UserStore users;
    private final PasswordLinkStore links;

    public UserService(UserStore users, PasswordLinkStore links) {
        this.users = users;
        this.links = links;
    }

    public List<User> list() throws SQLException {
        return users.list();
    }

    public WithLink create(String email, String role, Collection<Long> appIds) throws SQLException {
        User user = users.create(validEmail(email), validRole(role), appIds);
        return new WithLink(user, PasswordLinkStore.path(links.create(user.id())));
    }

    /** {@code role} and {@code appIds} null: unchanged. */
    public User update(long id, String role, Collection<Long> appIds) throws SQLException {
        return users.update(id, role == null ? null : validRole(role), appIds).orElseThrow(UserService::noSuchUser);
    }

    /** A reset: the password and sessions end, a new link is made. */
    public String resetLink(long id) throws SQLException {
        users.byId(id).orElseThrow(UserService::noSuchUser);
        return PasswordLinkStore.path(links.reset(id));
    }

    /** Deletes the user; its sessions and links go with it (the foreign keys cascade). */
    public void delete(long id) throws SQLException {
        if (!users.delete(id)) {
            throw noSuchUser();
        }
    }

    public Optional<User> byId(long id) throws SQLException {
        return users.byId(id);
    }

    static String validEmail(String email) {
        String e = SessionService.normaliseEmail(email);
        int at = e.indexOf('@');
        boolean plain = e.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
        if (e.length() < 3 || e.length() > 254 || at < 1 || at != e.lastIndexOf('@') || at == e.length() - 1
                || !plain) {
            throw AuthError.invalid("email", "email must be an address such as ana@example.com (at most 254"
                    + " characters)");
        }
        return e;
    }

    private static String validRole(String role) {
        if (!User.ADMIN.equals(role) && !User.VIEWER.equals(role)) {
            throw AuthError.invalid("role", "role must be admin or viewer");
        }
        return role;
    }

    private static NotFound noSuchUser() {
        return new NotFound("no user with that id");
    }
}
