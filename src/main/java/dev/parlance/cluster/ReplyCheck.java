package dev.parlance.cluster;

import dev.parlance.bus.InferenceReply;
import dev.parlance.bus.Schemas;
import dev.parlance.api.Task;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a gateway checks of a node's answer before an HTTP client sees it.
 *
 * <p><b>It comes from the node the job was sent to.</b> In a cluster with credentials each job
 * carries a random token in a header, sent only to the chosen node over TLS, and the node's
 * reply must carry it back: a reply without it was not written by a node that received the job.
 * Vert.x 5's clustered bus already makes its reply addresses random UUIDs, known only to the
 * recipient; the token makes the check Parlance's own, tested here, rather than a detail of
 * Vert.x (whose local bus numbers reply addresses in sequence). (An insecure cluster skips it:
 * anyone can join that one and receive jobs anyway, and nodes of the version before this check
 * do not echo the token.)
 *
 * <p><b>It has the task's response shape</b> ({@code schemas/<task>.response.json}): whatever a
 * node sends, the client gets a body of the documented shape or a 500, never something else.
 */
public final class ReplyCheck {

    /** The header of a job's token, echoed in the reply. */
    public static final String TOKEN_HEADER = "parlance-job-token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean tokens;
    private final Map<Task, ResponseShape> shapes = new EnumMap<>(Task.class);

    /** @param tokens whether replies must carry the job's token (a cluster with credentials) */
    public ReplyCheck(Schemas schemas, boolean tokens) {
        this.tokens = tokens;
        for (Task task : Task.values()) {
            shapes.put(task, new ResponseShape(schemas.response(task)));
        }
    }

    /** A new token for one job, or null when tokens are not used. */
    public String newToken() {
        if (!tokens) {
            return null;
        }
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public DeliveryOptions mark(DeliveryOptions options, String token) {
        return token == null ? options : options.addHeader(TOKEN_HEADER, token);
    }

    /** The options of a reply to {@code request}: its token, if it had one, goes back. */
    public static DeliveryOptions echo(Message<?> request) {
        DeliveryOptions options = new DeliveryOptions();
        String token = request.headers().get(TOKEN_HEADER);
        return token == null ? options : options.addHeader(TOKEN_HEADER, token);
    }

    /** What is wrong with a reply to a job of {@code task} sent with {@code token}; empty if nothing. */
    public Optional<String> problem(Message<?> reply, String token, Task task) {
        if (token != null) {
            String echoed = reply.headers().get(TOKEN_HEADER);
            if (echoed == null || !MessageDigest.isEqual(echoed.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                return Optional.of("the reply does not carry the job's token: it is not from the node the job was sent to");
            }
        }
        if (!(reply.body() instanceof InferenceReply answer) || answer.body() == null) {
            return Optional.of("the reply is not an inference answer");
        }
        ResponseShape shape = shapes.get(task);
        if (shape == null) {
            return Optional.of("no response schema for task " + task.path());
        }
        return shape.accepts(answer.body()) ? Optional.empty()
                : Optional.of("the reply does not have the " + task.path() + " response shape");
    }
}
