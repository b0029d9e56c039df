package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * {@code Authorization: Token <key>} (NLP Cloud's scheme) or {@code Bearer <key>}. Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every configured
 * token without stopping early, so timing reveals neither a token nor how much of it matched.
 * A refusal says the same thing whether the header was missing, malformed or wrong.
 * A {@link PlatformHandler}, so that it runs before the body is read: an unauthenticated
 * caller never gets as far as uploading a megabyte.
 */
final class TokenAuth implements PlatformHandler {

    private final List<byte[]> digests;

    TokenAuth(List<String> tokens) {
        this.digests = tokens.stream().map(TokenAuth::sha256).toList();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (accepts(ctx.request().getHeader("Authorization"))) {
            ctx.next();
            return;
        }
        refuse(ctx);
    }

    /** The one refusal, whatever was wrong with the header (missing, malformed or a wrong key). */
    static final String REFUSAL = "a valid API token is required: send the header 'Authorization: Bearer <key>'"
            + " or 'Authorization: Token <key>'";

    static void refuse(RoutingContext ctx) {
        ctx.response().headers()
                .add("WWW-Authenticate", "Token realm=\"parlance\"")
                .add("WWW-Authenticate", "Bearer realm=\"parlance\"");
        ErrorResponses.send(ctx, ErrorCode.UNAUTHORIZED, REFUSAL);
    }

    boolean accepts(String header) {
        if (header == null) {
            return false;
        }
        int space = header.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        if (!scheme.equals("token") && !scheme.equals("bearer")) {
            return false;
        }
        byte[] offered = sha256(header.substring(space + 1).trim());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, offered);
        }
        return match;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
