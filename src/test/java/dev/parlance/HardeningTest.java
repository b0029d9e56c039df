package dev.parlance;

import dev.parlance.config.ParlanceConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attacker tried and must not get: unbounded metric labels, keep-alive connections
 * that escape the header deadline, more connections or body bytes in flight than the server
 * allows, the webjar's stock pages, an open /metrics on a public address.
 */
class HardeningTest {

    static final int MAX_CONNECTIONS = 12;
    static final int BODY_BUDGET = 3000;
    static TestServer server;

    @BeforeAll
    static void start() {
        JsonObject config = TestServer.config(TestServer.embedded("minilm"));
        config.put("limits", new JsonObject().put("readTimeoutMs", 1500));
        server = TestServer.start(config);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject classification() {
        return new JsonObject().put("text", "I love pizza").put("labels", new JsonArray().add("food").add("sport"));
    }

    @Test
    void anyMethodNameEndsAsOneBoundedMetricLabel() {
        Random random = new Random(11);
        for (int i = 0; i < 60; i++) {
            StringBuilder method = new StringBuilder();
            for (int c = 0; c < 8; c++) {
                method.append((char) ('A' + random.nextInt(26)));
            }
            int status = server.client.request(HttpMethod.valueOf(method.toString()), "/api/v1/classification")
                    .send().await().statusCode();
            assertTrue(status == 401 || status == 405 || status == 404, method + " got " + status);
        }
        String metrics = server.client.get("/metrics").send().await().bodyAsString();
        Set<String> methods = new TreeSet<>();
        Matcher m = Pattern.compile("method=\"([^\"]*)\"").matcher(metrics);
        while (m.find()) {
            methods.add(m.group(1));
        }
        assertTrue(Set.of("GET", "POST", "OTHER").containsAll(methods), "method labels: " + methods);
        assertTrue(methods.contains("OTHER"), "unknown methods are counted, under one label: " + methods);
    }

    /**
     * A scrape runs on a worker thread, and at most maxConcurrentScrapes run at once, counted
     * until each response has been written. A gauge that blocks until the test lets it go holds
     * a scrape in flight for as long as needed, whatever the machine's speed.
     */
    @Test
    void scrapesRunOffTheEventLoopAndBeyondTheCapGet503() throws Exception {
        JsonObject config = TestServer.config(TestServer.embedded("minilm"));
        config.put("limits", new JsonObject().put("maxConcurrentScrapes", 1));
        try (TestServer scraped = TestServer.start(config)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger entered = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<String> thread = new java.util.concurrent.atomic.AtomicReference<>();
            io.micrometer.core.instrument.Gauge.builder("test.blocking", () -> {
                thread.set(Thread.currentThread().getName());
                entered.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 1;
            }).register(scraped.registry);
            var first = scraped.client.get("/metrics").send();
            TestServer.await("the first scrape is in flight", () -> entered.get() == 1);
            HttpResponse<Buffer> second = scraped.client.get("/metrics").send().await();
            assertEquals(503, second.statusCode(), second.bodyAsString());
            assertEquals("1", second.getHeader("Retry-After"));
            // The event loops are free meanwhile: the API answers.
            assertEquals(200, scraped.postJson("/api/v1/classification", classification()).statusCode());
            release.countDown();
            assertEquals(200, first.await().statusCode());
            assertTrue(!thread.get().contains("eventloop"), "scraped on " + thread.get());
            // The permit returns once the first response is written, which the client may see first.
            TestServer.await("the permit came back", () -> scraped.client.get("/metrics").send().await().statusCode() == 200);
        }
    }

    @Test
    void theHeaderDeadlineAppliesToEveryRequestOfAKeepAliveConnection() throws Exception {
        trickleTheSecondRequest("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200");
    }

    /** The router answers a request without Host itself, before any route: the deadline re-arms all the same. */
    @Test
    void theHeaderDeadlineReArmsAfterARequestTheRouterRefusedItself() throws Exception {
        trickleTheSecondRequest("GET /health/live HTTP/1.1\r\n\r\n", "HTTP/1.1 400");
    }

    private static void trickleTheSecondRequest(String firstRequest, String firstStatus) throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(firstRequest.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String first = readResponse(socket.getInputStream());
            assertTrue(first.startsWith(firstStatus), first);
            // The second request's headers trickle in, one byte every 100 ms: never idle, never done.
            // The 1.5 s header deadline must cut it; 40 s of trickling means it never did.
            byte[] trickle = "POST /api/v1/classification HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.UTF_8);
            boolean cut = false;
            for (int i = 0; i < 400 && !cut; i++) {
                try {
                    out.write(i < trickle.length ? trickle[i] : 'a');
                    out.flush();
                    cut = socket.getInputStream().available() == 0 && closedByPeer(socket);
                } catch (IOException closed) {
                    cut = true;
                }
            }
            assertTrue(cut, "the connection was cut at the header deadline of its second request");
        }
        HttpResponse<Buffer> ok = server.postJson("/api/v1/classification", classification());
        assertEquals(200, ok.statusCode());
    }

