package dev.kasane.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny, strict JSON (RFC 8259) reader and string escaper, just enough for safetensors headers.
 *
 * <p>The reader maps objects to {@link LinkedHashMap} (key order kept, duplicate keys rejected), arrays to
 * {@link List}, strings to {@link String}, integer literals that fit a {@code long} to {@link Long}, other numbers to
 * {@link Double}, {@code true}/{@code false} to {@link Boolean} and {@code null} to {@link #NULL}. It rejects
 * anything outside the grammar: trailing commas, comments, leading zeros, raw control characters in strings, lone
 * surrogates, nesting deeper than {@link #MAX_DEPTH}, and anything but whitespace after the value. It never
 * recurses deeper than {@link #MAX_DEPTH}, so a hostile input cannot overflow the stack.
 */
final class Json {
    /** Deepest nesting of arrays and objects accepted. */
    static final int MAX_DEPTH = 64;

    /** The value of a JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The short escapes: a backslash and the letter at index i of ESCAPE_LETTERS stand for the character at i of ESCAPED. */
    private static final String ESCAPE_LETTERS = "\"\\/bfnrt";
    private static final String ESCAPED = "\"\\/\b\f\n\r\t";

    /** A syntax error, with the character offset where it was found. */
    static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        JsonException(String message, int position) {
            super(message + " at character " + position);
        }
    }

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** Parses a complete JSON text. */
    static Object parse(String text) throws JsonException {
        Json p = new Json(text);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos != text.length()) {
            throw p.error("unexpected content after the JSON value");
        }
        return v;
    }

    private JsonException error(String message) {
        return new JsonException(message, pos);
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                break;
            }
        }
    }

    private Object value(int depth) throws JsonException {
        if (pos >= s.length()) {
            throw error("unexpected end of JSON");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private void literal(String word) throws JsonException {
        if (!s.startsWith(word, pos)) {
            throw error("invalid literal (expected " + word + ")");
        }
        pos += word.length();
    }

    private Map<String, Object> object(int depth) throws JsonException {
        Map<String, Object> map = new LinkedHashMap<>();
        if (open(depth, '}')) {
            return map;
        }
        do {
            skipWs();
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            int keyPos = pos;
            String key = string();
            skipWs();
            expect(':');
            skipWs();
            Object v = value(depth);
            if (map.putIfAbsent(key, v) != null) {
                throw new JsonException("duplicate key \"" + key + "\"", keyPos);
            }
        } while (!closedAfterItem('}', "an object"));
        return map;
    }

    private List<Object> array(int depth) throws JsonException {
        List<Object> list = new ArrayList<>();
        if (open(depth, ']')) {
            return list;
        }
        do {
            skipWs();
            list.add(value(depth));
        } while (!closedAfterItem(']', "an array"));
        return list;
    }

    /** Steps over the '{' or '[' at {@code pos}; true if the container is empty (its {@code close} consumed too). */
    private boolean open(int depth, char close) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("JSON nested deeper than " + MAX_DEPTH);
        }
        pos++;
        skipWs();
        if (pos < s.length() && s.charAt(pos) == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After a member or element: true if {@code close} ends the container, false if a ',' announces another item. */
    private boolean closedAfterItem(char close, String container) throws JsonException {
        skipWs();
        if (pos >= s.length()) {
            throw error("unexpected end of JSON inside " + container);
        }
        char c = s.charAt(pos++);
        if (c == close) {
            return true;
        }
        if (c != ',') {
            pos--;
            throw error("expected ',' or '" + close + "'");
        }
        return false;
    }

    private void expect(char c) throws JsonException {
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private String string() throws JsonException {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("raw control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(pos++);
            int shortForm = ESCAPE_LETTERS.indexOf(e);
            if (shortForm >= 0) {
                sb.append(ESCAPED.charAt(shortForm));
            } else if (e == 'u') {
                unicodeEscape(sb);
            } else {
                pos--;
                throw error("invalid escape '\\" + printable(e) + "'");
            }
        }
    }

    /** The rest of a {@code \\u} escape (a surrogate pair takes two), appended to {@code sb}. */
    private void unicodeEscape(StringBuilder sb) throws JsonException {
        char u = hex4();
        if (Character.isHighSurrogate(u)) {
            if (!s.startsWith("\\u", pos)) {
                throw error("lone leading surrogate in a \\u escape");
            }
            pos += 2;
            char lo = hex4();
            if (!Character.isLowSurrogate(lo)) {
                throw error("invalid trailing surrogate in a \\u escape");
            }
            sb.append(u).append(lo);
        } else if (Character.isLowSurrogate(u)) {
            throw error("lone trailing surrogate in a \\u escape");
        } else {
            sb.append(u);
        }
    }

    private char hex4() throws JsonException {
        if (pos + 4 > s.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0 || s.charAt(pos + i) > 'f') {
                throw error("invalid hex digit in a \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() throws JsonException {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (pos >= s.length()) {
            throw error("truncated number");
        }
        char c = s.charAt(pos);
        if (c == '0') {
            pos++;
            if (pos < s.length() && isDigit(s.charAt(pos))) {
                throw error("leading zero in a number");
            }
        } else if (c >= '1' && c <= '9') {
            digits("invalid number");
        } else {
            throw error("invalid number");
        }
        boolean integer = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integer = false;
            pos++;
            digits("missing digits after the decimal point");
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integer = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            digits("missing exponent digits");
        }
        String text = s.substring(start, pos);
        if (integer && text.length() <= 19) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // too large for a long: fall through to a double
            }
        }
        return Double.parseDouble(text);
    }

    /** Skips one or more digits; throws {@code missing} if there is none. */
    private void digits(String missing) throws JsonException {
        int first = pos;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos == first) {
            throw error(missing);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Appends {@code value} as a JSON string the way serde_json (the reference safetensors writer) and Python's
     * {@code json.dumps(..., ensure_ascii=False)} write it: {@code "} and {@code \} escaped, {@code \b \f \n \r \t}
     * short forms, other control characters as lower-case {@code \}{@code u00xx}, everything else verbatim.
     */
    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int shortForm = c == '/' ? -1 : ESCAPED.indexOf(c); // '/' may be escaped, but serde_json does not
            if (shortForm >= 0) {
                out.append('\\').append(ESCAPE_LETTERS.charAt(shortForm));
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
