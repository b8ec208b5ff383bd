package io.shopstack.objectstore.bucket;

import io.shopstack.objectstore.system.S3Error;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The query of ListObjects (V1), ListObjectsV2 ({@code list-type=2}) or ListObjectVersions ({@code
 * ?versions}). All page through the same sorted key space; they differ in how the position is
 * named: V1's {@code marker} is a key, V2's {@code continuation-token} is opaque (here: the last
 * key returned, base64url), and ListObjectVersions' {@code key-marker} is a key again, because a
 * bucket that never had versioning holds exactly one version of each key, the "null" one.
 */
record ListRequest(
    boolean v2,
    boolean versions,
    String prefix,
    String delimiter,
    int maxKeys,
    String after,
    String marker,
    String startAfter,
    String continuationToken,
    boolean urlEncoded,
    boolean owners) {

  static final int MAX_KEYS = 1000;

  static ListRequest from(Map<String, String> query) {
    boolean versions = query.containsKey("versions");
    boolean v2 = !versions && "2".equals(query.get("list-type"));
    String prefix = query.getOrDefault("prefix", "");
    String delimiter = emptyToNull(query.get("delimiter"));
    int maxKeys = MAX_KEYS;
    if (query.containsKey("max-keys")) {
      try {
        maxKeys = Math.min(MAX_KEYS, Integer.parseInt(query.get("max-keys")));
      } catch (NumberFormatException e) {
        throw S3Error.INVALID_ARGUMENT.exception("max-keys must be an integer");
      }
      if (maxKeys < 0) {
        throw S3Error.INVALID_ARGUMENT.exception("max-keys must not be negative");
      }
    }
    String encoding = query.get("encoding-type");
    if (encoding != null && !encoding.equals("url")) {
      throw S3Error.INVALID_ARGUMENT.exception("Invalid Encoding Method specified in Request");
    }
    String marker = emptyToNull(query.get(versions ? "key-marker" : "marker"));
    String versionIdMarker = emptyToNull(query.get("version-id-marker"));
    if (versions && versionIdMarker != null && !versionIdMarker.equals("null")) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "Invalid version id specified: this store keeps no versions but \"null\"");
    }
    String startAfter = emptyToNull(query.get("start-after"));
    String token = emptyToNull(query.get("continuation-token"));
    String after;
    if (v2) {
      after = token != null ? decodeToken(token) : startAfter;
    } else {
      after = marker;
    }
    return new ListRequest(
        v2,
        versions,
        prefix,
        delimiter,
        maxKeys,
        after,
        marker,
        startAfter,
        token,
        encoding != null,
        // V1 lists each object's owner always, V2 only when asked (fetch-owner=true), as S3 does
        !v2 || "true".equals(query.get("fetch-owner")));
  }

  static String encodeToken(String lastKey) {
    return Base64.getUrlEncoder().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Error.INVALID_ARGUMENT.exception("The continuation token provided is incorrect");
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
