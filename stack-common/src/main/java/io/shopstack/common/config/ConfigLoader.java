package io.shopstack.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads a service's YAML configuration into its config record.
 *
 * <p>One file per service: the default ships inside the jar as a classpath resource and runs the
 * local topology; {@code --config=FILE} or {@code SHOP_CONFIG=FILE} replaces it. Values that may be
 * overridden from the environment say so in the file itself, as {@code ${VAR:-default}}, so a
 * reader of the YAML sees every knob and its default in one place. Unknown keys are an error: a
 * typo in a config file should stop the service, not be silently ignored.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private ConfigLoader() {}

  /** Loads the configuration for a service's {@code main}: arguments, then environment. */
  public static <T> T load(Class<T> type, String defaultResource, String[] args) {
    Map<String, String> variables = new HashMap<>(System.getenv());
    System.getProperties().forEach((k, v) -> variables.put(k.toString(), v.toString()));
    String location = variables.getOrDefault("SHOP_CONFIG", "classpath:" + defaultResource);
    for (String arg : args) {
      if (arg.startsWith("--config=")) {
        location = arg.substring("--config=".length());
      }
    }
    return load(type, location, variables);
  }

  /**
   * Loads {@code location} ({@code classpath:NAME} or a file path), expanding placeholders from
   * {@code variables}. The local topology calls this directly with one variable map per instance.
   */
  public static <T> T load(Class<T> type, String location, Map<String, String> variables) {
    String text = Placeholders.expand(readText(location), variables);
    try {
      return YAML.readValue(text, type);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "invalid configuration " + location + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a {@code classpath:} resource or a file as UTF-8 text. */
  public static String readText(String location) {
    try {
      if (location.startsWith("classpath:")) {
        String name = location.substring("classpath:".length());
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(name)) {
          if (in == null) {
            throw new IllegalArgumentException("no classpath resource " + name);
          }
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return new String(readFile(Path.of(location)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location, e);
    }
  }

  /** Reads per call into the array: see {@link #readFile}. */
  private static final int READ_CHUNK = 1 << 20;

  /**
   * A file's bytes, read in chunks straight into one array of the file's size. {@code
   * Files.readAllBytes} reads a file in one call, for which the JDK makes (and zeroes, and keeps
   * for the thread) a native buffer as big as the file: 25 MB more memory touched for a
   * million-record zone, on a start that is measured.
   */
  static byte[] readFile(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      long size = Files.size(path);
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException(path + " is too big to read (" + size + " bytes)");
      }
      byte[] bytes = new byte[(int) size];
      int read = 0;
      for (int n; read < bytes.length; read += n) {
        n = in.read(bytes, read, Math.min(READ_CHUNK, bytes.length - read));
        if (n < 0) {
          return Arrays.copyOf(bytes, read); // it shrank meanwhile
        }
      }
      byte[] more = in.readAllBytes(); // it grew meanwhile: what was written after its size
      if (more.length == 0) {
        return bytes;
      }
      byte[] all = Arrays.copyOf(bytes, bytes.length + more.length);
      System.arraycopy(more, 0, all, bytes.length, more.length);
      return all;
    }
  }
}
