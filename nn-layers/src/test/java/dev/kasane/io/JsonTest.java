package dev.kasane.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonTest {
    private static String quoted(String value) {
        StringBuilder sb = new StringBuilder();
        Json.quote(sb, value);
        return sb.toString();
    }

    @Test
    void writesTheShortEscapesAsSerdeJsonDoesAndReadsEveryEscapeBack() throws Json.JsonException {
        assertEquals("\"a/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\u00e9\"", quoted("a/\"\\\b\f\n\r\t\u0001\u00e9"));
        assertEquals("/\"\\\b\f\n\r\t", Json.parse("\"\\/\\\"\\\\\\b\\f\\n\\r\\t\""));
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("\ud83d\ude00");
        assertEquals(all.toString(), Json.parse(quoted(all.toString())));
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("\"\\x\""));
        assertTrue(e.getMessage().startsWith("invalid escape '\\x'"), e.getMessage());
    }

    @Test
    void numbersNeedDigitsAfterThePointAndInTheExponent() throws Json.JsonException {
        assertEquals(-12.5e3, Json.parse("-12.5e+3"));
        assertEquals(120L, Json.parse("120"));
        assertTrue(assertThrows(Json.JsonException.class, () -> Json.parse("1.")).getMessage()
                .startsWith("missing digits after the decimal point"));
        assertTrue(assertThrows(Json.JsonException.class, () -> Json.parse("1e+")).getMessage()
                .startsWith("missing exponent digits"));
    }
}
