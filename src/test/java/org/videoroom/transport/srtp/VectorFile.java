package org.videoroom.transport.srtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a test-vector file from {@code src/test/resources/vectors/}: {@code name: hex} lines,
 * hex may hold spaces and continue on indented lines; {@code #} starts a comment line.
 */
public final class VectorFile {
    private final String resource;
    private final Map<String, byte[]> fields;

    private VectorFile(String resource, Map<String, byte[]> fields) {
        this.resource = resource;
        this.fields = fields;
    }

    public static VectorFile load(String resource) {
        try (InputStream in = VectorFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VectorFile parse(String resource, String text) {
        Map<String, StringBuilder> hex = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                current = null;
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (!Character.isWhitespace(line.charAt(0)) && colon > 0) {
                current = trimmed.substring(0, colon).strip();
                hex.put(current, new StringBuilder(trimmed.substring(colon + 1)));
            } else if (current != null) {
                hex.get(current).append(trimmed);
            } else {
                throw new IllegalArgumentException(resource + ": stray line " + line);
            }
        }
        Map<String, byte[]> fields = new LinkedHashMap<>();
        hex.forEach((name, value) -> fields.put(name, HexFormat.of().parseHex(value.toString().replaceAll("\\s", ""))));
        return new VectorFile(resource, fields);
    }

    public byte[] bytes(String name) {
        byte[] value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException(resource + " has no field " + name);
        }
        return value.clone();
    }

    int int32(String name) {
        byte[] value = bytes(name);
        int result = 0;
        for (byte b : value) {
            result = (result << 8) | (b & 0xff);
        }
        return result;
    }

    Map<String, byte[]> fieldsStartingWith(String prefix) {
        Map<String, byte[]> matching = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                matching.put(name, value.clone());
            }
        });
        return matching;
    }
}