    /** Waits 100 ms for the peer to close; true once it has. */
    private static boolean closedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout(100);
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout(40_000);
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndTheOthersAreServed() throws Exception {
        // A server of its own: no other test's pooled connections count against its cap.
        JsonObject config = TestServer.config(TestServer.embedded("minilm"));
        config.put("limits", new JsonObject().put("maxConnections", MAX_CONNECTIONS));
        try (TestServer capped = TestServer.start(config)) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < MAX_CONNECTIONS + 3; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", capped.port));
                    socket.setSoTimeout(40_000);
                    sockets.add(socket);
                }
                int served = 0;
                int refused = 0;
                for (Socket socket : sockets) {
                    try {
                        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                        String answer = readResponse(socket.getInputStream());
                        if (answer.startsWith("HTTP/1.1 200")) {
                            served++;
                        } else {
                            assertEquals("", answer, "a refused connection gets nothing");
                            refused++;
                        }
                    } catch (IOException closed) {
                        refused++;
                    }
                }
                assertEquals(MAX_CONNECTIONS, served);
                assertEquals(3, refused);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void bodiesBeyondTheInFlightBudgetGet503BeforeTheyAreRead() throws Exception {
        // A server of its own, whose body deadline no busy machine reaches while the test holds bodies open.
        JsonObject config = TestServer.config(TestServer.embedded("minilm"));
        config.put("limits", new JsonObject().put("maxInFlightBytes", BODY_BUDGET).put("readTimeoutMs", 600_000));
        try (TestServer budgeted = TestServer.start(config)) {
            bodiesBeyondTheBudgetGet503(budgeted);
        }
    }

    private static void bodiesBeyondTheBudgetGet503(TestServer server) throws Exception {
        String body = classification().put("text", "pizza ".repeat(170)).encode();
        assertTrue(body.length() > BODY_BUDGET / 3 && body.length() < BODY_BUDGET / 2, "each body takes a third of the budget or more");
        String head = "POST /api/v1/classification HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TestServer.TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Socket> holding = new ArrayList<>();
        try {
            // Two bodies sent but for their last byte: their bytes are reserved while they arrive.
            for (int i = 0; i < 2; i++) {
                Socket socket = connect(server);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().write(bytes, 0, bytes.length - 1);
                socket.getOutputStream().flush();
                holding.add(socket);
                // Connections land on different event loops: wait until this one's body is reserved.
                double reserved = (double) bytes.length * holding.size();
                TestServer.await("body " + holding.size() + " is reserved", () ->
                        server.registry.find("parlance.http.body.bytes.in.flight").gauge().value() == reserved);
            }
            // A third would pass the budget: refused at once, before its body is read.
            try (Socket third = connect(server)) {
                third.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
                String refused = readResponse(third.getInputStream());
                assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
                assertTrue(refused.contains("Retry-After: 1") || refused.contains("retry-after: 1"), refused);
                assertTrue(refused.contains("\"error\":\"overloaded\""), refused);
            }
            // The two complete their bodies and are answered.
            for (Socket socket : holding) {
                socket.getOutputStream().write(bytes, bytes.length - 1, 1);
                socket.getOutputStream().flush();
                String answer = readResponse(socket.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
        } finally {
            for (Socket socket : holding) {
                socket.close();
            }
        }
        // Their bytes were given back: a new body fits again.
        assertEquals(200, server.postJson("/api/v1/classification", classification()).statusCode());
    }

    @Test
    void onlyTheDocsPageAndItsOwnAssetsAreServed() {
        assertEquals(200, server.client.get("/api/v1/docs/").send().await().statusCode());
        assertEquals(200, server.client.get("/api/v1/docs/swagger-ui.css").send().await().statusCode());
        for (String stock : List.of("index.html", "swagger-initializer.js", "oauth2-redirect.html", "swagger-ui.js")) {
            HttpResponse<Buffer> response = server.client.get("/api/v1/docs/" + stock)
                    .putHeader("Authorization", "Token " + TestServer.TOKEN).send().await();
            assertEquals(404, response.statusCode(), stock);
            assertTrue(!response.bodyAsString().contains("petstore"), stock);
        }
    }

    @Test
    void metricsNeedATokenByDefaultOnceTheServerListensBeyondLoopback() {
        JsonObject json = TestServer.config(TestServer.embedded("m"));
        assertEquals(false, ParlanceConfig.parse(json.copy(), 2, null).auth().protectMetrics(), "loopback: open");
        json.getJsonObject("http").put("host", "0.0.0.0");
        assertEquals(true, ParlanceConfig.parse(json.copy(), 2, null).auth().protectMetrics(), "public: protected");
        json.getJsonObject("auth").put("protectMetrics", false);
        assertEquals(false, ParlanceConfig.parse(json, 2, null).auth().protectMetrics(), "unless said otherwise");
    }

    private static Socket connect() throws IOException {
        return connect(server);
    }

    private static Socket connect(TestServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port));
        socket.setSoTimeout(40_000);
        return socket;
    }

    /** One response (headers and a Content-Length body), or what came before the peer closed. */
    static String readResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int contentLength = -1;
        int headerEnd = -1;
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException reset) {
                return text.toString();
            }
            if (b == -1) {
                return text.toString();
            }
            text.append((char) b);
            if (headerEnd < 0 && text.length() >= 4 && text.substring(text.length() - 4).equals("\r\n\r\n")) {
                headerEnd = text.length();
                Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                contentLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (headerEnd >= 0 && text.length() - headerEnd >= contentLength) {
                return text.toString();
            }
        }
    }
}
