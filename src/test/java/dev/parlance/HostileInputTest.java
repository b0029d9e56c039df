package dev.parlance;

import dev.parlance.bus.Schemas;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checked-in corpus of bad requests (src/test/resources/hostile, made by
 * scripts/make_hostile_corpus.py) plus what needs a raw socket: chunked bodies, slow bodies,
 * slow headers, oversized headers and request lines. Every answer must be an expected status
 * with a well-formed JSON error body, never a 500, and the server must keep serving.
 */
class HostileInputTest {

    static TestServer server;
    static Schemas schemas;
    static final Path CORPUS = Path.of("src", "test", "resources", "hostile");

    @BeforeAll
    static void start() {
        JsonObject config = TestServer.config(TestServer.embedded("minilm"),
                new JsonObject().put("name", "ner").put("kind", "token-classification").put("workers", 1)
                        .put("source", TestServer.fixture("ner-tiny").toString()),
                new JsonObject().put("name", "sentiment").put("kind", "text-classification").put("workers", 1)
                        .put("source", TestServer.fixture("hf/distilbert-sst2").toString()),
                new JsonObject().put("name", "reranker").put("kind", "rerank").put("workers", 1)
                        .put("source", TestServer.fixture("hf/bert-rerank").toString()));
        config.put("limits", new JsonObject().put("readTimeoutMs", 1500));
        server = TestServer.start(config);
        schemas = Schemas.load(server.config.limits());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void assertServing() {
        HttpResponse<Buffer> normal = server.postJson("/api/v1/classification",
                new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food")));
        assertEquals(200, normal.statusCode(), "the server still serves normal requests");
    }

    static void assertCleanError(String what, HttpResponse<Buffer> response) {
        String text = response.bodyAsString();
        assertFalse(text.contains("Exception") || text.contains("dev.parlance") || text.contains("\tat ")
                || text.contains("/work/") || text.contains(".java"), what + ": internals leaked: " + text);
        if (response.statusCode() >= 400) {
            assertEquals("application/json", response.getHeader("content-type"), what);
            ResponseSchemas.assertError(schemas, response.bodyAsJsonObject());
        }
    }

    @Test
    void everyCaseOfTheCorpusGetsAnExpectedStatusAndACleanBody() throws Exception {
        JsonArray cases = new JsonArray(Files.readString(CORPUS.resolve("cases.json")));
        Map<Integer, Integer> seen = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (Object item : cases) {
            JsonObject c = (JsonObject) item;
            String what = c.getString("name");
            HttpRequest<Buffer> request = server.post("/api/v1/" + c.getString("path"));
            if (c.getString("content_type") != null) {
                request.putHeader("Content-Type", c.getString("content_type"));
            }
            HttpResponse<Buffer> response = request.sendBuffer(Buffer.buffer(Files.readAllBytes(CORPUS.resolve(c.getString("file")))))
                    .await();
            sent++;
            seen.merge(response.statusCode(), 1, Integer::sum);
            if (!c.getJsonArray("expect").contains(response.statusCode())) {
                wrong.add(what + " -> " + response.statusCode() + " " + response.bodyAsString().substring(0,
                        Math.min(200, response.bodyAsString().length())));
            }
            assertCleanError(what, response);
            if (sent % 20 == 0) {
                assertServing();
            }
        }
        assertEquals(List.of(), wrong, "cases answered with an unexpected status");
        assertFalse(seen.containsKey(500), "no 500 at all: " + seen);
        assertTrue(cases.size() >= 100, "the corpus holds " + cases.size() + " cases");
        assertServing();
        System.out.println("hostile corpus: " + cases.size() + " cases, statuses " + seen);
    }

    @Test
    void aChunkedBodyIsReadLikeAnyOther() throws Exception {
        String body = new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food")).encode();
        String chunked = Integer.toHexString(10) + "\r\n" + body.substring(0, 10) + "\r\n"
                + Integer.toHexString(body.length() - 10) + "\r\n" + body.substring(10) + "\r\n0\r\n\r\n";
        String response = exchange("POST /api/v1/classification HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token "
                + TestServer.TOKEN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("\"labels\":[\"food\"]"), response);
    }

    @Test
    void aBodyTooSlowToArriveGets408AndTheConnectionCloses() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port));
            socket.setSoTimeout(50_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/classification HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TestServer.TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\"").getBytes(StandardCharsets.UTF_8));
            out.flush();
            long start = System.nanoTime();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("request_timeout"), response);
            // The read timeout is 1.5 s, the idle timeout 60 s: being cut well before the idle
            // timeout shows it was the body deadline, however busy the machine.
            assertTrue(waitedMs < 30_000, "cut off at the read timeout, not at the idle timeout: " + waitedMs + " ms");
        }
        assertServing();
    }

    @Test
    void slowlorisConnectionsAreClosedAndCannotStarveOthers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", server.port));
                socket.setSoTimeout(50_000);
                socket.getOutputStream().write("POST /api/v1/classification HTTP/1.1\r\nHost: x\r\nX-Slow: a".getBytes());
                slow.add(socket);
            }
            assertServing(); // while 200 slow clients hold connections
            // Keep trickling, as a slowloris does; the header deadline closes them anyway.
            for (int round = 0; round < 4; round++) {
                Thread.sleep(500);
                for (Socket socket : slow) {
                    try {
                        socket.getOutputStream().write('b');
                    } catch (java.io.IOException closed) {
                        // already cut off
                    }
                }
            }
            int closed = 0;
            for (Socket socket : slow) {
                InputStream in = socket.getInputStream();
                try {
                    while (in.read() != -1) {
                        // drain whatever the server wrote before closing
                    }
                    closed++;
                } catch (java.net.SocketException reset) {
                    closed++;
                }
            }
            assertEquals(slow.size(), closed, "every slow connection was closed by the server");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertServing();
    }

    @Test
    void oversizedHeadersAndRequestLinesGet431And414AsJson() throws Exception {
        String headers = exchange("POST /api/v1/classification HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertTrue(headers.startsWith("HTTP/1.1 431"), headers);
        assertTrue(headers.contains("\"error\":\"headers_too_large\""), headers);
        String line = exchange("GET /api/v1/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(line.matches("(?s)HTTP/1.[01] 414.*"), line);
        assertTrue(line.contains("\"error\":\"uri_too_long\""), line);
        String garbage = exchange("THIS IS NOT HTTP\r\n\r\n");
        assertTrue(garbage.matches("(?s)HTTP/1.[01] 400.*"), garbage);
        assertServing();
    }

    /** Sends raw bytes, returns everything the server answers before closing (or a 5 s pause). */
    private static String exchange(String raw) throws Exception {
        NetSocket socket = server.vertx.createNetClient().connect(server.port, "127.0.0.1").await();
        StringBuilder answer = new StringBuilder();
        var done = io.vertx.core.Promise.<Void>promise();
        socket.handler(b -> {
            answer.append(b.toString(StandardCharsets.UTF_8));
            if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().contains("}")) {
                done.tryComplete();
            }
        });
        socket.closeHandler(v -> done.tryComplete());
        socket.write(Buffer.buffer(raw.getBytes(StandardCharsets.UTF_8))).await();
        server.vertx.setTimer(5000, id -> done.tryComplete());
        done.future().await();
        socket.close();
        return answer.toString();
    }
}
