package io.sightline.stats;

import java.util.List;

/**
 * One line of RFC 4180 CSV: fields separated by commas, ended by CRLF; a field holding a comma, a quote, CR or LF
 * is quoted and its quotes doubled. A null field is written empty, as an empty string is.
 */
final class CsvLine {
    private CsvLine() {
    }

    static void append(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendField(out, fields.get(i));
        }
        out.append("\r\n");
    }

    private static void appendField(StringBuilder out, String field) {
        if (field == null) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < field.length() && !quote; i++) {
            char c = field.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.append(field);
            return;
        }
        out.append('"');
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }
}
