package io.shopstack.objectstore.bucket;

import io.shopstack.objectstore.storage.BucketStorage;
import io.shopstack.objectstore.system.S3Error;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Keeps S3 sub-resources ({@code ?cors}, {@code ?lifecycle}, {@code ?policy}, ...) from falling
 * through to the plain bucket or object operation: {@code DELETE /bucket?cors} once deleted the
 * bucket and {@code GET /bucket?cors} listed it. Configurations this store never holds are answered
 * as S3 answers for a bucket without them (404 NoSuch..., DELETE 204); every other sub-resource it
 * does not implement is 501 NotImplemented.
 */
@Component
public class SubResourceGuard implements HandlerInterceptor {

  /** Every sub-resource S3 documents, as query parameter names. */
  private static final Set<String> SUB_RESOURCES =
      Set.of(
          "accelerate",
          "acl",
          "analytics",
          "attributes",
          "cors",
          "delete",
          "encryption",
          "intelligent-tiering",
          "inventory",
          "legal-hold",
          "lifecycle",
          "location",
          "logging",
          "metadataTable",
          "metrics",
          "notification",
          "object-lock",
          "ownershipControls",
          "partNumber",
          "policy",
          "policyStatus",
          "publicAccessBlock",
          "replication",
          "requestPayment",
          "restore",
          "retention",
          "select",
          "select-type",
          "session",
          "tagging",
          "torrent",
          "uploadId",
          "uploads",
          "versionId",
          "versioning",
          "versions",
          "website");

  /** Bucket configurations never stored here, with S3's answer to reading an absent one. */
  private static final Map<String, S3Error> ABSENT_CONFIGURATIONS =
      Map.of(
          "cors", S3Error.NO_SUCH_CORS_CONFIGURATION,
          "lifecycle", S3Error.NO_SUCH_LIFECYCLE_CONFIGURATION,
          "policy", S3Error.NO_SUCH_BUCKET_POLICY,
          "tagging", S3Error.NO_SUCH_TAG_SET,
          "website", S3Error.NO_SUCH_WEBSITE_CONFIGURATION,
          "encryption", S3Error.NO_SUCH_ENCRYPTION_CONFIGURATION);

  /** What the controllers implement, as "METHOD level sub-resource". */
  private static final Set<String> IMPLEMENTED =
      Set.of(
          "GET bucket acl",
          "PUT bucket acl",
          "GET object acl",
          "PUT object acl",
          "GET bucket location",
          "GET bucket versioning",
          "GET bucket versions",
          "GET bucket uploads",
          "POST bucket delete",
          "GET object tagging",
          "GET object partNumber",
          "HEAD object partNumber",
          "POST object uploads",
          "PUT object uploadId",
          "PUT object partNumber",
          "GET object uploadId",
          "POST object uploadId",
          "DELETE object uploadId");

  private final BucketStorage buckets;

  SubResourceGuard(BucketStorage buckets) {
    this.buckets = buckets;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    String path = request.getRequestURI();
    int slash = path.indexOf('/', 1);
    boolean object = slash > 0 && slash < path.length() - 1;
    String level = path.equals("/") ? "service" : object ? "object" : "bucket";
    String method = request.getMethod();
    for (String name : request.getParameterMap().keySet()) {
      if (!SUB_RESOURCES.contains(name)
          || IMPLEMENTED.contains(method + " " + level + " " + name)
          || (name.equals("versionId") && "null".equals(request.getParameter(name)))) {
        continue;
      }
      S3Error absent = ABSENT_CONFIGURATIONS.get(name);
      if (level.equals("bucket") && absent != null) {
        String bucket = path.substring(1, slash > 0 ? slash : path.length());
        buckets.require(bucket);
        if (method.equals("GET")) {
          throw absent.exception();
        }
        if (method.equals("DELETE")) {
          response.setStatus(HttpServletResponse.SC_NO_CONTENT);
          return false; // nothing stored, so nothing to delete: done, as S3 answers
        }
      }
      throw S3Error.NOT_IMPLEMENTED.exception(
          method
              + " ?"
              + name
              + " is not implemented on "
              + (level.equals("object") ? "an " : "a ")
              + level
              + " by this store");
    }
    return true;
  }
}
