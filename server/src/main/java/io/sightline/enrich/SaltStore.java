package io.sightline.enrich;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The {@code salts} table, which enrichment owns: one random 32-byte salt per UTC day, shared by every instance.
 * Only {@link DailySalts} reads it; the salts never leave this package except as {@link DailyKey}s.
 */
public final class SaltStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;

    public SaltStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The day's salt, made the first time any instance asks; concurrent first calls agree on one. */
    public byte[] getOrCreate(LocalDate day) throws SQLException {
        byte[] candidate = new byte[32];
        RANDOM.nextBytes(candidate);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO salts (day, salt) VALUES (?, ?) ON CONFLICT (day) DO NOTHING")) {
                insert.setDate(1, Date.valueOf(day));
                insert.setBytes(2, candidate);
                insert.executeUpdate();
            }
            return find(c, day).orElseThrow(() -> new SQLException("the salt of " + day + " vanished"));
        }
    }

    public Optional<byte[]> find(LocalDate day) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, day);
        }
    }

    /** Deletes the salts of {@code lastDay} and every day before it; returns how many went. */
    public int deleteUpTo(LocalDate lastDay) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM salts WHERE day <= ?")) {
            ps.setDate(1, Date.valueOf(lastDay));
            return ps.executeUpdate();
        }
    }

    private static Optional<byte[]> find(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT salt FROM salts WHERE day = ?")) {
            ps.setDate(1, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }
}
