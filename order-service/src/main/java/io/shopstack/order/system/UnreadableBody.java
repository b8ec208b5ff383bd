package io.shopstack.order.system;

import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Says in one line why a request body could not be read: the parser's own words, where in the body
 * it stopped, and which field it was reading, without Spring's wrapping (which names our handler
 * methods) or Jackson's class names of our request types.
 */
final class UnreadableBody {

  private static final Pattern SOURCE_NOTE =
      Pattern.compile("\\s*\\((start marker )?at \\[Source: [^\\]]*\\]\\)");

  private UnreadableBody() {}

  static String describe(HttpMessageNotReadableException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof JacksonException jackson) {
        return describe(jackson);
      }
    }
    return e.getCause() == null ? "request body is empty" : "request body is unreadable";
  }

  private static String describe(JacksonException e) {
    StringBuilder problem = new StringBuilder();
    String field = fieldPath(e);
    if (!field.isEmpty()) {
      problem.append(field).append(": ");
    }
    String message = e.getOriginalMessage();
    problem.append(message == null ? "unreadable value" : withoutSource(message));
    TokenStreamLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      problem.append(" (line ").append(at.getLineNr());
      problem.append(", column ").append(at.getColumnNr()).append(')');
    }
    return problem.toString();
  }

  /**
   * Drops Jackson's "[Source: REDACTED ...]" notes: they describe the parser's input object, not
   * the client's body; the line and column are appended separately.
   */
  private static String withoutSource(String message) {
    return SOURCE_NOTE.matcher(message).replaceAll("").strip();
  }

  /** {@code order.date}, {@code items[2]}: the JSON path as the client wrote it. */
  private static String fieldPath(JacksonException e) {
    StringJoiner path = new StringJoiner(".");
    for (JacksonException.Reference step : e.getPath()) {
      if (step.getPropertyName() != null) {
        path.add(step.getPropertyName());
      } else if (step.getIndex() >= 0) {
        path.add("[" + step.getIndex() + "]");
      }
    }
    return path.toString().replace(".[", "[");
  }
}
