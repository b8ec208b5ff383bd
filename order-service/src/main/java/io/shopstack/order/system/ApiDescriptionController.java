package io.shopstack.order.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the API's OpenAPI description, {@code api/openapi.yaml}, written by hand next to the code
 * rather than generated: springdoc would also publish the object store's routes in the local
 * topology's shared class path, and a hand-written file keeps the contract's examples, which {@code
 * OpenApiExamplesHttpTests} sends to the real endpoint.
 */
@RestController
class ApiDescriptionController {

  static final MediaType YAML = new MediaType("application", "yaml");

  private final byte[] document;

  ApiDescriptionController() {
    try (InputStream in = new ClassPathResource("api/openapi.yaml").getInputStream()) {
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("api/openapi.yaml missing from the jar", e);
    }
  }

  @GetMapping("/openapi.yaml")
  ResponseEntity<byte[]> openApi() {
    return ResponseEntity.ok().contentType(YAML).body(document);
  }
}
