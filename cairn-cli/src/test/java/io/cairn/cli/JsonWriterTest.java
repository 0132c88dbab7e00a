package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final JsonWriter json = new JsonWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private JsonNode parsed() throws Exception {
        return new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nestedContainersAreSeparatedAndParse() throws Exception {
        json.beginObject().field("file", "a b").field("length", 3).field("ratio", 1.5).field("ok", true)
                .name("matches").beginArray();
        for (int i = 0; i < 3; i++) {
            json.beginObject().field("distance", i).field("term", "t" + i).endObject();
        }
        json.endArray().name("empty").beginArray().endArray().name("none").value((String) null).endObject().end();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals('\n', text.charAt(text.length() - 1));
        JsonNode node = parsed();
        assertEquals("a b", node.get("file").asText());
        assertEquals(3, node.get("length").asLong());
        assertEquals(1.5, node.get("ratio").asDouble());
        assertEquals("t2", node.get("matches").get(2).get("term").asText());
        assertEquals(0, node.get("empty").size());
        assertEquals(true, node.get("none").isNull());
    }

    @Test
    void stringsAreEscapedSoAnyTextRoundTrips() throws Exception {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\0 bell\u0007 café 日本 \uD83D\uDE00 lone\uD800 end";
        json.beginObject().field("s", nasty).endObject().end();
        assertEquals(nasty.replace('\uD800', '\uFFFD'), parsed().get("s").asText().replace('\uD800', '\uFFFD'));
    }

    @Test
    void numbersJsonCannotHoldBecomeNull() throws Exception {
        json.beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY).value(Long.MIN_VALUE).endArray().end();
        JsonNode node = parsed();
        assertEquals(true, node.get(0).isNull());
        assertEquals(true, node.get(1).isNull());
        assertEquals(Long.MIN_VALUE, node.get(2).asLong());
    }

    @Test
    void anUnfinishedDocumentIsABug() {
        json.beginObject().name("open");
        assertThrows(IllegalStateException.class, json::end);
    }
}
