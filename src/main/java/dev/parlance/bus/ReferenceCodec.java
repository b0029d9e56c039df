package dev.parlance.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * Passes a message object by reference inside one JVM (no copy, no serialisation) and as
 * length-prefixed JSON across a cluster.
 */
abstract class ReferenceCodec<T> implements MessageCodec<T, T> {

    private final String name;
    private final Function<T, JsonObject> toJson;

    ReferenceCodec(String name, Function<T, JsonObject> toJson) {
        this.name = name;
        this.toJson = toJson;
    }

    abstract T fromJson(JsonObject json);

    @Override
    public void encodeToWire(Buffer buffer, T value) {
        Buffer json = toJson.apply(value).toBuffer();
        buffer.appendInt(json.length());
        buffer.appendBuffer(json);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    @Override
    public T transform(T value) {
        return value;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
