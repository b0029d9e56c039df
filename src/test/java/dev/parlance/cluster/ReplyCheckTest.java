package dev.parlance.cluster;

import dev.parlance.bus.Codecs;
import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.Schemas;
import dev.parlance.config.LimitsConfig;
import dev.parlance.api.Task;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway passes an answer on only if it carries the job's token (so it comes from the node
 * the job went to, not from another sender that reached the reply address) and has the task's
 * response shape.
 */
class ReplyCheckTest {

    private static final Schemas SCHEMAS = Schemas.load(
            new LimitsConfig(1 << 20, 1000, 3, 200, 64, 30_000, 16, 8192, 4096, 10_000, 60_000, 4096, 32 << 20, 2));
    private static final JsonObject CLASSIFIED = new JsonObject().put("labels", new JsonArray().add("food"))
            .put("scores", new JsonArray().add(0.9));

    private static Vertx vertx;

    @BeforeAll
    static void bus() {
        vertx = Vertx.vertx();
        Codecs.register(vertx);
        // The node: echoes the token, as Job does.
        vertx.eventBus().consumer("node", m -> m.reply(new InferenceReply(CLASSIFIED, 1, 3), ReplyCheck.echo(m)));
        // Someone who answers without having seen the token.
        vertx.eventBus().consumer("forger", m -> m.reply(new InferenceReply(CLASSIFIED, 1, 3)));
        vertx.eventBus().consumer("guesser", m -> m.reply(new InferenceReply(CLASSIFIED, 1, 3),
                new DeliveryOptions().addHeader(ReplyCheck.TOKEN_HEADER, "guessed")));
        vertx.eventBus().consumer("wrong-shape", m -> m.reply(new InferenceReply(
                new JsonObject().put("labels", "FORGED"), 1, 3), ReplyCheck.echo(m)));
    }

    @AfterAll
    static void close() {
        vertx.close().await();
    }

    private static Optional<String> ask(ReplyCheck check, String address) {
        String token = check.newToken();
        Message<Object> reply = vertx.eventBus().request(address, "job", check.mark(new DeliveryOptions(), token)).await();
        return check.problem(reply, token, Task.CLASSIFICATION);
    }

    @Test
    void withCredentialsTheTokenMustComeBack() {
        ReplyCheck check = new ReplyCheck(SCHEMAS, true);
        assertNotEquals(check.newToken(), check.newToken());
        assertEquals(Optional.empty(), ask(check, "node"));
        assertTrue(ask(check, "forger").orElseThrow().contains("token"));
        assertTrue(ask(check, "guesser").orElseThrow().contains("token"));
        assertTrue(ask(check, "wrong-shape").orElseThrow().contains("response shape"));
    }

    @Test
    void anInsecureClusterStillChecksTheShape() {
        ReplyCheck check = new ReplyCheck(SCHEMAS, false);
        assertNull(check.newToken());
        assertEquals(Optional.empty(), ask(check, "forger"), "nodes of the version before tokens still answer");
        assertTrue(ask(check, "wrong-shape").orElseThrow().contains("response shape"));
    }
}
