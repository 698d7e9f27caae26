package dev.mcpforge.data;

import dev.mcpforge.tools.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleJsonlTest {

    @TempDir
    Path dir;

    private static Sample sample(String id) {
        return new Sample(id, "test", "standard", "echo", List.of(Message.system("s"), Message.user("say hi"),
                Message.assistantCall(null, new ToolCall("echo", (tools.jackson.databind.node.ObjectNode)
                        Json.MAPPER.readTree("{\"message\":\"hi\"}"))),
                Message.tool("echo", "Echo: hi", false), Message.assistant("It said hi.")));
    }

    @Test
    void roundTripsStructuredCalls() throws Exception {
        Path f = dir.resolve("a.jsonl");
        SampleJsonl.write(f, List.of(sample("1"), sample("2")));
        String text = Files.readString(f);
        assertTrue(text.contains("\"tool_calls\":[{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}]"), text);
        assertTrue(text.contains("{\"role\":\"tool\",\"content\":\"Echo: hi\",\"name\":\"echo\"}"), text);
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> back = SampleJsonl.readAll(f, errors);
        assertEquals(List.of(sample("1"), sample("2")).toString(), back.toString());
        assertTrue(errors.isEmpty());
    }

    @Test
    void brokenLinesAreReportedWithLineNumbersAndTheRestIsRead() throws Exception {
        Path f = dir.resolve("b.jsonl");
        String good = Json.MAPPER.writeValueAsString(sample("ok").toJson());
        Files.writeString(f, good + "\n{not json\n\n" + good + "\n[1,2]\n{\"id\":\"x\",\"messages\":[]}\n"
                + "{\"id\":\"y\",\"messages\":[{\"role\":\"robot\"}]}\n" + good + "\n");
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> samples = SampleJsonl.readAll(f, errors);
        assertEquals(3, samples.size());
        assertEquals(4, errors.size());
        assertEquals(2, errors.get(0).line());
        assertEquals("json_parse", errors.get(0).kind());
        assertEquals(5, errors.get(1).line());
        assertEquals("json_parse", errors.get(1).kind());
        assertEquals(6, errors.get(2).line());
        assertEquals("structure", errors.get(2).kind());
        assertTrue(errors.get(3).message().contains("role"), errors.get(3).message());
        assertTrue(errors.get(0).toString().startsWith("line 2: not valid JSON"), errors.get(0).toString());
    }

    @Test
    void binaryGarbageIsAParseErrorNotACrash() throws Exception {
        Path f = dir.resolve("c.bin");
        byte[] junk = new byte[300];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 37 + 11);
        }
        Files.write(f, junk);
        List<SampleJsonl.LineError> errors = new ArrayList<>();
        List<Sample> samples = SampleJsonl.readAll(f, errors);
        assertTrue(samples.isEmpty());
        assertTrue(!errors.isEmpty() && errors.stream().allMatch(e -> e.kind().equals("json_parse")), errors.toString());
    }

    @Test
    void argumentsGivenAsAJsonStringAreParsed() {
        Sample s = Sample.fromJson(Json.MAPPER.readTree("{\"id\":\"1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"echo\",\"arguments\":\"{\\\"message\\\":\\\"hi\\\"}\"}}]}]}"));
        assertEquals("hi", s.toolCalls().get(0).arguments().get("message").asString());
    }
}
