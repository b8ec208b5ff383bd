package io.shopstack.objectstore.storage;

import io.shopstack.objectstore.system.S3Error;
import io.shopstack.objectstore.system.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Multipart uploads on disk, in {@code {bucket}/uploads/{id}/}: {@code upload.json} names the key
 * and headers, each part is a blob with a {@code {n}.json} sidecar written like an object's (fsync,
 * rename, fsync the directory), so an acknowledged part survives a crash and a replaced part is
 * swapped whole. Completion concatenates the parts into one temporary file and commits it through
 * {@link ObjectStorage#commit}, the same single rename that publishes any object.
 */
@Component
public class MultipartStorage {

  /** S3's limits: parts 1..10,000 of at most 5 GiB, all but the last at least 5 MiB. */
  public static final int MAX_PARTS = 10_000;

  public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private static final String UPLOAD = "upload.json";

  /** An upload in progress: the StoredObject of upload.json carries key, headers, initiated. */
  public record Upload(String id, StoredObject target) {

    /** The algorithm the upload was created with: its parts carry it, the object a composite. */
    public Optional<ChecksumAlgorithm> checksumAlgorithm() {
      return ChecksumAlgorithm.named(target.headers().checksums().get(ChecksumAlgorithm.HEADER));
    }
  }

  /**
   * A part the client names in CompleteMultipartUpload, with the checksums it names for it (by
   * header name, {@code x-amz-checksum-crc32} to the base64 value).
   */
  public record PartChoice(int number, String etag, Map<String, String> checksums) {

    public PartChoice {
      checksums = Map.copyOf(checksums);
    }
  }

  private final DiskLayout layout;
  private final BucketStorage buckets;
  private final ObjectStorage objects;

  MultipartStorage(DiskLayout layout, BucketStorage buckets, ObjectStorage objects) {
    this.layout = layout;
    this.buckets = buckets;
    this.objects = objects;
  }

  public Upload create(String bucket, String key, ObjectHeaders headers) throws IOException {
    layout.sidecar(bucket, key); // refuse a key that cannot be stored now, not at completion
    buckets.require(bucket);
    String id = UUID.randomUUID().toString().replace("-", "");
    Path directory = layout.upload(bucket, id);
    Files.createDirectories(layout.uploads(bucket));
    Files.createDirectory(directory);
    DurableFiles.syncDirectory(layout.uploads(bucket));
    StoredObject target =
        new StoredObject(key, 0, "", Instant.now().truncatedTo(ChronoUnit.MILLIS), "", headers);
    writeSidecar(directory.resolve(UPLOAD), target);
    return new Upload(id, target);
  }

  public Upload require(String bucket, String key, String uploadId) throws IOException {
    buckets.require(bucket);
    Path directory = layout.upload(bucket, uploadId);
    Optional<StoredObject> target = objects.read(directory.resolve(UPLOAD));
    if (target.isEmpty() || !target.get().key().equals(key)) {
      throw S3Error.NO_SUCH_UPLOAD.exception();
    }
    return new Upload(uploadId, target.get());
  }

  /**
   * Stores one part (replacing an earlier upload of the same number); returns its sidecar, which
   * keeps the part's {@code checksums} (asked for once the body has been read and so verified).
   */
  public StoredObject putPart(
      String bucket,
      String key,
      String uploadId,
      int number,
      InputStream body,
      Supplier<Map<String, String>> checksums)
      throws IOException {
    checkPartNumber(number);
    require(bucket, key, uploadId);
    try (ObjectStorage.Received content = objects.receive(body, MAX_PART_SIZE)) {
      return publishPart(bucket, uploadId, number, content, checksums.get());
    }
  }

  /**
   * Stores content already received (UploadPartCopy: a range copied from an object) as part {@code
   * number}; the caller closes {@code content}. In an upload with a checksum algorithm the store
   * computes the part's checksum itself, as no client sent one.
   */
  public StoredObject putPart(
      String bucket, String key, String uploadId, int number, ObjectStorage.Received content)
      throws IOException {
    checkPartNumber(number);
    Optional<ChecksumAlgorithm> algorithm = require(bucket, key, uploadId).checksumAlgorithm();
    Map<String, String> checksums =
        algorithm.isEmpty()
            ? Map.of()
            : Map.of(algorithm.get().header(), algorithm.get().of(content.file()));
    return publishPart(bucket, uploadId, number, content, checksums);
  }

  private StoredObject publishPart(
      String bucket,
      String uploadId,
      int number,
      ObjectStorage.Received content,
      Map<String, String> checksums)
      throws IOException {
    Path directory = layout.upload(bucket, uploadId);
    String blob = UUID.randomUUID().toString();
    StoredObject part =
        new StoredObject(
            String.valueOf(number),
            content.size(),
            '"' + content.md5Hex() + '"',
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            blob,
            checksums.isEmpty() ? null : new ObjectHeaders(null, null, checksums));
    try {
      DurableFiles.publish(content.file(), directory.resolve(blob));
      synchronized (this) {
        Optional<StoredObject> previous = objects.read(partSidecar(directory, number));
        writeSidecar(partSidecar(directory, number), part);
        previous.ifPresent(old -> deleteQuietly(directory.resolve(old.blob())));
      }
    } catch (NoSuchFileException e) {
      throw S3Error.NO_SUCH_UPLOAD.exception(); // aborted or completed meanwhile
    }
    return part;
  }

  private static void checkPartNumber(int number) {
    if (number < 1 || number > MAX_PARTS) {
      throw S3Error.INVALID_ARGUMENT.exception(
          "Part number must be an integer between 1 and 10000");
    }
  }

  /** Parts uploaded so far, by part number. */
  public List<StoredObject> parts(String bucket, String key, String uploadId) throws IOException {
    require(bucket, key, uploadId);
    Path directory = layout.upload(bucket, uploadId);
    List<StoredObject> parts = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "part-*.json")) {
      for (Path file : files) {
        objects.read(file).ifPresent(parts::add);
      }
    }
    parts.sort(Comparator.comparingInt(p -> Integer.parseInt(p.key())));
    return parts;
  }

  /** Uploads in progress in {@code bucket}, by key, then initiation time, then id. */
  public List<Upload> uploads(String bucket) throws IOException {
    buckets.require(bucket);
    List<Upload> uploads = new ArrayList<>();
    Path root = layout.uploads(bucket);
    if (!Files.isDirectory(root)) {
      return uploads;
    }
    try (DirectoryStream<Path> directories = Files.newDirectoryStream(root)) {
      for (Path directory : directories) {
        objects
            .read(directory.resolve(UPLOAD))
            .ifPresent(t -> uploads.add(new Upload(directory.getFileName().toString(), t)));
      }
    }
    uploads.sort(
        Comparator.comparing((Upload u) -> u.target().key(), ObjectStorage::compareUtf8)
            .thenComparing(u -> u.target().lastModified())
            .thenComparing(Upload::id)); // a stable order for the listing's upload-id-marker
    return uploads;
  }

  /**
   * Joins the chosen parts into the object, S3's way: ascending part numbers, every ETag matching,
   * all parts but the last at least 5 MiB; the ETag is the MD5 of the parts' MD5s, then "-N". An
   * upload created with a checksum algorithm also needs parts numbered 1, 2, 3, ... each named with
   * its checksum as it was uploaded, and the object keeps the composite of those (see
   * ChecksumAlgorithm).
   */
  public StoredObject complete(String bucket, String key, String uploadId, List<PartChoice> chosen)
      throws IOException {
    Upload upload = require(bucket, key, uploadId);
    if (chosen.isEmpty()) {
      throw S3Error.MALFORMED_XML.exception("You must specify at least one part");
    }
    Path directory = layout.upload(bucket, uploadId);
    List<StoredObject> parts = new ArrayList<>();
    int previous = 0;
    for (PartChoice choice : chosen) {
      if (choice.number() <= previous) {
        throw S3Error.INVALID_PART_ORDER.exception();
      }
      previous = choice.number();
      StoredObject part =
          objects
              .read(partSidecar(directory, choice.number()))
              .filter(p -> p.etag().equals(quoted(choice.etag())))
              .orElseThrow(() -> invalidPart(uploadId, choice));
      parts.add(part);
    }
    Map<String, String> checksums =
        upload
            .checksumAlgorithm()
            .map(
                algorithm ->
                    Map.of(algorithm.header(), composite(algorithm, uploadId, chosen, parts)))
            .orElse(upload.target().headers().checksums());
    for (int i = 0; i < parts.size() - 1; i++) {
      StoredObject part = parts.get(i);
      if (part.size() < MIN_PART_SIZE) {
        // S3 names the first part too small, its size and the minimum, after its own Message
        throw S3Error.ENTITY_TOO_SMALL
            .exception()
            .with("ProposedSize", part.size())
            .with("MinSizeAllowed", MIN_PART_SIZE)
            .with("PartNumber", chosen.get(i).number())
            .with("ETag", unquoted(part.etag()));
      }
    }
    MessageDigest etags = md5();
    for (StoredObject part : parts) {
      etags.update(HexFormat.of().parseHex(part.etag().replace("\"", "")));
    }
    String etag = '"' + HexFormat.of().formatHex(etags.digest()) + "-" + parts.size() + '"';
    try (ObjectStorage.Received joined = join(directory, parts)) {
      List<Long> sizes = parts.stream().map(StoredObject::size).toList();
      StoredObject stored =
          objects.commit(
              bucket,
              key,
              joined,
              etag,
              new ObjectHeaders(
                  upload.target().headers().representation(),
                  upload.target().headers().userMetadata(),
                  checksums),
              sizes,
              current -> {});
      BucketStorage.deleteTree(directory);
      return stored;
    }
  }

  /**
   * The composite checksum of {@code parts}, after S3's checks: numbered from 1 without gaps
   * (InvalidPartOrder), each named in the request with its checksum (InvalidRequest without, as S3
   * says it) and that checksum the one the part was uploaded with (InvalidPart otherwise).
   */
  private static String composite(
      ChecksumAlgorithm algorithm,
      String uploadId,
      List<PartChoice> chosen,
      List<StoredObject> parts) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      PartChoice choice = chosen.get(i);
      if (choice.number() != i + 1) {
        throw S3Error.INVALID_PART_ORDER.exception(
            "Parts of an upload with checksums must be numbered 1, 2, 3, ... without gaps");
      }
      String named = choice.checksums().get(algorithm.header());
      if (named == null) {
        throw S3Error.INVALID_REQUEST.exception(
            "The upload was created using a "
                + algorithm.name().toLowerCase(Locale.ROOT)
                + " checksum. The complete request must include the checksum for each part. It"
                + " was missing for part "
                + choice.number()
                + " in the request.");
      }
      ObjectHeaders kept = parts.get(i).headers();
      String uploaded = kept == null ? null : kept.checksums().get(algorithm.header());
      if (!named.trim().equals(uploaded)) {
        throw invalidPart(uploadId, choice); // S3 names the part and its ETag, not the checksum
      }
      values.add(uploaded);
    }
    return algorithm.composite(values);
  }

  public void abort(String bucket, String key, String uploadId) throws IOException {
    require(bucket, key, uploadId);
    Path directory = layout.upload(bucket, uploadId);
    Path doomed = layout.tmp().resolve("aborted-" + uploadId);
    Files.move(directory, doomed); // gone in one step, then cleared
    DurableFiles.syncDirectory(layout.uploads(bucket));
    BucketStorage.deleteTree(doomed);
  }

  /** Removes uploads initiated more than {@code age} ago; returns how many. */
  public int abandonOlderThan(Duration age) throws IOException {
    int removed = 0;
    Instant cutoff = Instant.now().minus(age);
    for (BucketStorage.Bucket bucket : buckets.list()) {
      for (Upload upload : uploads(bucket.name())) {
        if (upload.target().lastModified().isBefore(cutoff)) {
          try {
            abort(bucket.name(), upload.target().key(), upload.id());
            removed++;
          } catch (NoSuchFileException | S3Exception e) {
            // completed or aborted by its client meanwhile
          }
        }
      }
    }
    return removed;
  }

  private ObjectStorage.Received join(Path directory, List<StoredObject> parts) throws IOException {
    Files.createDirectories(layout.tmp());
    Path joined = Files.createTempFile(layout.tmp(), "complete-", ".part");
    long size = 0;
    try (FileChannel out = FileChannel.open(joined, StandardOpenOption.WRITE)) {
      for (StoredObject part : parts) {
        try (FileChannel in = FileChannel.open(directory.resolve(part.blob()))) {
          for (long done = 0; done < in.size(); ) {
            done += in.transferTo(done, in.size() - done, out);
          }
          size += in.size();
        }
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(joined);
      throw e;
    }
    return new ObjectStorage.Received(joined, size, new byte[0]);
  }

  private void writeSidecar(Path target, StoredObject value) throws IOException {
    Path staged = Files.createTempFile(layout.tmp(), "sidecar-", ".json");
    try {
      Files.write(staged, objects.json().writeValueAsBytes(value));
      DurableFiles.sync(staged);
      DurableFiles.publish(staged, target);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  private static Path partSidecar(Path directory, int number) {
    return directory.resolve(String.format("part-%05d.json", number));
  }

  /**
   * S3's InvalidPart names the upload, the first part it could not match and the ETag the request
   * gave for it, unquoted (empty when the request's was empty), after Code and Message.
   */
  private static S3Exception invalidPart(String uploadId, PartChoice choice) {
    return S3Error.INVALID_PART
        .exception()
        .with("UploadId", uploadId)
        .with("PartNumber", choice.number())
        .with("ETag", unquoted(choice.etag()));
  }

  private static String unquoted(String etag) {
    String trimmed = etag.trim();
    return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
        ? trimmed.substring(1, trimmed.length() - 1)
        : trimmed;
  }

  private static String quoted(String etag) {
    String trimmed = etag.trim();
    return trimmed.startsWith("\"") ? trimmed : '"' + trimmed + '"';
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // an unreferenced part blob is garbage, removed with the upload
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships MD5", e);
    }
  }
}
