package dev.parlance.http;

import dev.parlance.bus.ErrorCode;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/** Request bodies must say they are JSON; anything else is 415 before the body is read. */
final class JsonContentType {

    private JsonContentType() {
    }

    static boolean matches(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon);
        }
        type = type.trim();
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    static void require(RoutingContext ctx) {
        if (matches(ctx.request().getHeader("content-type"))) {
            ctx.next();
        } else {
            ErrorResponses.send(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be JSON, sent with 'Content-Type: application/json'");
        }
    }
}
